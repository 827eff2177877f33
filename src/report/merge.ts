/**
 * Joins shard reports (`probe --shard i/n`) into whole ones: reports of the same target (url and name) become one,
 * its rows in catalog order, counts and requests added up, the run's span from the first start to the last end.
 * A row present in two shards (it should not be) keeps its first copy.
 */
import { ENDPOINTS } from "../catalog/endpoints.js";
import { withClients } from "./readiness.js";
import { type Report, type Result, summarize } from "./types.js";

const ORDER = new Map(ENDPOINTS.map((e, i) => [e.id, i]));

export function mergeReports(reports: readonly Report[]): Report[] {
  const groups = new Map<string, Report[]>();
  for (const r of reports) {
    const key = `${r.target.url}\u0000${r.target.name}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map(mergeOne);
}

function mergeOne(parts: Report[]): Report {
  const first = parts[0]!;
  const seen = new Set<string>();
  const results: Result[] = [];
  for (const p of parts) {
    for (const r of p.results) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      results.push(r);
    }
  }
  results.sort((a, b) => (ORDER.get(a.id) ?? 1e9) - (ORDER.get(b.id) ?? 1e9));
  const start = Math.min(...parts.map((p) => Date.parse(p.startedAt) || 0));
  const end = Math.max(...parts.map((p) => (Date.parse(p.startedAt) || 0) + p.durationMs));
  const models = Object.assign({}, ...parts.map((p) => p.models).reverse());
  const merged: Report = {
    ...first,
    startedAt: new Date(start).toISOString(),
    durationMs: end - start,
    models,
    summary: summarize(results),
    requests: parts.reduce((n, p) => n + p.requests, 0),
    results,
  };
  // clients (issue #14): graded again from the joined rows.
  delete merged.clients;
  Object.assign(merged, withClients(results));
  if (first.connection) {
    const { shard: _, ...connection } = first.connection;
    merged.connection = connection;
  }
  return merged;
}

/** Which shards of `n` are present, for a warning when some are missing. */
export function missingShards(reports: readonly Report[]): string[] {
  const shards = reports.map((r) => r.connection?.shard).filter((s): s is string => !!s);
  const count = Number(shards[0]?.split("/")[1]);
  if (!count) return [];
  const have = new Set(shards.map((s) => s.split("/")[0]));
  return Array.from({ length: count }, (_, i) => String(i + 1))
    .filter((i) => !have.has(i))
    .map((i) => `${i}/${count}`);
}
