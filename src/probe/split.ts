/**
 * How the work divides: rows that depend on the chat model (probed once per model) versus shared rows (once per
 * target), and `--shard i/n`, which deals whole dependency chains round-robin so every shard can run its rows
 * without the others. The deal depends only on the catalog, the options and the target/model order, so the same
 * command on n machines covers everything exactly once.
 */
import { ENDPOINTS, type Endpoint } from "../catalog/endpoints.js";
import { UsageError } from "../cli/errors.js";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n (e.g. --shard 2/4), got "${s}"`);
  }
  return { index, count };
}

/** Rows whose requests use the chat model: probed again for every model in `--models`. */
export function isModelRow(row: Endpoint): boolean {
  return row.model === "chat";
}

const BY_ID = new Map(ENDPOINTS.map((e) => [e.id, e]));

/** The first row of a row's `needs` chain. */
function chainRoot(row: Endpoint): string {
  let r = row;
  for (let guard = 0; r.needs && guard < 20; guard++) r = BY_ID.get(r.needs) ?? r;
  return r.id;
}

const ROOTS = [...new Set(ENDPOINTS.map(chainRoot))];

/**
 * The row filter for one unit of work (target `t`, model `m`): model rows only after the first model, and only
 * the chains dealt to this shard. Unit (t, m) starts the deal at offset t + m so small units spread out.
 */
export function unitFilter(
  t: number,
  m: number,
  shard: Shard | undefined,
): ((row: Endpoint) => boolean) | undefined {
  if (!shard && m === 0) return undefined;
  return (row) => {
    if (m > 0 && !isModelRow(row)) return false;
    if (!shard) return true;
    const k = ROOTS.indexOf(chainRoot(row));
    return (k + t + m) % shard.count === shard.index - 1;
  };
}
