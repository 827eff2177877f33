/**
 * How the [max_tokens] row (chat-bounds.ts) marks a limit the answer did not respect, so the parameter matrix
 * and the deviation catalog recognise its findings without parsing their sentences.
 */
import type { Problem } from "../report/types.js";

export type TokenLimit = "max_tokens" | "max_completion_tokens";

/** The `expected` tag of a finding that `param`: 1 was not honoured. */
export const limitTag = (param: string) => `(${param}: 1)`;

/** A finding of the [max_tokens] row that `param`: 1 was not honoured. */
export const limitNotHonoured = (param: TokenLimit) => (p: Problem) =>
  p.severity === "fail" && typeof p.expected === "string" && p.expected.includes(limitTag(param));

/** The `got` of the [max_tokens] finding that a cut one-token answer says finish_reason "stop" (not "length"). */
export const STOP_WHEN_CUT = 'finish_reason "stop" on a cut answer';
