/**
 * Phase C tool calling: a forced tool call, by name and by "required" (plain and streamed), and a follow-up turn
 * carrying the tool result. OpenAI guarantees a call when tool_choice forces one, so plain text, or a call to
 * another function, means the server did not enforce tool_choice (enforcement.ts); the arguments are the model's.
 */
import type { Check, Outcome } from "../probe/types.js";
import {
  excerpt,
  FORCE_TOOL,
  firstChoice,
  postChat,
  reasoningOf,
  TOOL_NAME,
  TOOL_PROMPT,
  tryJson,
  userMessage,
  WEATHER_TOOL,
} from "./chat-depth.js";
import { asRecord, type Finding, finding, modelBehaviour, settle, startC } from "./depth.js";
import { type Enforcement, enforced, ignored, settleBehaviour, unverified } from "./enforcement.js";
import { expectSse } from "./expect.js";
import { jsonPrefix } from "./json-prefix.js";
import { streamView } from "./stream-frames.js";

/** How a request forces the call, with the parameter's name for details. */
export interface Forcing {
  param: string;
  choice: unknown;
}

export const NAMED: Forcing = { param: `tool_choice naming ${TOOL_NAME}`, choice: FORCE_TOOL };
export const REQUIRED: Forcing = { param: 'tool_choice "required"', choice: "required" };

const TOOL_MAX_TOKENS = 128;

const toolRequest = (model: string, forcing: Forcing) => ({
  model,
  messages: userMessage(TOOL_PROMPT),
  tools: [WEATHER_TOOL],
  tool_choice: forcing.choice,
  max_tokens: TOOL_MAX_TOKENS,
});

interface Call {
  name: unknown;
  arguments: unknown;
}

/** What came back besides the calls: text content, reasoning text and the finish_reason. */
export interface Answer {
  calls: Call[];
  content: unknown;
  reasoning: string;
  finish: unknown;
  /** usage.completion_tokens, and the max_tokens the request set, when known: was the answer cut at the limit? */
  completionTokens?: unknown;
  maxTokens?: number;
}

const hasText = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

/**
 * Was the forced call enforced? With a call, the arguments are the model's (WARN "(model behaviour)"); plain
 * text, no call, or a call to a function other than the forced one is the server's.
 */
export function forcedCall(
  forcing: Forcing,
  a: Answer,
  pointer: string,
): { e: Enforcement; model: Finding[] } {
  const { param } = forcing;
  const call = a.calls[0];
  if (!call) {
    if (hasText(a.content)) {
      const why = `a plain-text answer, no tool call: ${excerpt(a.content)}`;
      return { e: ignored(param, pointer, `a call to ${TOOL_NAME}`, "no tool call", why), model: [] };
    }
    if (a.reasoning && a.finish === "length") {
      const why = `the budget went to reasoning_content (${a.reasoning.length} characters) before any call`;
      return { e: unverified(param, pointer, `a call to ${TOOL_NAME}`, "no tool call", why), model: [] };
    }
    const why = `no tool call and no content (finish_reason ${String(a.finish)})`;
    return { e: ignored(param, pointer, `a call to ${TOOL_NAME}`, "no tool call", why), model: [] };
  }
  if (call.name !== TOOL_NAME) {
    const why = `the call is to ${excerpt(call.name)}, not to the only tool offered, ${TOOL_NAME}`;
    return { e: ignored(param, `${pointer}/0/function/name`, TOOL_NAME, excerpt(call.name), why), model: [] };
  }
  if (hasText(a.content)) {
    // OpenAI answers a forced call with content null; clients still get the call, so they cope: WARN.
    const why = `free text precedes the call: ${excerpt(a.content)}`;
    const at = pointer.replace(/tool_calls$/, "content");
    return { e: ignored(param, at, "null (a forced call only)", excerpt(a.content), why, "warn"), model: [] };
  }
  if (typeof call.arguments !== "string") {
    // OpenAI sends the arguments as a JSON-encoded string; clients JSON.parse it, which throws on an object.
    const at = `${pointer}/0/function/arguments`;
    const got =
      call.arguments === null ? "null" : Array.isArray(call.arguments) ? "an array" : typeof call.arguments;
    const why = `the tool call's function.arguments is ${got === "object" ? "an object" : got}, not a JSON string: clients JSON.parse it and fail`;
    return { e: enforced(param), model: [finding("fail", at, "a JSON string", got, why)] };
  }
  const args = tryJson(call.arguments);
  if (!args || !asRecord(args.value)) {
    const at = `${pointer}/0/function/arguments`;
    const got = excerpt(call.arguments);
    const cut = typeof call.arguments === "string" ? cutArguments(a, call.arguments) : undefined;
    const model = cut
      ? finding("warn", at, "a JSON object", got, cut)
      : modelBehaviour(at, "a JSON object", got, `tool arguments are not a JSON object: ${got}`);
    return { e: enforced(param), model: [model] };
  }
  return { e: enforced(param), model: [] };
}

