/**
 * The parameter matrix (issue #15): one row per request parameter of OpenAI's CreateChatCompletionRequest
 * (openai/openai-openapi@f85dbe2, the same pinned spec as src/shapes/schemas.ts), plus the message-level
 * features (roles, content parts, `name`) that live inside `messages`. test/param-matrix.test.ts reads the
 * spec and fails when a property of CreateChatCompletionRequest has no entry here, or an entry names a
 * property the spec does not have. This file is data; what each row sends and how it is judged is in
 * src/checks/chat-param-matrix.ts, and src/catalog/endpoints.ts turns the lists into catalog rows.
 *
 * Rows run at `--depth deep` or with `--params`. Their ids: `/v1/chat/completions[param:<name>]` and
 * `/v1/chat/completions[invalid:<name>]`.
 */

import { RESPONSES_PARAMS } from "./responses-params.js";

/**
 * How much a refusal (4xx) costs clients, which decides its grade:
 * - `core`: a parameter mainstream clients send without being asked (the SDK helpers, LangChain, the AI SDK,
 *   agent frameworks) or every chat app uses. Rejecting it breaks them: FAIL.
 * - `optional`: a parameter a user opts into. A clean 4xx with the error envelope is WARN (the user learns the
 *   server lacks it); a 4xx without the envelope is FAIL (the SDK error says nothing useful).
 */
export type ParamTier = "core" | "optional";

export interface ParamSpec {
  /** The row's variant after `param:`, e.g. `tool_choice-none`. */
  name: string;
  /** CreateChatCompletionRequest properties this row exercises (`messages` for message-level features). */
  properties: readonly string[];
  tier: ParamTier;
  notes: string;
  /**
   * An existing row that already sends this parameter and judges its effect: the param row sends nothing and
   * restates that row's evidence (no duplicated request, no second opinion).
   */
  reuses?: string;
  /** A row whose evidence this one builds on while sending its own request (it `needs` that row). */
  after?: string;
  /**
   * What the model must be able to do for the parameter to work ("image input"): OpenAI itself refuses the
   * parameter with 400 and the envelope for a model without it, so that refusal is conformant (PASS), not a
   * missing feature of the server.
   */
  capability?: string;
}

const CHAT = "/v1/chat/completions";
const chatRow = (variant: string) => `${CHAT}[${variant}]`;

