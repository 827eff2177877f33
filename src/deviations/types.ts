import type { Endpoint } from "../catalog/endpoints.js";
import type { Observation } from "../probe/types.js";
import type { Problem } from "../report/types.js";

export interface Implementation {
  /** Canonical project name, e.g. `llama.cpp`, `vLLM`, `Ollama`, `LM Studio`, `SGLang`, `LiteLLM`, `LocalAI`. */
  name: string;
  /** Which versions behave so, as far as the sources say (e.g. `before v0.5.2`). */
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
  /** Only implementations a cited source confirms; empty when none is confirmed. */
  implementations: Implementation[];
  /** Where our docs explain it (no links: a path and anchor inside this repository). */
  docs: string;
  /** The predicate over what the check observed. */
  detect(obs: Observation, problems: readonly Problem[]): boolean;
  /** The findings this deviation accounts for, so they do not also grade the row. */
  explains?(problem: Problem): boolean;
  /** Why the verdict is WARN or FAIL: which clients cope or break, and the evidence. */
  why?: string;
  /** What `detect` looks for, in words (for `aioc deviations ID` and docs/deviations.md). */
  detection?: string;
  /** Where the behaviour is documented, link-free: "llama.cpp issue #5876", "vLLM docs: OpenAI-compatible server". */
  sources?: string[];
}

/** True when a `rows` pattern names this row id (exact, or a prefix ending in `*`). */
export function rowMatches(pattern: string, id: string): boolean {
  return pattern.endsWith("*") ? id.startsWith(pattern.slice(0, -1)) : pattern === id;
}

/**
 * The parameter matrix (`[param:*]`) judges one request parameter per row: only deviations that name those rows
 * explicitly apply there. Body and stream deviations (`/v1/chat/completions*`) are the base rows' news, and
 * repeating them on ~40 rows would bury the parameter findings. (`[invalid:*]` rows are refusals like the
 * error rows, so the error-envelope deviations apply to them as to those.)
 */
const MATRIX_ROW = /\[param:[^\]]+\]$/;
const namesMatrix = (pattern: string) => pattern.includes("[param:");

export function appliesTo(d: Deviation, row: Endpoint): boolean {
  const matrix = MATRIX_ROW.test(row.id);
  return d.rows.some((r) => (!matrix || namesMatrix(r)) && rowMatches(r, row.id));
}
