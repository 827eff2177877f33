/** The probe plan: which catalog rows run for the chosen depth and filters, plus the rows they build on. */
import { type Depth, ENDPOINTS, type Endpoint, type Group } from "../catalog/endpoints.js";

export interface PlanOptions {
  depth: Depth;
  only?: RegExp;
  group?: Group;
  /** false skips the `client:` rows (real SDKs). */
  clients?: boolean;
  /** A further row filter (one model's rows, one shard's rows: src/probe/split.ts). */
  filter?: (row: Endpoint) => boolean;
}

const DEPTHS: Depth[] = ["quick", "standard", "deep"];

export function selectRows(opts: PlanOptions): Endpoint[] {
  const depth = DEPTHS.indexOf(opts.depth);
  return ENDPOINTS.filter(
    (e) =>
      DEPTHS.indexOf(e.depth) <= depth &&
      (opts.clients !== false || !e.id.startsWith("client:")) &&
      (!opts.group || e.group === opts.group) &&
      (!opts.filter || opts.filter(e)) &&
      (!opts.only || opts.only.test(e.id) || opts.only.test(e.path)),
  );
}

/** The selected rows plus every row they transitively need, in catalog order. */
export function withDependencies(rows: readonly Endpoint[]): Endpoint[] {
  const ids = new Set(rows.map((r) => r.id));
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of ENDPOINTS) {
      if (ids.has(e.id) && e.needs && !ids.has(e.needs)) {
        ids.add(e.needs);
        grew = true;
      }
    }
  }
  return ENDPOINTS.filter((e) => ids.has(e.id));
}

/** Requests a row sends to a compliant server (an estimate, for scheduling only). */
export function expectedRequests(row: Endpoint): number {
  if (row.id.endsWith("[stream-forensics]")) return 0;
  return /\[(max_tokens|stop|seed)\]$|^client:openai-node\/chat\.stream$/.test(row.id) ? 2 : 1;
}

/**
 * For each row, the longest chain of expected requests from its start to the end of the rows that build on it
 * (transitively): the scheduler's priority, so the video job, STT before translations and the chat base rows
 * before their followers start first.
 */
export function chainLengths(rows: readonly Endpoint[]): Map<string, number> {
  const followers = new Map<string, Endpoint[]>();
  for (const r of rows) if (r.needs) followers.set(r.needs, [...(followers.get(r.needs) ?? []), r]);
  const memo = new Map<string, number>();
  const chain = (r: Endpoint): number => {
    let n = memo.get(r.id);
    if (n === undefined) {
      n = expectedRequests(r) + Math.max(0, ...(followers.get(r.id) ?? []).map(chain));
      memo.set(r.id, n);
    }
    return n;
  };
  for (const r of rows) chain(r);
  return memo;
}
