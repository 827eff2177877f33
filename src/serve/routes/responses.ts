/** POST /v1/responses: a Response object, or its typed event stream (no `[DONE]`, as on OpenAI). */

import { samplingBounds } from "../chat-params.js";
import type { Ctx, Route } from "../context.js";
import { readReplyFormat } from "../formats.js";
import {
  contentText,
  countTokens,
  formattedReply,
  logprobEntries,
  newId,
  nowSeconds,
  type Shaped,
  shapeText,
} from "../generate.js";
import { loadedChatModel, requestModel } from "../models.js";
import { isObject, type Json, type Params } from "../params.js";
import { badRequest, DONE, json, missingParam, type SseMessage, sse } from "../reply.js";
import {
  checkInputItem,
  type ResponsesEcho,
  maxOutputTokens as readMaxOutputTokens,
  responsesParams,
} from "../responses-params.js";
import { argumentPieces, callTool, chooseTool, functionTools, type ToolCall } from "../tools.js";
import { echoTools, inputItems, previousContext, storeResponse } from "./response-state.js";

interface Plan {
  id: string;
  created: number;
  model: string;
  inputTokens: number;
  shaped: Shaped;
  call?: ToolCall;
  /** `top_logprobs` when output_text logprobs were asked for via `include`. */
  logprobs?: number;
  /** Request fields the Response object echoes back. */
  echo: Json;
  /** The parameters responses-params.ts validated, as the Response echoes them. */
  more: ResponsesEcho;
  item: Json;
  /** llama-server's way: the status says "completed" even when max_output_tokens cut the output. */
  completedWhenCut: boolean;
  /** The input as stored items (for GET /v1/responses/{id}/input_items). */
  input: Json[];
}

/** Counts input tokens and tells whether the input ends with a tool result. */
function readInput(p: Params, quirks: ReadonlySet<string>): { tokens: number; answersToolResult: boolean } {
  const input = p.raw("input");
  if (input === undefined) throw missingParam("input");
  if (typeof input === "string") return { tokens: countTokens(input), answersToolResult: false };
  if (!Array.isArray(input) || input.length === 0) {
    throw badRequest("Invalid 'input': expected a string or a non-empty array of input items.", "input");
  }
  let tokens = 0;
  input.forEach((item, i) => {
    if (!isObject(item)) {
      throw badRequest(`Invalid type for 'input[${i}]': expected an object.`, `input[${i}]`);
    }
    checkInputItem(item, i, quirks);
    const output = typeof item.output === "string" ? item.output : "";
    tokens += countTokens(contentText(item.content)) + countTokens(output);
  });
  const last = input.at(-1) as Json;
  return { tokens, answersToolResult: last.type === "function_call_output" };
}

