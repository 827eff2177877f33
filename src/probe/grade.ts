/** Turns an Outcome into a Result status and one-line detail. The only place verdicts are decided. */
import type { Endpoint } from "../catalog/endpoints.js";
import { DEVIATIONS } from "../deviations/catalog.js";
import { appliesTo, type Deviation } from "../deviations/types.js";
import type { DeviationRef, Problem, Status } from "../report/types.js";
import { describeProblem } from "../shapes/validate.js";
import type { Outcome } from "./types.js";

export interface Graded {
  status: Status;
  detail: string;
  deviations: DeviationRef[];
  problems: Problem[];
}

function ref(d: Deviation): DeviationRef {
  return {
    id: d.id,
    summary: d.summary,
    // Names only: versions and sources are in `aioc deviations <id>` and docs/deviations.md.
    implementations: d.implementations.map((i) => i.name),
  };
}

function withMore(first: string, count: number): string {
  return count > 1 ? `${first} (+${count - 1} more)` : first;
}

const CATCH_ALL = new Set(["/v1/*", "*"]);

export function grade(row: Endpoint, outcome: Outcome): Graded {
  const problems = outcome.problems;
  if (outcome.skip) return { status: "SKIP", detail: outcome.skip, deviations: [], problems };
  const matched = outcome.observation
    ? DEVIATIONS.filter((d) => appliesTo(d, row) && d.detect(outcome.observation!, problems))
    : [];
  const deviations = matched.map(ref);
  const unexplained = problems.filter((p) => !matched.some((d) => d.explains?.(p)));
  const failures = unexplained.filter((p) => p.severity === "fail");
  const verdict = outcome.verdict;
  // A check's own verdict stands unless a known deviation accounts for it (then the catalog names who does it).
  // A catch-all deviation that only co-occurs (a non-envelope 404 body on an absent route) is listed, not leading.
  const accounting = matched.filter(
    (d) => d.rows.some((r) => !CATCH_ALL.has(r)) || problems.some((p) => d.explains?.(p)),
  );
  if (verdict && (accounting.length === 0 || (verdict.status === "FAIL" && failures.length > 0))) {
    return { status: verdict.status, detail: verdict.detail, deviations, problems };
  }
  if (failures.length > 0) {
    return {
      status: "FAIL",
      detail: withMore(describeProblem(failures[0]!), failures.length),
      deviations,
      problems,
    };
  }
  const warnings = unexplained.filter((p) => p.severity === "warn");
  const failing = matched.find((d) => d.verdict === "FAIL");
  const first = failing ?? matched[0];
  if (first) {
    const known = first.implementations.map((i) => i.name).join(", ");
    const detail = `${first.summary}${known ? ` — known: ${known}` : ""}`;
    // "+N more" counts every other finding: further deviations and warnings no deviation accounts for.
    return {
      status: failing ? "FAIL" : "WARN",
      detail: withMore(detail, matched.length + warnings.length),
      deviations,
      problems,
    };
  }
  if (warnings.length > 0) {
    return {
      status: "WARN",
      detail: withMore(describeProblem(warnings[0]!), warnings.length),
      deviations,
      problems,
    };
  }
  return {
    status: "PASS",
    detail: outcome.note ?? `${outcome.httpStatus ?? ""} · shape valid`.trim(),
    deviations,
    problems,
  };
}

/**
 * One verdict for several runs of a behaviour row: a protocol FAIL in any run stands; otherwise the row PASSes
 * only when every run did, and says how many did.
 */
export function combineRuns(runs: readonly Graded[]): Graded {
  const n = runs.length;
  const failed = runs.findIndex((r) => r.status === "FAIL");
  if (failed >= 0) return { ...runs[failed]!, detail: `${runs[failed]!.detail} (run ${failed + 1} of ${n})` };
  const skipped = runs.find((r) => r.status === "SKIP");
  if (skipped) return skipped;
  const passed = runs.filter((r) => r.status === "PASS").length;
  const first = runs.find((r) => r.status !== "PASS") ?? runs[0]!;
  const problems = [...new Map(runs.flatMap((r) => r.problems).map((p) => [JSON.stringify(p), p])).values()];
  const deviations = [...new Map(runs.flatMap((r) => r.deviations).map((d) => [d.id, d])).values()];
  return { ...first, detail: `${first.detail} · ${passed}/${n} runs passed`, problems, deviations };
}
