/** Derived views of a report that several renderers share. */

import { GROUP_TITLES, GROUPS, type Group } from "../catalog/endpoints.js";
import {
  type DeviationRef,
  type Metrics,
  type Report,
  type Result,
  STATUSES,
  type Summary,
} from "../report/types.js";
import { clipText } from "./escape.js";

export interface ResultGroup {
  group: Group;
  title: string;
  results: Result[];
}

/** Results by group, in catalog group order (groups unknown to this version last), report order within. */
export function groupResults(results: readonly Result[]): ResultGroup[] {
  const known = new Set<string>(GROUPS);
  const extra = [...new Set(results.map((r) => r.group).filter((g) => !known.has(g)))];
  return [...GROUPS, ...extra]
    .map((group) => ({
      group,
      title: GROUP_TITLES[group] ?? group,
      results: results.filter((r) => r.group === group),
    }))
    .filter((g) => g.results.length > 0);
}

/** `3 PASS · 1 WARN · 2 FAIL · 1 SKIP in 12.3 s`; `paint` may colour each count. */
export function summaryLine(
  summary: Summary,
  durationMs: number,
  paint: (status: keyof Summary, text: string) => string = (_, text) => text,
): string {
  const counts = STATUSES.map((s) => paint(s, `${summary[s]} ${s}`)).join(" · ");
  return `${counts} in ${(durationMs / 1000).toFixed(1)} s`;
}

/** `123 ms`, or an em dash when nothing was measured. */
export function formatLatency(ms: number | null | undefined): string {
  return typeof ms === "number" && Number.isFinite(ms) ? `${Math.round(ms)} ms` : "—";
}

/** The metrics a row has, as label/value pairs (TTFB, TTFT, tokens per second, chunks). */
export function metricPairs(metrics: Metrics | undefined): [string, string][] {
  if (!metrics) return [];
  const pairs: [string, string][] = [];
  if (metrics.ttfbMs !== undefined) pairs.push(["TTFB", formatLatency(metrics.ttfbMs)]);
  if (metrics.ttftMs !== undefined) pairs.push(["TTFT", formatLatency(metrics.ttftMs)]);
  if (metrics.tokensPerSecond !== undefined) pairs.push(["Tokens/s", metrics.tokensPerSecond.toFixed(1)]);
  if (metrics.chunks !== undefined) pairs.push(["Chunks", String(metrics.chunks)]);
  return pairs;
}

export interface DeviationUse extends DeviationRef {
  /** Result ids that showed this deviation, in report order. */
  rows: string[];
}

/** Every deviation seen in the report, once, with the rows that showed it. */
export function collectDeviations(results: readonly Result[]): DeviationUse[] {
  const byId = new Map<string, DeviationUse>();
  for (const r of results) {
    for (const d of r.deviations) {
      const seen = byId.get(d.id);
      if (seen) {
        if (!seen.rows.includes(r.id)) seen.rows.push(r.id);
      } else byId.set(d.id, { ...d, implementations: [...d.implementations], rows: [r.id] });
    }
  }
  return [...byId.values()];
}

/** `chat=gpt-4o-mini`, … for the models the prober chose. */
export function modelPairs(report: Report): [string, string][] {
  return Object.entries(report.models)
    .filter((e): e is [string, string] => typeof e[1] === "string")
    .map(([kind, id]) => [clipText(kind), clipText(id)]);
}