export const CHAT_PARAMS: readonly ParamSpec[] = [
  // Covered by existing Phase C rows: the param row restates their verdict in the parameter table.
  {
    name: "max_completion_tokens",
    properties: ["max_completion_tokens"],
    tier: "core",
    reuses: chatRow("max_tokens"),
    notes: "bounds usage.completion_tokens (from [max_tokens], which sends both spellings)",
  },
  {
    name: "max_tokens",
    properties: ["max_tokens"],
    tier: "core",
    reuses: chatRow("max_tokens"),
    notes: "deprecated spelling; bounds usage.completion_tokens (from [max_tokens])",
  },
  { name: "n", properties: ["n"], tier: "core", reuses: chatRow("n"), notes: "n: 2 gives two choices" },
  {
    name: "stop-array",
    properties: ["stop"],
    tier: "core",
    reuses: chatRow("stop"),
    notes: "a stop array's string never appears in the output (from [stop], which sends an array)",
  },
  {
    name: "stream_options",
    properties: ["stream_options", "stream"],
    tier: "core",
    reuses: chatRow("stream"),
    notes: "include_usage gives a usage chunk (from [stream], which sends it as the AI SDK and LangChain do)",
  },
  {
    name: "logprobs",
    properties: ["logprobs", "top_logprobs"],
    tier: "optional",
    reuses: chatRow("logprobs"),
    notes: "logprobs/top_logprobs populate choices[].logprobs.content (from [logprobs])",
  },
  {
    name: "seed",
    properties: ["seed"],
    tier: "optional",
    reuses: chatRow("seed"),
    notes: "same seed, temperature 0: same output (from [seed])",
  },
  {
    name: "tool_choice-named",
    properties: ["tools", "tool_choice"],
    tier: "core",
    reuses: chatRow("tools"),
    notes: "a named tool_choice is enforced (from [tools])",
  },
  {
    name: "tool_choice-required",
    properties: ["tool_choice"],
    tier: "core",
    reuses: chatRow("tools-required"),
    notes: 'tool_choice "required" is enforced (from [tools-required])',
  },
  {
    name: "response_format-json_object",
    properties: ["response_format"],
    tier: "optional",
    reuses: chatRow("json_object"),
    notes: "json_object is enforced (from [json_object])",
  },
  {
    name: "response_format-json_schema",
    properties: ["response_format"],
    tier: "optional",
    reuses: chatRow("json_schema"),
    notes: "a strict json_schema is enforced (from [json_schema])",
  },

  // Own requests: one each (logit_bias up to three: the unbiased answer, its token id, the biased answer).
  {
    name: "tool_choice-none",
    properties: ["tool_choice"],
    tier: "core",
    notes: 'tools with tool_choice "none": no tool call comes back',
  },
  {
    name: "tool_choice-auto",
    properties: ["tool_choice"],
    tier: "core",
    notes: 'tool_choice "auto" is accepted',
  },
  {
    name: "parallel_tool_calls",
    properties: ["parallel_tool_calls"],
    tier: "core",
    notes: "parallel_tool_calls false: at most one tool call",
  },
  {
    name: "response_format-text",
    properties: ["response_format"],
    tier: "core",
    notes: 'response_format {type: "text"} (the default, sent explicitly by some clients) is accepted',
  },
  {
    name: "logit_bias",
    properties: ["logit_bias"],
    tier: "optional",
    notes: "logit_bias -100 on the first token of the unbiased answer removes it (when a token id is known)",
  },
  {
    name: "presence_penalty",
    properties: ["presence_penalty"],
    tier: "core",
    notes: "presence_penalty 2 is accepted",
  },
  {
    name: "frequency_penalty",
    properties: ["frequency_penalty"],
    tier: "core",
    notes: "frequency_penalty -2 is accepted",
  },
  {
    name: "temperature",
    properties: ["temperature"],
    tier: "core",
    notes: "temperature 2 (the upper bound) is accepted",
  },
  { name: "top_p", properties: ["top_p"], tier: "core", notes: "top_p 0 (the lower bound) is accepted" },
  {
    name: "stop",
    properties: ["stop"],
    tier: "core",
    after: chatRow("stop"),
    notes: "stop as a plain string (the word [stop] stopped at) never appears in the output",
  },
  { name: "user", properties: ["user"], tier: "optional", notes: "user (deprecated) is accepted" },
  {
    name: "safety_identifier",
    properties: ["safety_identifier"],
    tier: "optional",
    notes: "safety_identifier is accepted",
  },
  {
    name: "metadata",
    properties: ["metadata"],
    tier: "optional",
    notes: "metadata (string map) is accepted",
  },
  { name: "store", properties: ["store"], tier: "optional", notes: "store false is accepted" },
  {
    name: "service_tier",
    properties: ["service_tier"],
    tier: "optional",
    notes: 'service_tier "auto" is accepted',
  },
  {
    name: "reasoning_effort",
    properties: ["reasoning_effort"],
    tier: "optional",
    notes: 'reasoning_effort "low" is accepted',
  },
  { name: "verbosity", properties: ["verbosity"], tier: "optional", notes: 'verbosity "medium" is accepted' },
  {
    name: "prompt_cache_key",
    properties: ["prompt_cache_key"],
    tier: "optional",
    notes: "prompt_cache_key is accepted",
  },
  {
    name: "prompt_cache_retention",
    properties: ["prompt_cache_retention"],
    tier: "optional",
    notes: 'prompt_cache_retention "in_memory" (deprecated) is accepted',
  },
  {
    name: "prompt_cache_options",
    properties: ["prompt_cache_options"],
    tier: "optional",
    notes: "prompt_cache_options {} is accepted",
  },
  {
    name: "web_search_options",
    properties: ["web_search_options"],
    tier: "optional",
    notes: "web_search_options {} is accepted",
  },
  {
    name: "moderation",
    properties: ["moderation"],
    tier: "optional",
    notes: "moderation {model} is accepted",
  },
  {
    name: "modalities",
    properties: ["modalities", "audio"],
    tier: "optional",
    capability: "audio output",
    notes: 'modalities ["text","audio"] with audio {voice, format}: message.audio, or a refusal',
  },
  {
    name: "prediction",
    properties: ["prediction"],
    tier: "optional",
    notes: "prediction {type: content} is accepted",
  },
  {
    name: "functions",
    properties: ["functions", "function_call"],
    tier: "optional",
    notes: "the deprecated functions/function_call are accepted",
  },
  // Message-level features (all inside `messages`).
  {
    name: "developer-role",
    properties: ["messages"],
    tier: "core",
    notes: "a developer message (the SDKs send it for reasoning models) is accepted",
  },
  { name: "system-role", properties: ["messages"], tier: "core", notes: "a system message is accepted" },
  {
    name: "content-parts",
    properties: ["messages"],
    tier: "core",
    notes: "user content as an array of text parts is accepted",
  },
  {
    name: "image_url",
    properties: ["messages"],
    tier: "optional",
    capability: "image input",
    notes: "an image_url part with a data: URL is accepted (or refused with an envelope by a text model)",
  },
  {
    name: "input_audio",
    properties: ["messages"],
    tier: "optional",
    capability: "audio input",
    notes: "an input_audio part is accepted (or refused with an envelope by a text model)",
  },
  {
    name: "name",
    properties: ["messages"],
    tier: "core",
    notes: "`name` on a message (multi-agent frameworks send it) is accepted",
  },
];

