/**
 * `client:ai-sdk/*`: Vercel's AI SDK (`ai` v6 with `@ai-sdk/openai-compatible` v2) against the target,
 * through the probe's transport. Loaded lazily by checks/clients.ts only when such a row runs.
 */
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { embed, generateText, streamText } from "ai";
import { PROMPT } from "../checks/chat.js";
import { excerpt } from "../checks/chat-depth.js";
import { CLIENT_BASE_URL } from "../probe/fetch.js";
import { judgeEmbedding } from "./judge.js";
import { CLIENT_API_KEY, type ClientCall, type ClientEnv, describeError, fail, pass, warn } from "./types.js";

// The AI SDK prints its warnings to the console unless told not to; aioc reports, it does not log.
(globalThis as { AI_SDK_LOG_WARNINGS?: unknown }).AI_SDK_LOG_WARNINGS ??= false;

const provider = (env: ClientEnv) =>
  createOpenAICompatible({
    name: "aioc",
    baseURL: CLIENT_BASE_URL,
    apiKey: CLIENT_API_KEY,
    fetch: env.fetch,
    includeUsage: true,
  });

const generate: ClientCall = async (env) => {
  const r = await generateText({
    model: provider(env).chatModel(env.model),
    prompt: PROMPT,
    maxOutputTokens: 16,
    maxRetries: 0,
  });
  if (typeof r.text !== "string") return fail("text is not a string");
  return r.text ? pass(`text ${excerpt(r.text)}`) : warn("text is empty (model behaviour)");
};

/** The full stream, consumed: an error part is a failure even though streamText itself does not throw. */
const stream: ClientCall = async (env) => {
  const r = streamText({
    model: provider(env).chatModel(env.model),
    prompt: PROMPT,
    maxOutputTokens: 16,
    maxRetries: 0,
    onError: () => {}, // reported below from the error part instead of printed
  });
  let text = "";
  let parts = 0;
  for await (const part of r.fullStream) {
    parts++;
    if (part.type === "text-delta") text += part.text;
    if (part.type === "error") return fail(`ai-sdk stream error: ${describeError(part.error)}`);
  }
  if (parts === 0) return fail("the stream yielded nothing");
  return text
    ? pass(`${parts} stream parts, text ${excerpt(text)}`)
    : warn("streamed empty text (model behaviour)");
};

const embedOne: ClientCall = async (env) => {
  const r = await embed({ model: provider(env).embeddingModel(env.model), value: "hello", maxRetries: 0 });
  return judgeEmbedding(r.embedding, env.baseVector);
};

export const AI_SDK_CALLS: Record<string, ClientCall> = {
  generateText: generate,
  streamText: stream,
  embed: embedOne,
};
