/**
 * `client:langchain/*`: LangChain JS's OpenAI integration (`@langchain/openai` 1.5 on `@langchain/core` 1.4)
 * against the target, through the probe's transport (handed to the openai-node client LangChain wraps, as its
 * `fetch`). Loaded lazily by checks/clients.ts only when such a row runs.
 *
 * `ChatOpenAICompletions` is the Chat Completions model `ChatOpenAI` delegates to; using it directly keeps a
 * model whose name LangChain associates with the Responses API on the path these rows test. Two LangChain paths
 * are avoided because they reach the network outside the transport: LangSmith tracing (turned off below) and
 * `invoke` with `streaming: true`, which downloads a tiktoken table to estimate usage.
 */
import { ChatOpenAICompletions, OpenAIEmbeddings } from "@langchain/openai";
import { PROMPT } from "../checks/chat.js";
import { excerpt, FORCE_TOOL, TOOL_PROMPT, WEATHER_TOOL } from "../checks/chat-depth.js";
import { CLIENT_BASE_URL } from "../probe/fetch.js";
import { judgeEmbedding, judgeForcedCall, sentEmbedding } from "./judge.js";
import {
  CLIENT_API_KEY,
  CLIENT_TIMEOUT_MS,
  type ClientCall,
  type ClientEnv,
  fail,
  pass,
  warn,
} from "./types.js";

// LangSmith reads these on every call; a user's tracing setup must not send the probe's traffic elsewhere.
for (const name of ["LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING", "LANGSMITH_TRACING", "LANGSMITH_TRACING_V2"])
  process.env[name] = "false";

/** The openai-node options LangChain passes through: aioc's transport, and no org/project from the environment. */
const configuration = (env: ClientEnv) => ({
  baseURL: CLIENT_BASE_URL,
  apiKey: CLIENT_API_KEY,
  organization: null,
  project: null,
  fetch: env.fetch,
});

const chatModel = (env: ClientEnv, maxTokens = 16) =>
  new ChatOpenAICompletions({
    model: env.model,
    apiKey: CLIENT_API_KEY,
    maxTokens,
    maxRetries: 0,
    timeout: CLIENT_TIMEOUT_MS,
    streamUsage: true,
    configuration: configuration(env),
  });

/** LangChain content: a string, or content blocks whose text parts make the text. */
function textOf(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  return content.map((b) => (typeof b === "string" ? b : ((b as { text?: unknown })?.text ?? ""))).join("");
}

const invoke: ClientCall = async (env) => {
  const m = await chatModel(env).invoke(PROMPT);
  const text = textOf(m?.content);
  if (text === undefined) return fail(`AIMessage.content is ${typeof m?.content}, not text`);
  return text
    ? pass(`AIMessage.content ${excerpt(text)}`)
    : warn("AIMessage.content is empty (model behaviour)");
};

const stream: ClientCall = async (env) => {
  let chunks = 0;
  let text = "";
  for await (const chunk of await chatModel(env).stream(PROMPT)) {
    chunks++;
    text += textOf(chunk.content) ?? "";
  }
  if (chunks === 0) return fail("the stream yielded no chunks");
  return text
    ? pass(`${chunks} AIMessageChunks ${excerpt(text)}`)
    : warn("streamed empty content (model behaviour)");
};

/** bindTools with a forcing tool_choice: LangChain parses the call into `tool_calls` (or `invalid_tool_calls`). */
const tools: ClientCall = async (env) => {
  const model = chatModel(env, 128).bindTools([WEATHER_TOOL], { tool_choice: FORCE_TOOL });
  const m = await model.invoke(TOOL_PROMPT);
  // Arguments LangChain could not parse land in invalid_tool_calls with the raw text: the model's doing, judged so.
  const calls = [
    ...(m.tool_calls ?? []).map((c) => ({ name: c.name, arguments: JSON.stringify(c.args) })),
    ...(m.invalid_tool_calls ?? []).map((c) => ({ name: c.name, arguments: c.args })),
  ];
  return judgeForcedCall(
    {
      calls,
      content: textOf(m.content),
      reasoning: "",
      finish: (m.response_metadata as { finish_reason?: unknown })?.finish_reason,
    },
    "/choices/0/message/tool_calls",
  );
};

/** openai-node underneath asks for base64 and decodes it; the raw answer names the cause of a wrong vector. */
const embeddings: ClientCall = async (env) => {
  const e = new OpenAIEmbeddings({
    model: env.model,
    apiKey: CLIENT_API_KEY,
    maxRetries: 0,
    timeout: CLIENT_TIMEOUT_MS,
    configuration: configuration(env),
  });
  const v = await e.embedQuery("hello");
  return judgeEmbedding(v, env.baseVector, await sentEmbedding(env));
};

export const LANGCHAIN_CALLS: Record<string, ClientCall> = { invoke, stream, tools, embeddings };