/**
 * Arguments cut by the token limit are not the model's doing. Valid JSON so far with finish_reason "length": aioc's
 * budget cut them (inconclusive). Cut at the limit with another finish_reason ("tool_calls"): the server reports a
 * cut call as complete, and clients parse broken JSON.
 */
function cutArguments(a: Answer, args: string): string | undefined {
  const prefix = jsonPrefix(args).state === "prefix";
  if (prefix && a.finish === "length")
    return "inconclusive: the tool arguments were cut by max_tokens inside valid JSON";
  const used = a.completionTokens;
  if (a.maxTokens === undefined || typeof used !== "number" || used < a.maxTokens || a.finish === "length")
    return undefined;
  return `the tool arguments end ${prefix ? "mid-JSON" : "unfinished"} at the max_tokens limit (completion_tokens ${used}) but finish_reason is ${JSON.stringify(a.finish)}, not "length": clients take the cut call as complete`;
}

const callNote = (status: number | null, calls: Call[], extra = "") =>
  `${status} · called ${String(calls[0]?.name)}(${String(calls[0]?.arguments).slice(0, 40)})${extra}`;

/** What the sibling row found about the other form of forcing, for this row's detail. */
function siblingNote(base: Outcome, self: Enforcement): string {
  const other = base.enforcement;
  if (!other || other.param === self.param) return "";
  if (self.state === "ignored" && other.state === "enforced") return ` (${other.param} is enforced)`;
  if (self.state === "ignored" && other.state === "ignored") return ` (nor is ${other.param})`;
  if (self.state === "enforced" && other.state === "ignored") return ` (${other.param} is not enforced)`;
  return "";
}

function forcedCallCheck(forcing: Forcing): Check {
  return async (ctx) => {
    const start = await startC(ctx);
    if (start.skip) return start.skip;
    const { outcome, body } = await postChat(ctx, toolRequest(start.model, forcing));
    if (!body) return settle(outcome, []);
    // id, type and function.name/arguments are required by the ChatCompletion shape: missing ones already FAIL.
    const choice = firstChoice(body);
    const raw = choice?.message?.tool_calls;
    const calls = (Array.isArray(raw) ? raw : []).map((c) => {
      const fn = asRecord(asRecord(c)?.function);
      return { name: fn?.name, arguments: fn?.arguments };
    });
    const answer = {
      calls,
      content: choice?.message?.content,
      reasoning: reasoningOf(choice),
      finish: choice?.finish_reason,
      completionTokens: asRecord(body.usage)?.completion_tokens,
      maxTokens: TOOL_MAX_TOKENS,
    };
    const { e, model } = forcedCall(forcing, answer, "/choices/0/message/tool_calls");
    const note = siblingNote(start.base, e);
    return settleBehaviour(outcome, e, { model, note, passNote: callNote(outcome.httpStatus, calls, note) });
  };
}

interface Assembled extends Call {
  ids: Set<string>;
  /** A delta carried `id: ""` (the tool-call-empty-id deviation: WARN, clients synthesise one). */
  emptyId: boolean;
  type: unknown;
  /** Where the call's first delta was, for pointers. */
  at: string;
}

/**
 * Reassembles streamed tool-call deltas the way openai-node's stream helper does: by `index`, first id and
 * type kept, name overwritten, arguments concatenated.
 */