function plan(ctx: Ctx): Plan & { stream: boolean } {
  const p = ctx.body;
  const model = requestModel(p, undefined, loadedChatModel(ctx.quirks));
  const { tokens, answersToolResult } = readInput(p, ctx.quirks);
  // Unknown ids are refused before anything else; the chained context counts as input (as OpenAI bills it).
  const previous = previousContext(ctx);
  const instructions = p.string("instructions");
  // The spec's minimum is 16 (OpenAI refuses less with 400).
  const maxOutputTokens = readMaxOutputTokens(p, ctx.quirks);
  const more = responsesParams(p);
  const { temperature, topP } = samplingBounds(p, ctx.quirks);
  const text = p.object("text");
  // llama-server does not translate text.format to response_format (responses-text-format-ignored).
  const format = ctx.quirks.has("responses-text-format-ignored")
    ? ({ type: "text" } as const)
    : readReplyFormat(text?.format, "text.format", "responses");
  const tool = chooseTool(p, functionTools(p, "responses"), "responses", answersToolResult, ctx.quirks);
  const include = p.array("include") ?? [];
  const topLogprobs = p.int("top_logprobs", { min: 0, max: 20 });
  const completedWhenCut = ctx.quirks.has("responses-completed-when-cut");
  // Under that quirk the "model" never stops (as the field lab's does), so the limit is what ends the reply.
  // A plain-text request to count (as the [incomplete] row sends) is answered by counting, so the limit can cut it.
  const text0 = countingReply(p.raw("input"), format.type) ?? formattedReply(format);
  const reply = completedWhenCut && format.type === "text" ? runOn(text0, maxOutputTokens) : text0;
  const shaped = shapeText(reply, { maxTokens: maxOutputTokens });
  const call = tool ? callTool(tool) : undefined;
  const logprobs = include.includes("message.output_text.logprobs") ? (topLogprobs ?? 0) : undefined;
  const base = {
    id: newId("resp_", 48),
    created: nowSeconds(),
    model,
    inputTokens: tokens + countTokens(instructions ?? "") + previous,
  };
  const echo: Json = {
    instructions: instructions ?? null,
    max_output_tokens: maxOutputTokens ?? null,
    metadata: p.object("metadata") ?? {},
    parallel_tool_calls: p.bool("parallel_tool_calls") ?? true,
    previous_response_id: ctx.quirks.has("previous-response-id-dropped")
      ? null
      : (p.string("previous_response_id") ?? null),
    store: p.bool("store") ?? true,
    temperature: temperature ?? 1,
    text: { format: text?.format ?? { type: "text" }, verbosity: more.verbosity },
    tool_choice: p.raw("tool_choice") ?? "auto",
    tools: echoTools(p.array("tools") ?? []),
    top_logprobs: topLogprobs ?? 0,
    top_p: topP ?? 1,
    user: p.string("user") ?? null,
  };
  const planned = {
    ...base,
    shaped,
    call,
    logprobs,
    echo,
    more,
    completedWhenCut,
    input: inputItems(p.raw("input")),
    stream: p.bool("stream") ?? false,
  };
  return { ...planned, item: outputItem(planned) };
}

/** "Count from 1 to N" (N ≤ 1000) as the whole string input: the numbers, space-separated. */
function countingReply(input: unknown, format: string): string | undefined {
  const n =
    typeof input === "string" && format === "text"
      ? /^count from 1 to (\d{1,3})\b/i.exec(input)?.[1]
      : undefined;
  return n ? Array.from({ length: Number(n) }, (_, i) => i + 1).join(" ") : undefined;
}

/** The reply repeated until it is longer than `maxTokens` (unchanged without a limit). */
function runOn(text: string, maxTokens: number | undefined): string {
  if (maxTokens === undefined) return text;
  let out = text;
  while (countTokens(out) <= maxTokens) out += ` ${text}`;
  return out;
}

const lp = (plan: Pick<Plan, "logprobs">, tokens: readonly string[], from = 0) =>
  plan.logprobs === undefined ? [] : logprobEntries(tokens, plan.logprobs, from);

function outputItem(plan: Omit<Plan, "item">): Json {
  if (plan.call) {
    const { id, name, arguments: args } = plan.call;
    return {
      id: newId("fc_", 48),
      type: "function_call",
      status: "completed",
      arguments: args,
      call_id: id,
      name,
    };
  }
  const incomplete = plan.shaped.finish === "length" && !plan.completedWhenCut;
  return {
    id: newId("msg_", 48),
    type: "message",
    status: incomplete ? "incomplete" : "completed",
    content: [
      {
        type: "output_text",
        annotations: [],
        logprobs: lp(plan, plan.shaped.tokens),
        text: plan.shaped.text,
      },
    ],
    role: "assistant",
  };
}

const outputTokens = (plan: Plan) =>
  plan.call ? countTokens(plan.call.name) + countTokens(plan.call.arguments) : plan.shaped.tokens.length;

const finalStatus = (plan: Plan) =>
  !plan.call && plan.shaped.finish === "length" && !plan.completedWhenCut ? "incomplete" : "completed";

