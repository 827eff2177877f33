import { catalogOrder } from "../render/order.js";
import type { Report, Result, Status } from "../report/types.js";

/**
 * How a row moved from report A to report B. Among PASS > WARN > FAIL, worse is a regression and better a fix;
 * a move to or from SKIP says nothing about the server's quality, so it is only `changed`.
 */
export type Change = "regression" | "fix" | "changed" | "unchanged" | "only-in-a" | "only-in-b";
export const CHANGES: readonly Change[] = [
  "regression",
  "fix",
  "changed",
  "unchanged",
  "only-in-a",
  "only-in-b",
];

const RANK: Partial<Record<Status, number>> = { PASS: 2, WARN: 1, FAIL: 0 };

export interface DiffRow {
  id: string;
  a: Status | null;
  b: Status | null;
  change: Change;
  detailA: string | null;
  detailB: string | null;
}

export interface ReportDiff {
  a: { name: string; url: string };
  b: { name: string; url: string };
  counts: Record<Change, number>;
  /** Every id in either report, in catalog order. */
  rows: DiffRow[];
}

export function classify(a: Status | null, b: Status | null): Change {
  if (a === null) return "only-in-b";
  if (b === null) return "only-in-a";
  if (a === b) return "unchanged";
  const ra = RANK[a];
  const rb = RANK[b];
  if (ra === undefined || rb === undefined) return "changed";
  return rb < ra ? "regression" : "fix";
}

function byId(report: Report): Map<string, Result> {
  const map = new Map<string, Result>();
  for (const r of report.results) if (!map.has(r.id)) map.set(r.id, r);
  return map;
}

/** Per result id: A's status against B's. */
export function diffReports(a: Report, b: Report): ReportDiff {
  const inA = byId(a);
  const inB = byId(b);
  const rows = catalogOrder([...inA.keys(), ...inB.keys()]).map((id): DiffRow => {
    const ra = inA.get(id);
    const rb = inB.get(id);
    const statusA = ra?.status ?? null;
    const statusB = rb?.status ?? null;
    return {
      id,
      a: statusA,
      b: statusB,
      change: classify(statusA, statusB),
      detailA: ra?.detail ?? null,
      detailB: rb?.detail ?? null,
    };
  });
  const counts = Object.fromEntries(CHANGES.map((c) => [c, 0])) as Record<Change, number>;
  for (const row of rows) counts[row.change]++;
  return { a: { ...a.target }, b: { ...b.target }, counts, rows };
}
