/**
 * How a parameter-matrix row is graded, shared by the chat matrix (chat-param-matrix.ts) and the Responses matrix
 * (responses-param-matrix.ts):
 *
 *   accepted  2xx, nothing to verify about the effect (metadata, user, penalties …): PASS;
 *   honoured  2xx and the bytes prove the effect OpenAI guarantees (no call under tool_choice "none" …): PASS;
 *   ignored   2xx and the bytes prove the effect is missing: a protocol finding by the attribution rule
 *             (GUIDE.md), never "(model behaviour)": FAIL where clients relying on it break, WARN where they cope;
 *   rejected  4xx: FAIL for a `core` parameter (mainstream clients send it unasked, so they break), WARN for an
 *             `optional` one (the user opted in and the SDK raises an API error saying why); the detail says
 *             whether the envelope's `param` names the parameter (the best refusal: clients can drop it). A
 *             parameter that needs a model `capability` (image input, audio output) refused with 400/422 and the
 *             envelope is PASS: OpenAI refuses it the same way for a model without it;
 *   crashed   5xx: FAIL (openai-node retries 5xx, resending the request that crashed it).
 *
 * Parameters an existing row already judges (`reuses`) send nothing: the row restates that row's evidence.
 * Invalid values (`[invalid:*]`) should be refused with 400 and the envelope; accepting them is WARN.
 */
import type { ParamSpec } from "../catalog/params.js";
import { observedJson } from "../http/json.js";
import type { Check, Outcome, ProbeContext } from "../probe/types.js";
import type { ParamGrade } from "../report/types.js";
import { asRecord, finding, settle, skipC, startC } from "./depth.js";
import { type Enforcement, settleBehaviour } from "./enforcement.js";
import { refusalFindings, sendForRefusal } from "./error-response.js";
import { errorSummary, isErrorEnvelope } from "./expect.js";

export type Body = Record<string, unknown>;

/** A behaviour's enforcement as the matrix's grade. */
const ENFORCEMENT_GRADE = { enforced: "honoured", ignored: "ignored", unverified: "unverified" } as const;

/** The grade of a row that sent its own request, from its answer's status and recorded enforcement. */
function gradeOf(outcome: Outcome, kind: "param" | "invalid"): ParamGrade | undefined {
  const status = outcome.httpStatus;
  if (status === null || outcome.skip) return undefined;
  if (status >= 500) return "crashed";
  if (kind === "invalid") return status >= 300 ? "refused" : "accepts invalid";
  if (status >= 300) return "rejected";
  const state = outcome.enforcement?.state;
  return state ? ENFORCEMENT_GRADE[state] : "accepted";
}

/** Records the grade on the outcome unless the check set one itself (the reuse rows do). */
export const graded =
  (check: Check, kind: "param" | "invalid"): Check =>
  async (ctx) => {
    const outcome = await check(ctx);
    outcome.paramGrade ??= gradeOf(outcome, kind);
    return outcome;
  };

/** Does the error envelope name the parameter (its `param`, else its message)? */
function namesParam(json: unknown, spec: ParamSpec): "param" | "message" | undefined {
  const err = asRecord(asRecord(json)?.error);
  const names = spec.properties;
  const param = err?.param;
  if (typeof param === "string" && names.some((n) => param === n || param.startsWith(n))) return "param";
  const message = err?.message;
  if (typeof message === "string" && names.some((n) => message.includes(n))) return "message";
  return undefined;
}

