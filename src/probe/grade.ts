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

const deviationDetail = (d: Deviation) => {
  const known = d.implementations.map((i) => i.name).join(", ");
  return `${d.summary}${known ? ` — known: ${known}` : ""}`;
};

/**
 * The headline is the most severe finding: a check's own verdict, a deviation and an unexplained problem are
 * ranked FAIL before WARN, and "(+N more)" only ever counts findings no more severe than the one shown.
 */
export function grade(row: Endpoint, outcome: Outcome): Graded {
  const problems = outcome.problems;
  if (outcome.skip) return { status: "SKIP", detail: outcome.skip, deviations: [], problems };
  const matched = outcome.observation
    ? DEVIATIONS.filter((d) => appliesTo(d, row) && d.detect(outcome.observation!, problems))
    : [];
  const deviations = matched.map(ref);
  const explained = (p: Problem) => matched.some((d) => d.explains?.(p));
  const unexplained = problems.filter((p) => !explained(p));
  const failures = unexplained.filter((p) => p.severity === "fail");
  const describe = (p: Problem) => outcome.details?.get(p) ?? describeProblem(p);
  const failing = matched.find((d) => d.verdict === "FAIL");
  const verdict = outcome.verdict;
  // A check's own verdict stands unless a known deviation accounts for it (then the catalog names who does it).
  // A catch-all deviation that only co-occurs (a non-envelope 404 body on an absent route) is listed, not leading.
  const accounting = matched.filter(
    (d) => d.rows.some((r) => !CATCH_ALL.has(r)) || problems.some((p) => d.explains?.(p)),
  );
  const decisiveExplained = outcome.decisive !== undefined && explained(outcome.decisive);
  if (verdict && (accounting.length === 0 || (verdict.status === "FAIL" && failures.length > 0))) {
    if (verdict.status !== "FAIL" && (failures.length > 0 || failing)) {
      // A WARN never hides what breaks a client.
      const first = failures[0] ? describe(failures[0]) : deviationDetail(failing!);
      const others = 1 + failures.length + matched.filter((d) => d.verdict === "FAIL").length;
      return { status: "FAIL", detail: withMore(first, others), deviations, problems };
    }
    if (verdict.status === "FAIL" && decisiveExplained && failures[0]) {
      // The deciding finding is a known deviation's; an unexplained failure is the real news.
      return {
        status: "FAIL",
        detail: withMore(describe(failures[0]), failures.length),
        deviations,
        problems,
      };
    }
    return { status: verdict.status, detail: verdict.detail, deviations, problems };
  }
  if (failures.length > 0) {
    return {
      status: "FAIL",
      detail: withMore(describe(failures[0]!), failures.length),
      deviations,
      problems,
    };
  }
  const warnings = unexplained.filter((p) => p.severity === "warn");
  if (!failing && verdict && outcome.decisive && !decisiveExplained) {
    // The check's own WARN finding leads: the deviations beside it are no more severe.
    return {
      status: "WARN",
      detail: withMore(describe(outcome.decisive), matched.length + warnings.length),
      deviations,
      problems,
    };
  }
  // A deviation of this row leads one that can happen on any route (the same rule as for a check's verdict above).
  const first = failing ?? matched.find((d) => d.rows.some((r) => !CATCH_ALL.has(r))) ?? matched[0];
  if (first) {
    // "+N more" counts every other finding: further deviations and warnings no deviation accounts for.
    return {
      status: failing ? "FAIL" : "WARN",
      detail: withMore(deviationDetail(first), matched.length + warnings.length),
      deviations,
      problems,
    };
  }
  if (warnings.length > 0) {
    return {
      status: "WARN",
      detail: withMore(describe(warnings[0]!), warnings.length),
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
  // One run: a protocol verdict stopped the repeats, so there is nothing to count.
  if (n === 1) return runs[0]!;
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