/** Properties exercised by the base rows themselves (every chat request sends them). */
export const BASE_PROPERTIES: Readonly<Record<string, string>> = {
  model: CHAT,
  messages: CHAT,
  stream: chatRow("stream"),
};

export interface InvalidSpec {
  name: string;
  /** What makes the request invalid, in words. */
  notes: string;
}

/** Out-of-range values a server should refuse with 400 and the error envelope. */
export const INVALID_PARAMS: readonly InvalidSpec[] = [
  { name: "temperature", notes: "temperature 5 (above the maximum 2)" },
  { name: "n", notes: "n 0 (below the minimum 1)" },
  { name: "role", notes: 'a message with the unknown role "wizard"' },
];

/** Is this a parameter-matrix row (selected by `--params` as well as by `--depth deep`)? */
export const isParamRow = (id: string): boolean => /\[(param|invalid):[^\]]+\]$/.test(id);

/** `/v1/chat/completions[param:n]` → `n` (and the endpoint, the id's path); undefined for other rows. */
export function paramName(
  id: string,
): { kind: "param" | "invalid"; name: string; endpoint: string } | undefined {
  const m = /^(.*)\[(param|invalid):([^\]]+)\]$/.exec(id);
  return m ? { kind: m[2] as "param" | "invalid", name: m[3]!, endpoint: m[1]! } : undefined;
}

/** A chat parameter by name. */
export const findParam = (name: string): ParamSpec | undefined => CHAT_PARAMS.find((p) => p.name === name);

/** The parameter lists by endpoint (the Responses list is src/catalog/responses-params.ts). */
export const PARAM_LISTS: Readonly<Record<string, readonly ParamSpec[]>> = {
  [CHAT]: CHAT_PARAMS,
  "/v1/responses": RESPONSES_PARAMS,
};

/** The parameter a `[param:*]` row exercises, whatever its endpoint. */
export function paramSpecFor(id: string): ParamSpec | undefined {
  const p = paramName(id);
  if (p?.kind !== "param") return undefined;
  return PARAM_LISTS[p.endpoint]?.find((s) => s.name === p.name);
}
