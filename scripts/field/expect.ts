/**
 * Field-lab expectations (field/expect/*.json): for each row of a real server's probe, the verdict its bytes
 * justify, judged by hand, with the reason. `now` records what aioc currently says where that is wrong (a known
 * mismatch, owned by whoever fixes it); the comparison still reports it.
 */
import { readFileSync } from "node:fs";
import type { Report, Status } from "../../src/report/types.js";

export interface ExpectedRow {
  id: string;
  status: Status;
  /** Text the row's detail must contain ("" when any detail will do). */
  detail: string;
  /** Why this is the true verdict, from the server's bytes. */
  reason: string;
  /** aioc's current, wrong verdict: a known mismatch (who owns the fix, and why it is wrong). */
  now?: { status: Status; detail: string; why: string };
}

export interface Expectation {
  target: string;
  /** How the server was run and probed. */
  setup: string;
  rows: ExpectedRow[];
}

export interface Mismatch {
  id: string;
  expected: string;
  got: string;
  /** Set when the expectation lists this as aioc's current (wrong) verdict. */
  known?: string;
}

export function loadExpectation(path: string): Expectation {
  return JSON.parse(readFileSync(path, "utf8")) as Expectation;
}

const show = (status: string, detail: string) => (detail ? `${status} ~ "${detail}"` : status);

/** Every row whose status differs or whose detail lacks the expected text; rows on one side only too. */
export function compare(expectation: Expectation, report: Report): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const results = new Map(report.results.map((r) => [r.id, r]));
  for (const row of expectation.rows) {
    const got = results.get(row.id);
    if (!got) {
      mismatches.push({ id: row.id, expected: show(row.status, row.detail), got: "(row not in the report)" });
      continue;
    }
    if (got.status === row.status && got.detail.includes(row.detail)) continue;
    const known =
      row.now && got.status === row.now.status && got.detail.includes(row.now.detail)
        ? row.now.why
        : undefined;
    mismatches.push({
      id: row.id,
      expected: show(row.status, row.detail),
      got: `${got.status} "${got.detail}"`,
      ...(known ? { known } : {}),
    });
  }
  const listed = new Set(expectation.rows.map((r) => r.id));
  for (const r of report.results) {
    if (!listed.has(r.id))
      mismatches.push({ id: r.id, expected: "(no expectation)", got: `${r.status} "${r.detail}"` });
  }
  return mismatches;
}

/** An expectation skeleton from a report, for a person to judge row by row (never committed unjudged). */
export function draft(report: Report, target: string, setup: string): Expectation {
  return {
    target,
    setup,
    rows: report.results.map((r) => ({
      id: r.id,
      status: r.status,
      detail: r.detail,
      reason: "TODO: judge from the bytes",
    })),
  };
}
