/** The probe plan: which catalog rows run for the chosen depth and filters, plus the rows they build on. */
import { type Depth, ENDPOINTS, type Endpoint, type Group } from "../catalog/endpoints.js";
import { isParamRow, paramName, paramSpecFor } from "../catalog/params.js";

export interface PlanOptions {
  depth: Depth;
  /** Row ids to keep (matched against the id, e.g. `/v1/chat/completions[tools]` or `client:ai-sdk/embed`). */
  only?: RegExp;
  /** Row ids to leave out. */
  skip?: RegExp;
  /** Keep only rows of these groups. */
  groups?: readonly Group[];
  /** false skips the `client:` rows (real SDKs). */
  clients?: boolean;
  /** true adds the parameter matrix (`[param:*]`, `[invalid:*]`) at any depth (`--params`). */
  params?: boolean;
  /** A further row filter (one model's rows, one shard's rows: src/probe/split.ts). */
  filter?: (row: Endpoint) => boolean;
}

const DEPTHS: Depth[] = ["quick", "standard", "deep"];

export function selectRows(opts: PlanOptions): Endpoint[] {
  const depth = DEPTHS.indexOf(opts.depth);
  return ENDPOINTS.filter(
    (e) =>
      (DEPTHS.indexOf(e.depth) <= depth || (opts.params === true && isParamRow(e.id))) &&
      (opts.clients !== false || !e.id.startsWith("client:")) &&
      (!opts.groups?.length || opts.groups.includes(e.group)) &&
      (!opts.filter || opts.filter(e)) &&
      (opts.only?.test(e.id) ?? true) &&
      !(opts.skip?.test(e.id) ?? false),
  );
}

/** What narrowed the selection, for "no row matches …". */
export function describeSelection(opts: PlanOptions): string {
  const parts: string[] = [];
  if (opts.groups?.length) parts.push(`--group ${opts.groups.join(",")}`);
  if (opts.only) parts.push(`--only ${opts.only.source}`);
  if (opts.skip) parts.push(`--skip ${opts.skip.source}`);
  if (opts.clients === false) parts.push("--no-clients");
  if (opts.params) parts.push("--params");
  if (opts.depth !== "standard") parts.push(`--depth ${opts.depth}`);
  return parts.join(" ") || "the selection";
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
  const param = paramName(row.id);
  if (param?.kind === "param") {
    // Rows that restate another row's evidence send nothing; logit_bias asks for the unbiased answer first.
    if (paramSpecFor(row.id)?.reuses) return 0;
    return /^\/v1\/chat\/completions\[param:logit_bias\]$|^\/v1\/responses\[param:conversation\]$/.test(
      row.id,
    )
      ? 2
      : 1;
  }
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