function reassembleToolCalls(frames: { i: number; data: unknown }[]): {
  calls: Assembled[];
  findings: Finding[];
} {
  const byIndex = new Map<number, Assembled>();
  const findings: Finding[] = [];
  for (const { i, data } of frames) {
    const choices = asRecord(data)?.choices;
    if (!Array.isArray(choices)) continue;
    choices.forEach((choice, c) => {
      const deltas = asRecord(asRecord(choice)?.delta)?.tool_calls;
      if (!Array.isArray(deltas)) return;
      deltas.forEach((d, k) => {
        const delta = asRecord(d) ?? {};
        const at = `stream/${i}/choices/${c}/delta/tool_calls/${k}`;
        if (typeof delta.index !== "number") {
          if (!findings.length) {
            findings.push(
              finding(
                "fail",
                `${at}/index`,
                "integer",
                "missing",
                "a tool-call delta has no index: clients cannot tell which call it continues",
              ),
            );
          }
          return;
        }
        let call = byIndex.get(delta.index);
        if (!call) {
          call = { ids: new Set(), emptyId: false, type: undefined, name: "", arguments: "", at };
          byIndex.set(delta.index, call);
        }
        if (typeof delta.id === "string" && delta.id) call.ids.add(delta.id);
        if (delta.id === "") call.emptyId = true;
        if (delta.type !== undefined && delta.type !== null) call.type ??= delta.type;
        const fn = asRecord(delta.function);
        if (typeof fn?.name === "string" && fn.name) call.name = fn.name;
        if (typeof fn?.arguments === "string") call.arguments = `${call.arguments}${fn.arguments}`;
      });
    });
  }
  const calls = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  for (const call of calls) {
    if (call.ids.size === 0 && call.emptyId) {
      findings.push(
        finding(
          "warn",
          `${call.at}/id`,
          "a tool-call id",
          "empty string",
          "the streamed tool call's id is empty",
        ),
      );
    } else if (call.ids.size === 0) {
      findings.push(
        finding(
          "fail",
          `${call.at}/id`,
          "a tool-call id",
          "missing",
          "the streamed tool call has no id: a tool result cannot reference it",
        ),
      );
    } else if (call.ids.size > 1) {
      findings.push(
        finding(
          "warn",
          `${call.at}/id`,
          "one id per call",
          `${call.ids.size} ids`,
          `the streamed tool call's deltas carry ${call.ids.size} different ids`,
        ),
      );
    }
    if (call.type !== "function") {
      findings.push(
        finding(
          "fail",
          `${call.at}/type`,
          "function",
          call.type === undefined ? "missing" : excerpt(call.type),
          'the streamed tool call has no type "function" (openai-node\'s stream helper throws)',
        ),
      );
    }
    if (!call.name) {
      findings.push(
        finding(
          "fail",
          `${call.at}/function/name`,
          "a function name",
          "missing",
          "the streamed tool call has no function.name (openai-node's stream helper throws)",
        ),
      );
    }
  }
  return { calls, findings };
}

/** Text the stream carried beside the calls: `delta.content` and `delta.reasoning_content`, and the last finish_reason. */
function streamedText(frames: { data: unknown }[]): Omit<Answer, "calls"> {
  let content = "";
  let reasoning = "";
  let finish: unknown;
  for (const { data } of frames) {
    const choices = asRecord(data)?.choices;
    if (!Array.isArray(choices)) continue;
    for (const choice of choices) {
      const delta = asRecord(asRecord(choice)?.delta);
      if (typeof delta?.content === "string") content += delta.content;
      if (typeof delta?.reasoning_content === "string") reasoning += delta.reasoning_content;
      const f = asRecord(choice)?.finish_reason;
      if (f !== null && f !== undefined) finish = f;
    }
  }
  return { content, reasoning, finish };
}

const toolsStream: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = { ...toolRequest(start.model, NAMED), stream: true };
  // Terminated as the plain stream must be: [DONE] (WARN when missing, see expectSse) and a finish_reason.
  const outcome = await expectSse(
    ctx,
    { method: "POST", path: ctx.row.path, json },
    { frame: "ChatCompletionChunk", requireDone: true },
  );
  if (outcome.verdict || !outcome.observation) return settle(outcome, []);
  const frames = streamView(outcome.observation).frames;
  const { calls, findings } = reassembleToolCalls(frames);
  const text = streamedText(frames);
  if (text.finish === undefined) {
    findings.push(
      // `expected`/`got` as the base row words it, so the no-finish-reason deviation recognises it.
      finding(
        "fail",
        "stream",
        "a chunk carrying finish_reason",
        "none",
        'no chunk carries finish_reason (openai-node\'s stream helper throws "missing finish_reason")',
      ),
    );
  }
  const structural = findings.some((f) => f.problem.severity === "fail");
  const { e, model } = structural
    ? { e: enforced(NAMED.param), model: [] }
    : forcedCall(NAMED, { calls, ...text }, "stream/tool_calls");
  const extra = calls.length > 1 ? ` (+${calls.length - 1} more calls)` : "";
  return settleBehaviour(outcome, e, {
    model,
    protocol: findings,
    passNote: callNote(outcome.httpStatus, calls, `${extra}, reassembled from the stream`),
  });
};

const CALL_ID = "call_aioc_probe_1";

/** A whole tool round trip as agents send it: the assistant's call, then the tool's answer. */
const toolResult: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = {
    model: start.model,
    messages: [
      ...userMessage(TOOL_PROMPT),
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: CALL_ID, type: "function", function: { name: TOOL_NAME, arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: "tool", tool_call_id: CALL_ID, content: '{"temperature_c":21,"sky":"clear"}' },
    ],
    tools: [WEATHER_TOOL],
    max_tokens: 64,
  };
  const { outcome } = await postChat(ctx, json);
  return settle(outcome, [], `${outcome.httpStatus} · tool result accepted`);
};

export const toolChecks: Record<string, Check> = {
  "/v1/chat/completions[tools]": forcedCallCheck(NAMED),
  "/v1/chat/completions[tools-required]": forcedCallCheck(REQUIRED),
  "/v1/chat/completions[tools-stream]": toolsStream,
  "/v1/chat/completions[tool-result]": toolResult,
};
