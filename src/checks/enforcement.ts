/**
 * The attribution rule (GUIDE.md) as one mechanism. Every behaviour row asks for an effect through a request
 * parameter, and for most of them OpenAI guarantees the effect (`stop`, JSON modes, a forced `tool_choice`):
 * then the row first decides whether the SERVER enforced the parameter, from the bytes, and only then may the
 * rest be the model's freedom. A check returns an `Enforcement` with the findings about the model's part;
 * `attribute` turns them into the row's findings:
 *
 * - `ignored`: the answer proves the parameter was not enforced. A protocol finding naming the parameter (FAIL
 *   when clients relying on it break, WARN when they cope); what the model did is beside the point.
 * - `unverified`: the answer neither proves nor disproves it (cut before the evidence, the budget spent on
 *   reasoning, a temperature-0 answer that changed): WARN, "inconclusive", never "(model behaviour)".
 * - `enforced`: the server honoured the mechanism; the model findings (WARN "(model behaviour)") decide.
 */
import type { Outcome } from "../probe/types.js";
import { type Finding, finding, INCONCLUSIVE, settle } from "./depth.js";

export type EnforcementState = "enforced" | "ignored" | "unverified";

export interface Enforcement {
  /** The parameter as sent, e.g. `stop`, `response_format json_object`, `tool_choice "required"`. */
  param: string;
  state: EnforcementState;
  /** For `ignored` and `unverified`: what the bytes show, as a finding (the detail names no parameter). */
  evidence?: Finding;
}

export const enforced = (param: string): Enforcement => ({ param, state: "enforced" });

export function ignored(
  param: string,
  pointer: string,
  expected: string,
  got: string,
  why: string,
  severity: "fail" | "warn" = "fail",
): Enforcement {
  return { param, state: "ignored", evidence: finding(severity, pointer, expected, got, why) };
}

export function unverified(param: string, pointer: string, expected: string, got: string, why: string) {
  return {
    param,
    state: "unverified",
    evidence: finding("warn", pointer, expected, `${got} ${INCONCLUSIVE}`, why),
  } satisfies Enforcement;
}

/**
 * The row's findings: protocol findings always count; then the enforcement decides between its own evidence
 * and the model findings. `note` is added to an `ignored` detail (e.g. what a sibling row found).
 */
export function attribute(
  e: Enforcement,
  model: readonly Finding[] = [],
  protocol: readonly Finding[] = [],
  note = "",
): Finding[] {
  if (e.state === "enforced" || !e.evidence) return [...protocol, ...model];
  const { problem, detail } = e.evidence;
  const sentence =
    e.state === "ignored"
      ? `${e.param} not enforced: ${detail}${note}`
      : `inconclusive whether ${e.param} is enforced: ${detail}`;
  return [...protocol, { problem: { ...problem, param: e.param }, detail: sentence }];
}

/** Enforcement as plain data, for sibling rows and deviation predicates (`observation.facts.enforcement`). */
export const enforcementFact = (e: Enforcement) => ({
  param: e.param,
  state: e.state,
  ...(e.evidence ? { severity: e.evidence.problem.severity } : {}),
});

export interface BehaviourFindings {
  /** What the model did with the freedom the mechanism leaves it (built with `modelBehaviour`). */
  model?: readonly Finding[];
  /** Defects that stand whatever the enforcement (a tool call without a name …). */
  protocol?: readonly Finding[];
  /** Appended to an `ignored` detail. */
  note?: string;
  passNote?: string;
}

/** settle() for a behaviour row: records the enforcement on the outcome and attributes the findings. */
export function settleBehaviour(outcome: Outcome, e: Enforcement, f: BehaviourFindings = {}): Outcome {
  outcome.enforcement = enforcementFact(e);
  if (outcome.observation) outcome.observation.facts.enforcement = enforcementFact(e);
  return settle(outcome, attribute(e, f.model, f.protocol, f.note), f.passNote);
}
