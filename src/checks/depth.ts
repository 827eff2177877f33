/**
 * Phase C building blocks: the base-row gate every Phase C row passes first, findings with their own one-line
 * detail, and `settle`, which turns findings into the row's verdict.
 *
 * Verdict rule for behaviour rows: a protocol defect (non-2xx, broken shape or framing, a guaranteed parameter
 * the server did not enforce: see enforcement.ts) is a `fail` finding; what the model chose to do with the
 * freedom the server left it is a `warn` finding marked "(model behaviour)", so a behaviour row never FAILs
 * because of the model.
 */
import type { Endpoint } from "../catalog/endpoints.js";
import { LIKE_NO_ROUTE } from "../probe/calibrate.js";
import type { Outcome, ProbeContext } from "../probe/types.js";
import type { Problem } from "../report/types.js";
import { errorSummary, requireModel, skipped } from "./expect.js";

const MODEL_BEHAVIOUR = "(model behaviour)";
/** Marks a finding that could not tell whether the server enforced a parameter (see enforcement.ts). */
export const INCONCLUSIVE = "(inconclusive)";

/** A problem plus the sentence the row's detail shows when it is the deciding one. */
export interface Finding {
  problem: Problem;
  detail: string;
}

export function finding(
  severity: Problem["severity"],
  pointer: string,
  expected: string,
  got: string,
  detail: string,
): Finding {
  return { problem: { pointer, expected, got, severity }, detail };
}

/** Was this finding about what the model said (see modelBehaviour)? */
export const isModelBehaviour = (p: Problem): boolean => p.got.endsWith(MODEL_BEHAVIOUR);

/** May another run of the row come out differently (model behaviour, or inconclusive evidence)? */
export const mayVary = (p: Problem): boolean => isModelBehaviour(p) || p.got.endsWith(INCONCLUSIVE);

/** What the model said, not what the server did: a warning, never a failure. */
export function modelBehaviour(pointer: string, expected: string, got: string, detail: string): Finding {
  return finding("warn", pointer, expected, `${got} ${MODEL_BEHAVIOUR}`, `${detail} ${MODEL_BEHAVIOUR}`);
}

export const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

export const skipC = (reason: string): Outcome => skipped(reason, "C");

/** Statuses that mean the base row's route is absent or not usable with our credentials. */
const UNUSABLE_BASE = new Set([401, 403, 404, 501]);

/** Why the base row cannot carry a Phase C row built on it; undefined when it can. */
function baseUnavailable(needs: string, base: Outcome | undefined): string | undefined {
  if (!base) return `base row ${needs} did not complete`;
  if (base.skip) return `base row ${needs} skipped: ${base.skip}`;
  if (!base.verdict) return undefined;
  if (base.httpStatus === null) return `base row ${needs} got no response`;
  if (base.httpStatus === 404) return `base row ${needs} absent (404)`;
  if (base.observation?.facts[LIKE_NO_ROUTE])
    return `base row ${needs} answers like a path that cannot exist (${base.httpStatus})`;
  if (base.httpStatus === 501) return `base row ${needs} not implemented (501)`;
  if (UNUSABLE_BASE.has(base.httpStatus)) return `base row ${needs} not authorised (${base.httpStatus})`;
  return undefined;
}

export type Start = { skip: Outcome } | { skip?: undefined; base: Outcome; model: string };

/**
 * The gate every Phase C row passes first: its base row must have a usable route, and rows that declare a
 * model kind need such a model. `model` is "" for rows without one.
 */
export async function startC(ctx: ProbeContext): Promise<Start> {
  const needs = ctx.row.needs;
  if (!needs) throw new Error(`${ctx.row.id} is a Phase C row without a base row`);
  const base = await ctx.dependency();
  const why = baseUnavailable(needs, base);
  if (why || !base) return { skip: skipC(why ?? `base row ${needs} did not complete`) };
  if (!ctx.row.model) return { base, model: "" };
  const model = requireModel(ctx);
  if (typeof model !== "string") return { skip: { ...model, phase: "C" } };
  return { base, model };
}

function withMore(first: string, count: number): string {
  return count > 1 ? `${first} (+${count - 1} more)` : first;
}

/**
 * Adds the findings to the outcome and decides its verdict: the first fail finding's detail when anything
 * fails, else the first warn finding's; `passNote` otherwise. An outcome that already has a verdict (the
 * request itself was unusable) or a skip keeps it.
 */
export function settle(outcome: Outcome, findings: readonly Finding[], passNote?: string): Outcome {
  outcome.phase = "C";
  outcome.problems.push(...findings.map((f) => f.problem));
  outcome.details ??= new Map();
  for (const f of findings) outcome.details.set(f.problem, f.detail);
  if (outcome.verdict || outcome.skip) return outcome;
  const fails = outcome.problems.filter((p) => p.severity === "fail").length;
  const firstFail = findings.find((f) => f.problem.severity === "fail");
  if (fails > 0) {
    // Shape problems without a finding are described by grade(); a finding's own sentence reads better.
    if (firstFail) {
      outcome.verdict = { status: "FAIL", detail: withMore(firstFail.detail, fails) };
      outcome.decisive = firstFail.problem;
    }
    return outcome;
  }
  const warns = outcome.problems.filter((p) => p.severity === "warn").length;
  const firstWarn = findings.find((f) => f.problem.severity === "warn");
  if (firstWarn) {
    outcome.verdict = { status: "WARN", detail: withMore(firstWarn.detail, warns) };
    outcome.decisive = firstWarn.problem;
  } else if (passNote && warns === 0) outcome.note = passNote;
  return outcome;
}

/**
 * An optional (`ext`) feature the server refuses cleanly with 400/422 is not implemented, not broken: WARN.
 * Core features, and any other failure, keep their FAIL.
 */
export function refusedOptional(outcome: Outcome, row: Endpoint, feature: string): Outcome {
  const status = outcome.httpStatus;
  if (row.kind === "core" || !outcome.verdict || (status !== 400 && status !== 422)) return outcome;
  outcome.problems = outcome.problems.map((p) => (p.pointer === "status" ? { ...p, severity: "warn" } : p));
  outcome.verdict = {
    status: "WARN",
    detail: `${status} — ${feature} not supported: ${errorSummary(outcome.observation?.body)}`,
  };
  return outcome;
}
