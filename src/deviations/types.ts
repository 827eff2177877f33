import type { Endpoint } from "../catalog/endpoints.js";
import type { Observation } from "../probe/types.js";
import type { Problem } from "../report/types.js";

export interface Implementation {
  name: string;
  versions?: string;
}

/**
 * A known "common but non-spec" behaviour. Verdict rule (README): FAIL when the official SDK or typical
 * clients break on it, WARN when they cope.
 */
export interface Deviation {
  id: string;
  /** Row ids it applies to; a trailing `*` matches a prefix (e.g. `/v1/chat/completions*`). */
  rows: string[];
  verdict: "WARN" | "FAIL";
  summary: string;
  implementations: Implementation[];
  /** Where our docs explain it (no links: a path and anchor inside this repository). */
  docs: string;
  /** The predicate over what the check observed. */
  detect(obs: Observation, problems: readonly Problem[]): boolean;
  /** The findings this deviation accounts for, so they do not also grade the row. */
  explains?(problem: Problem): boolean;
}

export function appliesTo(d: Deviation, row: Endpoint): boolean {
  return d.rows.some((r) => (r.endsWith("*") ? row.id.startsWith(r.slice(0, -1)) : r === row.id));
}