/** The verdict of a non-2xx answer to a valid parameter (see the grades above). */
export function refused(outcome: Outcome, spec: ParamSpec): Outcome {
  const status = outcome.httpStatus;
  if (status === null || status < 300) return outcome;
  const summary = errorSummary(outcome.observation?.body);
  if (status >= 500) {
    outcome.verdict = {
      status: "FAIL",
      detail: `crashed: ${status} for a valid ${spec.name} (openai-node retries 5xx, resending it): ${summary}`,
    };
    return outcome;
  }
  const json = outcome.observation ? observedJson(outcome.observation) : undefined;
  const named = isErrorEnvelope(json) ? namesParam(json, spec) : undefined;
  const how = !isErrorEnvelope(json)
    ? "no error envelope"
    : named === "param"
      ? `param: ${String(asRecord(asRecord(json)?.error)?.param)}`
      : named === "message"
        ? "the message names it, param does not"
        : "the envelope does not name the parameter";
  if (spec.capability && isErrorEnvelope(json) && (status === 400 || status === 422)) {
    // OpenAI answers the same for a model without the capability: the SDK raises an error saying why.
    outcome.problems = outcome.problems.filter((p) => p.pointer !== "status");
    outcome.verdict = {
      status: "PASS",
      detail: `rejected: ${status} (${how}) — a model without ${spec.capability}, refused as OpenAI refuses one: ${summary}`,
    };
    return outcome;
  }
  const cost =
    spec.tier === "core"
      ? "clients that send it by default break"
      : "the SDK raises an API error; callers must drop it";
  outcome.verdict = {
    status: spec.tier === "core" ? "FAIL" : "WARN",
    detail: `rejected: ${status} (${how}) — ${cost}: ${summary}`,
  };
  for (const p of outcome.problems) if (p.pointer === "status" && spec.tier !== "core") p.severity = "warn";
  return outcome;
}

/** What a row sends beyond the endpoint's minimal request, and what it verifies in a usable answer. */
export interface OwnRequest<A> {
  body: Body;
  /** The effect's evidence in a usable answer; absent when the effect cannot be seen in the bytes. */
  honour?(answer: A): Enforcement | "no-evidence" | undefined;
}

/** An endpoint's side of the matrix: its minimal request and how a request is sent and read. */
export interface ParamEndpoint<A> {
  /** The smallest valid request for `model` (the row's body is spread over it). */
  base(model: string): Body;
  /** Sends the request; `body` only when the answer is usable. */
  post(ctx: ProbeContext, request: Body): Promise<{ outcome: Outcome; body?: A }>;
}

/**
 * A param row judges one parameter: the answer's shape findings (a missing `refusal`, a float `created` …) are
 * the base row's news, found there on the same kind of answer, and would otherwise lead every one of these rows.
 * An unusable answer still fails (the endpoint's own verdict), and the row's parameter findings come after.
 */
export function withoutShapeFindings(outcome: Outcome): Outcome {
  outcome.problems = outcome.problems.filter((p) => !p.pointer.startsWith("/"));
  return outcome;
}

/** The verdict of a 2xx answer: honoured/ignored where `e` is evidence, accepted otherwise. */
export function judgeAnswer(outcome: Outcome, e: Enforcement | "no-evidence" | undefined): Outcome {
  if (e === undefined || e === "no-evidence") {
    const why =
      e === "no-evidence" ? "nothing in the answer to verify it by" : "effect not visible in the bytes";
    return settle(outcome, [], `accepted · ${outcome.httpStatus} (${why})`);
  }
  return settleBehaviour(outcome, e, { passNote: `honoured · ${outcome.httpStatus} · ${e.param}` });
}

/** A row that sends its own request: the endpoint's base request with the parameter, then the grade. */
export function ownCheck<A>(spec: ParamSpec, own: OwnRequest<A>, endpoint: ParamEndpoint<A>): Check {
  return async (ctx) => {
    const start = await startC(ctx);
    if (start.skip) return start.skip;
    const request = { ...endpoint.base(start.model), ...own.body };
    const { outcome, body } = await endpoint.post(ctx, request);
    // A refusal's observation keeps what was sent, so a deviation can tell which value was refused.
    if (outcome.observation) outcome.observation.sent ??= request;
    if (!body) return refused(outcome, spec);
    return judgeAnswer(outcome, own.honour?.(body));
  };
}