/** The Response object; `final` adds the output and usage (in-progress snapshots omit usage, which is optional). */
export function responseObject(plan: Plan, final: boolean) {
  const status = final ? finalStatus(plan) : "in_progress";
  const out = outputTokens(plan);
  return {
    id: plan.id,
    object: "response",
    created_at: plan.created,
    status,
    background: plan.more.background,
    completed_at: final ? nowSeconds() : null,
    error: null,
    incomplete_details: status === "incomplete" ? { reason: "max_output_tokens" } : null,
    instructions: plan.echo.instructions,
    max_output_tokens: plan.echo.max_output_tokens,
    max_tool_calls: null,
    model: plan.model,
    output: final ? [plan.item] : [],
    parallel_tool_calls: plan.echo.parallel_tool_calls,
    previous_response_id: plan.echo.previous_response_id,
    prompt_cache_key: plan.more.prompt_cache_key,
    reasoning: plan.more.reasoning,
    safety_identifier: plan.more.safety_identifier,
    service_tier: plan.more.service_tier,
    store: plan.echo.store,
    temperature: plan.echo.temperature,
    text: plan.echo.text,
    tool_choice: plan.echo.tool_choice,
    tools: plan.echo.tools,
    top_logprobs: plan.echo.top_logprobs,
    top_p: plan.echo.top_p,
    truncation: plan.more.truncation,
    ...(plan.more.conversation ? { conversation: plan.more.conversation } : {}),
    ...(final
      ? {
          usage: {
            input_tokens: plan.inputTokens,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: out,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: plan.inputTokens + out,
          },
        }
      : {}),
    user: plan.echo.user,
    metadata: plan.echo.metadata,
  };
}

/** A background Response as OpenAI first returns it: queued, no output or usage yet. */
function queued(plan: Plan) {
  return { ...responseObject(plan, false), status: "queued" };
}

function* events(plan: Plan, quirks: ReadonlySet<string>): Generator<SseMessage> {
  let seq = 0;
  const ev = (type: string, fields: Json): SseMessage => {
    const data: Json = { type, ...fields, sequence_number: seq++ };
    // llama-server names the item by item_id only (responses-events-no-index).
    if (quirks.has("responses-events-no-index")) {
      delete data.output_index;
      delete data.content_index;
    }
    return { event: type, data };
  };
  const item = plan.item;
  const at = { item_id: item.id, output_index: 0 };
  // llama-server's snapshots are {id, object, status}: no output array (responses-created-no-output).
  const snapshot = (): Json => {
    const response: Json = responseObject(plan, false);
    if (quirks.has("responses-created-no-output")) delete response.output;
    return response;
  };
  yield ev("response.created", { response: snapshot() });
  yield ev("response.in_progress", { response: snapshot() });
  const started =
    item.type === "message"
      ? { ...item, status: "in_progress", content: [] }
      : { ...item, arguments: "", status: "in_progress" };
  yield ev("response.output_item.added", { output_index: 0, item: started });
  if (plan.call) {
    for (const delta of argumentPieces(plan.call.arguments)) {
      yield ev("response.function_call_arguments.delta", { ...at, delta });
    }
    yield ev("response.function_call_arguments.done", {
      ...at,
      name: plan.call.name,
      arguments: plan.call.arguments,
    });
  } else {
    const part = { type: "output_text", annotations: [], logprobs: [], text: "" };
    yield ev("response.content_part.added", { ...at, content_index: 0, part });
    for (const [k, delta] of plan.shaped.tokens.entries()) {
      yield ev("response.output_text.delta", {
        ...at,
        content_index: 0,
        delta,
        logprobs: lp(plan, [delta], k),
      });
    }
    const done = { ...at, content_index: 0, text: plan.shaped.text, logprobs: lp(plan, plan.shaped.tokens) };
    yield ev("response.output_text.done", done);
    yield ev("response.content_part.done", { ...at, content_index: 0, part: (item.content as unknown[])[0] });
  }
  yield ev("response.output_item.done", { output_index: 0, item });
  const final = responseObject(plan, true);
  yield ev(final.status === "completed" ? "response.completed" : "response.incomplete", { response: final });
}

export const responseRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/responses",
    body: "json",
    handle: (ctx) => {
      const p = plan(ctx);
      storeResponse(ctx, responseObject(p, true), p.input);
      // background: answered at once as queued; the finished Response is what a GET (the client's poll) returns.
      if (p.more.background && !p.stream) return json(queued(p));
      if (!p.stream) return json(responseObject(p, true));
      // Some servers end every stream with [DONE], Responses streams included.
      const stream = events(p, ctx.quirks);
      return sse(ctx.quirks.has("responses-stream-done") ? [...stream, DONE] : stream);
    },
  },
];
