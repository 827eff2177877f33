/** POST /v1/completions (legacy text completion), plain and streamed. */
import { quirkyBody, quirkyStream } from "../chunk-quirks.js";
import type { Ctx, Route } from "../context.js";
import {
  completionUsage,
  countTokens,
  legacyLogprobs,
  newId,
  nowSeconds,
  REPLY,
  type Shaped,
  SYSTEM_FINGERPRINT,
  shapeText,
} from "../generate.js";
import { loadedChatModel, requestModel } from "../models.js";
import { type Params, stopStrings, streamParams } from "../params.js";
import { badRequest, DONE, json, missingParam, type SseMessage, sse } from "../reply.js";

interface Plan {
  id: string;
  created: number;
  model: string;
  /** One entry per prompt; each prompt gets `n` choices. */
  prompts: string[];
  n: number;
  echo: boolean;
  shaped: Shaped;
  logprobs?: number;
  promptTokens: number;
  includeUsage: boolean;
  /** llama-server's way: usage on the finish_reason chunk, asked for or not, and no separate usage chunk. */
  usageOnFinalChunk: boolean;
}

const invalidPrompt = () =>
  badRequest("Invalid 'prompt': expected a string, an array of strings, or token arrays.", "prompt");

/** `prompt`: a string, strings, or token arrays (which are "read" as their length in tokens). */
function readPrompts(p: Params): { prompts: string[]; tokens: number } {
  const raw = p.raw("prompt");
  if (raw === undefined) throw missingParam("prompt");
  const list = typeof raw === "string" || (Array.isArray(raw) && typeof raw[0] === "number") ? [raw] : raw;
  if (!Array.isArray(list) || list.length === 0) throw invalidPrompt();
  const prompts: string[] = [];
  let tokens = 0;
  for (const item of list) {
    if (typeof item === "string") {
      prompts.push(item);
      tokens += countTokens(item);
    } else if (Array.isArray(item) && item.every((t) => Number.isInteger(t))) {
      prompts.push("");
      tokens += item.length;
    } else {
      throw invalidPrompt();
    }
  }
  return { prompts, tokens };
}

function plan(ctx: Ctx): Plan & { stream: boolean } {
  const p = ctx.body;
  const model = requestModel(p, undefined, loadedChatModel(ctx.quirks));
  const { prompts, tokens } = readPrompts(p);
  const { stream, includeUsage } = streamParams(p);
  const n = p.int("n", { min: 1, max: 128 }) ?? 1;
  const bestOf = p.int("best_of", { min: 1, max: 20 });
  if (bestOf !== undefined && bestOf < n) {
    throw badRequest("'best_of' must be greater than or equal to 'n'.", "best_of");
  }
  p.number("temperature", { min: 0, max: 2 });
  p.int("seed");
  return {
    id: newId("cmpl-"),
    created: nowSeconds(),
    model,
    prompts,
    n,
    stream,
    echo: p.bool("echo") ?? false,
    shaped: shapeText(` ${REPLY}`, {
      maxTokens: p.int("max_tokens", { min: 0 }) ?? 16,
      stop: stopStrings(p),
    }),
    logprobs: p.int("logprobs", { min: 0, max: 5 }),
    promptTokens: Math.max(1, tokens),
    includeUsage: includeUsage && !ctx.quirks.has("stream-no-usage"),
    usageOnFinalChunk: ctx.quirks.has("usage-on-final-choice-chunk"),
  };
}

/** Every (prompt, n) pair, in index order. */
const slots = (plan: Plan) => plan.prompts.flatMap((prompt) => Array.from({ length: plan.n }, () => prompt));

/** A text_completion object without usage: the body's start, and every stream chunk. */
const textCompletion = (plan: Plan, choices: unknown[]) => ({
  id: plan.id,
  object: "text_completion",
  created: plan.created,
  model: plan.model,
  system_fingerprint: SYSTEM_FINGERPRINT,
  choices,
});

function completion(plan: Plan) {
  const choices = slots(plan).map((prompt, index) => {
    const prefix = plan.echo ? prompt : "";
    return {
      text: prefix + plan.shaped.text,
      index,
      logprobs:
        plan.logprobs === undefined ? null : legacyLogprobs(plan.shaped.tokens, plan.logprobs, prefix.length),
      finish_reason: plan.shaped.finish,
    };
  });
  return {
    ...textCompletion(plan, choices),
    usage: completionUsage(plan.promptTokens, choices.length * plan.shaped.tokens.length),
  };
}

function* chunks(plan: Plan): Generator<SseMessage> {
  // CreateCompletionResponse (reused for chunks) has no nullable usage, so content chunks omit it.
  const chunk = (choices: unknown[]) => textCompletion(plan, choices);
  const all = slots(plan);
  const usage = completionUsage(plan.promptTokens, all.length * plan.shaped.tokens.length);
  for (const [index, prompt] of all.entries()) {
    const prefix = plan.echo ? prompt : "";
    if (prefix) yield { data: chunk([{ text: prefix, index, logprobs: null, finish_reason: null }]) };
    let offset = prefix.length;
    for (const [k, token] of plan.shaped.tokens.entries()) {
      const logprobs = plan.logprobs === undefined ? null : legacyLogprobs([token], plan.logprobs, offset, k);
      offset += token.length;
      yield { data: chunk([{ text: token, index, logprobs, finish_reason: null }]) };
    }
    const final = chunk([{ text: "", index, logprobs: null, finish_reason: plan.shaped.finish }]);
    const withUsage = plan.usageOnFinalChunk && index === all.length - 1;
    yield { data: withUsage ? { ...final, usage } : final };
  }
  if (plan.includeUsage && !plan.usageOnFinalChunk) yield { data: { ...chunk([]), usage } };
  yield DONE;
}

export const completionRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/completions",
    body: "json",
    handle: (ctx) => {
      const p = plan(ctx);
      return p.stream
        ? sse(quirkyStream(chunks(p), ctx.quirks, "completions"))
        : json(quirkyBody(completion(p), ctx.quirks, "completions"));
    },
  },
];