/**
 * Evidence of a `reuses` row, restated: accepted/rejected/crashed from its status, honoured/ignored from its
 * verdict. `prefix` is the endpoint path stripped from the source id in details (`[n]` for
 * `/v1/chat/completions[n]`); `special` (asked first) judges a source whose evidence is not in its status and verdict (a usage
 * chunk, a GET that must be 404).
 */
export function reuseCheck(
  spec: ParamSpec,
  prefix: string,
  special?: (outcome: Outcome, dep: Outcome) => Outcome | undefined,
): Check {
  return async (ctx) => {
    const dep = await ctx.dependency();
    const source = spec.reuses!;
    const tag = source.startsWith(prefix) ? source.slice(prefix.length) || "base row" : source;
    if (!dep) return skipC(`${source} did not complete`);
    if (dep.skip) return skipC(`${source} skipped: ${dep.skip}`);
    const status = dep.httpStatus;
    const outcome: Outcome = { phase: "C", httpStatus: status, latencyMs: null, problems: [] };
    const detail = dep.verdict?.detail ?? dep.note ?? "";
    const own = special?.(outcome, dep);
    if (own) return own;
    if (status === null || status >= 300) {
      if (status !== null && status >= 500)
        return verdict(outcome, "FAIL", `crashed: ${status} in ${tag}: ${detail}`, "crashed");
      if (status === null) return verdict(outcome, "FAIL", `no answer in ${tag}: ${detail}`);
      const refusedStatus = spec.tier === "core" ? "FAIL" : "WARN";
      return verdict(outcome, refusedStatus, `rejected: ${status} in ${tag}: ${detail}`, "rejected");
    }
    // Only the source row's own verdict speaks about the parameter; its shape findings are about the answer.
    const fails = dep.verdict?.status === "FAIL";
    const state = dep.enforcement?.state;
    if (state === "ignored" || (fails && state !== "enforced")) {
      const severe = fails || dep.enforcement?.severity === "fail";
      const why = `ignored (${tag}): ${detail || "see that row"}`;
      return verdict(outcome, severe ? "FAIL" : "WARN", why, "ignored");
    }
    if (state === "unverified")
      return verdict(outcome, "WARN", `unverified (${tag}): ${detail}`, "unverified");
    if (dep.verdict?.status === "WARN")
      return verdict(outcome, "WARN", `honoured, with warnings (${tag}): ${detail}`, "honoured");
    outcome.note = `honoured · ${status} (${tag}${detail ? `: ${detail}` : ""})`;
    outcome.paramGrade = "honoured";
    return outcome;
  };
}

export function verdict(
  outcome: Outcome,
  status: "FAIL" | "WARN",
  detail: string,
  grade?: ParamGrade,
): Outcome {
  if (grade) outcome.paramGrade = grade;
  outcome.problems.push(
    finding(status === "FAIL" ? "fail" : "warn", "param", "honoured", "see detail", detail).problem,
  );
  outcome.verdict = { status, detail };
  return outcome;
}

/**
 * Out-of-range values: OpenAI answers 400 with the envelope. Accepting them is WARN: nothing breaks, but the
 * caller's mistake goes unnoticed and the server ran something other than what was asked.
 */
export function invalidCheck(notes: string, request: (model: string) => Body): Check {
  return async (ctx) => {
    const start = await startC(ctx);
    if (start.skip) return start.skip;
    const r = await sendForRefusal(ctx, { method: "POST", path: ctx.row.path, json: request(start.model) });
    if (r.status === undefined) return r.outcome;
    const findings = refusalFindings(r, 400, notes, (s) =>
      s === 422 ? " (422 is common; clients cope)" : "",
    ) ?? [
      finding("warn", "status", "400", String(r.status), `accepts invalid ${notes}: ${r.status}, not 400`),
    ];
    return settle(
      r.outcome,
      findings,
      `refused · ${r.status} · ${errorSummary(r.outcome.observation?.body)}`,
    );
  };
}
