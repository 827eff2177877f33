/** POST /v1/chat/completions, plain and streamed. */

import {
  type AudioOutput,
  audioMessage,
  audioOutput,
  bannedTokens,
  readN,
  samplingBounds,
  validateSampling,
  withTokenIds,
} from "../chat-params.js";
import { quirkyBody, quirkyStream } from "../chunk-quirks.js";
import type { Ctx, Route } from "../context.js";
import { readReplyFormat } from "../formats.js";
import {
  completionUsage,
  contentText,
  countTokens,
  formattedReply,
  logprobEntries,
  newId,
  nowSeconds,
  type Shaped,
  SYSTEM_FINGERPRINT,
  shapeText,
} from "../generate.js";
import { loadedChatModel, requestModel } from "../models.js";
import { isObject, type Json, type Params, stopStrings, streamParams } from "../params.js";
import { ApiError, badRequest, DONE, json, missingParam, type SseMessage, sse } from "../reply.js";
import {
  argumentPieces,
  callTool,
  chooseTool,
  type FunctionTool,
  functionTools,
  type ToolCall,
} from "../tools.js";

const ROLES = ["system", "developer", "user", "assistant", "tool", "function"];

/** What a reasoning model thought (the reasoning-field quirk). */
const REASONING = "The user wants a short greeting.";

interface ChatPlan {
  id: string;
  created: number;
  model: string;
  n: number;
  includeUsage: boolean;
  promptTokens: number;
  /** The text answer (unused when a tool is called). */
  shaped: Shaped;
  tool?: FunctionTool;
  /** `top_logprobs` when `logprobs` is on. */
  logprobs?: number;
  /** Usage on every chunk, not only the last (the stream-usage-every-chunk quirk). */
  usageEveryChunk: boolean;
  /** Text before a forced tool call (the tool-call-after-text quirk). */
  leadText?: string;
  /** Audio output requested with `modalities` (the answer carries message.audio). */
  audio?: AudioOutput;
  /** Logprob tokens spelled `token_id:<id>` (vLLM's return_tokens_as_token_ids). */
  tokenIds: boolean;
  /** Thinking sent in `reasoning_content` (the reasoning-field quirk). */
  reasoning?: string;
}

/** What the enforcement quirks leave of a request's format and tool choice (llama-server's gaps). */
function unenforced(ctx: Ctx, format: ReturnType<typeof readReplyFormat>, tool: FunctionTool | undefined) {
  const named = isObject(ctx.body.raw("tool_choice"));
  return {
    format:
      format.type === "json_object" && ctx.quirks.has("json-object-not-enforced")
        ? { type: "text" as const }
        : format,
    tool: named && ctx.quirks.has("tool-choice-named-ignored") ? undefined : tool,
    leadText: tool && ctx.quirks.has("tool-call-after-text") ? "Let me check that." : undefined,
  };
}

function readMessages(p: Params, quirks: ReadonlySet<string>): Json[] {
  const messages = p.array("messages");
  if (!messages) throw missingParam("messages");
  if (messages.length === 0) {
    throw badRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1.",
      "messages",
      "empty_array",
    );
  }
  return messages.map((m, i) => {
    if (!isObject(m)) {
      throw badRequest(`Invalid type for 'messages[${i}]': expected an object.`, `messages[${i}]`);
    }
    if (typeof m.role !== "string") throw missingParam(`messages[${i}].role`);
    if (!ROLES.includes(m.role) && !quirks.has("unknown-role-accepted")) {
      throw badRequest(
        `Invalid value: '${m.role}'. Supported values are: ${ROLES.join(", ")}.`,
        `messages[${i}].role`,
      );
    }
    if (m.role === "tool" && typeof m.tool_call_id !== "string") {
      throw missingParam(`messages[${i}].tool_call_id`);
    }
    if (quirks.has("multimodal-part-500")) refuseMedia(m.content);
    return m;
  });
}

/** llama-server without --mmproj: a media part is a runtime_error, answered 500 (the multimodal-part-500 quirk). */
function refuseMedia(content: unknown): void {
  if (!Array.isArray(content)) return;
  for (const part of content) {
    const kind = isObject(part) ? part.type : undefined;
    const what = kind === "image_url" ? "image" : kind === "input_audio" ? "audio" : undefined;
    if (what) {
      throw new ApiError(
        500,
        `${what} input is not supported - hint: if this is unexpected, you may need to provide the mmproj`,
        { type: "server_error" },
      );
    }
  }
}

function plan(ctx: Ctx): ChatPlan & { stream: boolean } {
  const p = ctx.body;
  const model = requestModel(p, undefined, loadedChatModel(ctx.quirks));
  const messages = readMessages(p, ctx.quirks);
  const n = readN(p, ctx.quirks);
  const { stream, includeUsage } = streamParams(p);
  // Ollama reads only the deprecated spelling (max-completion-tokens-ignored); the value is still type-checked.
  const completionTokens = p.int("max_completion_tokens", { min: 1 });
  const maxTokens =
    (ctx.quirks.has("max-completion-tokens-ignored") ? undefined : completionTokens) ??
    p.int("max_tokens", { min: 1 });
  const logprobs = p.bool("logprobs") ?? false;
  const top = p.int("top_logprobs", { min: 0, max: 20 });
  if (top !== undefined && !logprobs) {
    throw badRequest("'top_logprobs' requires 'logprobs' to be true.", "top_logprobs");
  }
  samplingBounds(p, ctx.quirks);
  p.int("seed");
  validateSampling(p);
  const audio = ctx.quirks.has("audio-output-ignored") ? undefined : audioOutput(p, stream);
  const format = readReplyFormat(p.raw("response_format"), "response_format", "chat");
  const answersToolResult = messages.at(-1)?.role === "tool";
  return {
    id: newId("chatcmpl-"),
    created: nowSeconds(),
    model,
    n,
    stream,
    includeUsage: includeUsage && !ctx.quirks.has("stream-no-usage"),
    usageEveryChunk: ctx.quirks.has("stream-usage-every-chunk"),
    promptTokens: Math.max(
      1,
      messages.reduce((sum, m) => sum + countTokens(contentText(m.content)), 0),
    ),
    ...shapedAnswer(
      ctx,
      format,
      chooseTool(p, functionTools(p, "chat"), "chat", answersToolResult, ctx.quirks),
      {
        maxTokens,
        stop: stopStrings(p),
        banned: bannedTokens(p),
      },
    ),
    logprobs: logprobs ? (top ?? 0) : undefined,
    ...(audio ? { audio } : {}),
    tokenIds: p.bool("return_tokens_as_token_ids") ?? false,
    ...(ctx.quirks.has("reasoning-field") ? { reasoning: REASONING } : {}),
  };
}

