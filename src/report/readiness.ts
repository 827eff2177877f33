/**
 * The Clients section: each client of clients/readiness.ts graded from a report's rows, a pure function.
 * A requirement is unmet when one of its rows FAILs or its route is absent (404/501, or "not offered" by scope);
 * a row that is not in the report, or was skipped for another reason (no model, no python), is "not probed" and
 * never makes a client NOT READY. WARN means clients cope, so it meets the requirement.
 */
import { CLIENTS, type ClientProfile, type Requirement } from "../clients/readiness.js";
import { BASE_ABSENT, isAbsence } from "../probe/scope.js";
import type { ClientReadiness, ReadinessGap, Result } from "./types.js";

const MAX_DETAIL = 160;
const clip = (s: string) => (s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL - 1)}…` : s);

/** A SKIP that says the route is not there (rather than that aioc could not try it). */
const skippedAsAbsent = (r: Result) =>
  r.status === "SKIP" &&
  (/^not offered\b/.test(r.detail) || /\bnot offered$/.test(r.detail) || BASE_ABSENT.test(r.detail));

type RowState =
  | { state: "met" }
  | { state: "unmet" | "unprobed"; row: string; result?: Result; detail: string };

/** The parameter whose non-enforcement is the row's only failure, when it is one the client never sends. */
function unsentParamFailure(r: Result, unaffectedBy: readonly string[]): string | undefined {
  const fails = r.problems.filter((p) => p.severity === "fail");
  const params = fails.map((p) => p.param);
  const unsent = (p: string | undefined) => p !== undefined && unaffectedBy.some((u) => p.startsWith(u));
  return fails.length > 0 && params.every(unsent) ? params[0] : undefined;
}

function rowState(id: string, byId: ReadonlyMap<string, Result>, unaffectedBy: readonly string[]): RowState {
  const r = byId.get(id);
  if (!r) return { state: "unprobed", row: id, detail: "not probed" };
  if (isAbsence(r) || skippedAsAbsent(r))
    return { state: "unmet", row: id, result: r, detail: clip(`endpoint absent: ${r.detail}`) };
  const unsent = r.status === "FAIL" ? unsentParamFailure(r, unaffectedBy) : undefined;
  if (unsent)
    return {
      state: "unprobed",
      row: id,
      result: r,
      detail: clip(
        `the server did not enforce ${unsent}, which this client does not send: the row cannot tell`,
      ),
    };
  if (r.status === "FAIL") return { state: "unmet", row: id, result: r, detail: clip(r.detail) };
  if (r.status === "SKIP")
    return { state: "unprobed", row: id, result: r, detail: clip(`skipped: ${r.detail}`) };
  return { state: "met" };
}

/** The first unmet row decides; failing that, the first unprobed one. Alternatives: the first probed one decides. */
function requirementState(req: Requirement, byId: ReadonlyMap<string, Result>): RowState {
  const states = req.rows.map((id) => rowState(id, byId, req.unaffectedBy ?? []));
  if (req.firstProbed) return states.find((s) => s.state !== "unprobed") ?? states[0]!;
  return (
    states.find((s) => s.state === "unmet") ?? states.find((s) => s.state === "unprobed") ?? { state: "met" }
  );
}

const gap = (req: Requirement, s: Exclude<RowState, { state: "met" }>): ReadinessGap => ({
  need: req.need,
  level: req.level,
  row: s.row,
  status: s.result?.status ?? null,
  detail: s.detail,
});

export function gradeClient(client: ClientProfile, byId: ReadonlyMap<string, Result>): ClientReadiness {
  const unmet: ReadinessGap[] = [];
  const notProbed: ReadinessGap[] = [];
  for (const req of client.requirements) {
    const s = requirementState(req, byId);
    if (s.state === "unmet") unmet.push(gap(req, s));
    else if (s.state === "unprobed") notProbed.push(gap(req, s));
  }
  const required = unmet.filter((g) => g.level === "required");
  const verdict =
    required.length > 0
      ? "NOT READY"
      : notProbed.some((g) => g.level === "required")
        ? "NOT PROBED"
        : unmet.length > 0
          ? "READY WITH LIMITS"
          : "READY";
  const sources = [...new Set(client.requirements.flatMap((r) => r.sources))];
  return {
    id: client.id,
    name: client.name,
    basis: client.basis,
    verdict,
    gaps: verdict === "NOT READY" ? required : unmet,
    notProbed,
    judged: client.requirements.length - notProbed.length,
    sources,
  };
}

/**
 * Every client graded from these rows; undefined when the rows touch no client's requirement (a run limited to
 * other rows has nothing to say about clients).
 */
export function gradeClients(
  results: readonly Result[],
  clients: readonly ClientProfile[] = CLIENTS,
): ClientReadiness[] | undefined {
  const byId = new Map(results.map((r) => [r.id, r]));
  const touched = clients.some((c) => c.requirements.some((q) => q.rows.some((id) => byId.has(id))));
  return touched ? clients.map((c) => gradeClient(c, byId)) : undefined;
}

/** The short form used by the terminal, Markdown and JUnit: `NOT READY (row: detail)`, `READY WITH LIMITS (…)`. */
export function verdictLine(c: ClientReadiness): string {
  if (c.verdict === "READY") return "READY";
  if (c.verdict === "NOT PROBED")
    return `NOT PROBED (${c.notProbed
      .filter((g) => g.level === "required")
      .map((g) => g.row)
      .join(", ")})`;
  const what = c.gaps.map((g) => g.row).join(", ");
  return `${c.verdict} (${what})`;
}

/** "mapped from requirements" or "run": how the verdict was reached. */
export const basisLabel = (c: Pick<ClientReadiness, "basis">) =>
  c.basis === "run" ? "run" : "mapped from requirements";

/** The report's `clients` field, spread into a report: nothing when no client's row was probed. */
export function withClients(results: readonly Result[]): { clients?: ClientReadiness[] } {
  const clients = gradeClients(results);
  return clients ? { clients } : {};
}