function shapedAnswer(
  ctx: Ctx,
  requested: ReturnType<typeof readReplyFormat>,
  chosen: FunctionTool | undefined,
  bounds: { maxTokens?: number; stop: string[]; banned: ReadonlySet<number> },
) {
  const { format, tool, leadText } = unenforced(ctx, requested, chosen);
  return { shaped: shapeText(formattedReply(format), bounds), tool, leadText };
}

const toolTokens = (call: ToolCall) => countTokens(call.name) + countTokens(call.arguments);

function logprobsOf(plan: ChatPlan, tokens: readonly string[], from = 0) {
  if (plan.logprobs === undefined) return null;
  const entries = logprobEntries(tokens, plan.logprobs, from);
  return { content: plan.tokenIds ? withTokenIds(entries) : entries, refusal: null };
}

function completion(plan: ChatPlan) {
  let completionTokens = 0;
  const choices = Array.from({ length: plan.n }, (_, index) => {
    if (plan.tool) {
      const call = callTool(plan.tool);
      completionTokens += toolTokens(call);
      const tool_calls = [
        { id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } },
      ];
      return {
        index,
        message: {
          role: "assistant",
          content: plan.leadText ?? null,
          refusal: null,
          tool_calls,
          annotations: [],
        },
        logprobs: null,
        finish_reason: "tool_calls",
      };
    }
    completionTokens += plan.shaped.tokens.length;
    // With audio output OpenAI puts the words in audio.transcript and leaves content null.
    const spoken = plan.audio ? { content: null, audio: audioMessage(plan.audio, plan.shaped.text) } : {};
    const thinking = plan.reasoning ? { reasoning_content: plan.reasoning } : {};
    return {
      index,
      message: {
        role: "assistant",
        content: plan.shaped.text,
        refusal: null,
        annotations: [],
        ...spoken,
        ...thinking,
      },
      logprobs: logprobsOf(plan, plan.shaped.tokens),
      finish_reason: plan.shaped.finish,
    };
  });
  return {
    id: plan.id,
    object: "chat.completion",
    created: plan.created,
    model: plan.model,
    choices,
    usage: completionUsage(plan.promptTokens, completionTokens),
    service_tier: "default",
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

/** Chunks: role first, then content (or tool-call argument) deltas, one finish chunk per choice, usage, [DONE]. */
function* chunks(plan: ChatPlan): Generator<SseMessage> {
  let completionTokens = 0;
  const running = () => (plan.usageEveryChunk ? completionUsage(plan.promptTokens, completionTokens) : null);
  const chunk = (choices: unknown[]) => ({
    id: plan.id,
    object: "chat.completion.chunk",
    created: plan.created,
    model: plan.model,
    service_tier: "default",
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices,
    ...(plan.includeUsage ? { usage: running() } : {}),
  });
  const delta = (index: number, d: Json, logprobs: unknown = null, finish: string | null = null) =>
    ({ data: chunk([{ index, delta: d, logprobs, finish_reason: finish }]) }) satisfies SseMessage;
  for (let index = 0; index < plan.n; index++) {
    if (plan.tool) {
      const call = callTool(plan.tool);
      completionTokens += toolTokens(call);
      const head = { index: 0, id: call.id, type: "function", function: { name: call.name, arguments: "" } };
      if (plan.leadText) yield delta(index, { role: "assistant", content: plan.leadText, refusal: null });
      yield delta(index, { role: "assistant", content: null, refusal: null, tool_calls: [head] });
      for (const piece of argumentPieces(call.arguments)) {
        yield delta(index, { tool_calls: [{ index: 0, function: { arguments: piece } }] });
      }
      yield delta(index, {}, null, "tool_calls");
      continue;
    }
    completionTokens += plan.shaped.tokens.length;
    yield delta(index, { role: "assistant", content: "", refusal: null });
    if (plan.reasoning) yield delta(index, { reasoning_content: plan.reasoning });
    for (const [k, token] of plan.shaped.tokens.entries()) {
      yield delta(index, { content: token }, logprobsOf(plan, [token], k));
    }
    yield delta(index, {}, null, plan.shaped.finish);
  }
  if (plan.includeUsage) {
    yield { data: { ...chunk([]), usage: completionUsage(plan.promptTokens, completionTokens) } };
  }
  yield DONE;
}

export const chatRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/chat/completions",
    body: "json",
    handle: (ctx) => {
      const p = plan(ctx);
      return p.stream
        ? sse(quirkyStream(chunks(p), ctx.quirks, "chat"))
        : json(quirkyBody(completion(p), ctx.quirks, "chat"));
    },
  },
];
