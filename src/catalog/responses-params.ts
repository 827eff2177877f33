/**
 * The Responses parameter matrix (issue #15): one row per request property of OpenAI's CreateResponse
 * (openai/openai-openapi@f85dbe2, the pinned spec of src/shapes), plus the input-level features (roles, content
 * parts) that live inside `input`. test/param-matrix-responses.test.ts reads the spec and fails when a property
 * of CreateResponse has no entry here (or in RESPONSES_BASE_PROPERTIES / RESPONSES_UNPROBED), or an entry names
 * a property the spec does not have. What each row sends and how it is judged: src/checks/responses-param-matrix.ts
 * (grading shared with the chat matrix in src/checks/param-grading.ts).
 *
 * Ids: `/v1/responses[param:<name>]` and `/v1/responses[invalid:<name>]`; they run at `--depth deep` or with
 * `--params`. Tiers as in params.ts: `core` for what agents send unasked (Codex CLI's request carries model,
 * instructions, input, tools, tool_choice "auto", parallel_tool_calls, reasoning, store, stream, include and
 * prompt_cache_key, codex-rs/core/src/client_common.rs ResponsesApiRequest; the Agents SDK sends instructions,
 * tools, tool_choice and the model settings), `optional` for what a user opts into.
 */
import type { InvalidSpec, ParamSpec } from "./params.js";

const RESPONSES = "/v1/responses";
const row = (variant: string) => `${RESPONSES}[${variant}]`;

export const RESPONSES_PARAMS: readonly ParamSpec[] = [
  // Covered by existing Responses rows (src/checks/responses-*.ts): restated, nothing sent.
  {
    name: "max_output_tokens",
    properties: ["max_output_tokens"],
    tier: "core",
    reuses: row("incomplete"),
    notes: 'bounds usage.output_tokens, status "incomplete" when cut (from [incomplete])',
  },
  {
    name: "tool_choice-named",
    properties: ["tools", "tool_choice"],
    tier: "core",
    reuses: row("tools"),
    notes: "a function tool named by tool_choice is enforced (from [tools])",
  },
  {
    name: "text-json_schema",
    properties: ["text"],
    tier: "optional",
    reuses: row("json_schema"),
    notes: "text.format json_schema (strict) is enforced (from [json_schema])",
  },
  {
    name: "store",
    properties: ["store"],
    tier: "core",
    reuses: row("store"),
    notes: "store true: GET /v1/responses/{id} returns it (from [store])",
  },
  {
    name: "store-false",
    properties: ["store"],
    tier: "core",
    reuses: row("no-store"),
    notes: "store false (Codex CLI's default): the response is not kept (from [no-store])",
  },
  {
    name: "previous_response_id",
    properties: ["previous_response_id"],
    tier: "optional",
    reuses: row("previous_response_id"),
    notes: "chaining counts the first turn as input (from [previous_response_id])",
  },
  {
    name: "input-items",
    properties: ["input"],
    tier: "core",
    reuses: row("tool-result"),
    notes:
      "input as an item array (a message, a function_call and its function_call_output) is accepted (from [tool-result])",
  },

  // Own requests: one each.
  {
    name: "instructions",
    properties: ["instructions"],
    tier: "core",
    notes: "instructions (the Agents SDK and Codex CLI send the system prompt this way) is accepted",
  },
  {
    name: "temperature",
    properties: ["temperature"],
    tier: "core",
    notes: "temperature 2 (the upper bound) is accepted",
  },
  { name: "top_p", properties: ["top_p"], tier: "core", notes: "top_p 0 (the lower bound) is accepted" },
  {
    name: "tool_choice-none",
    properties: ["tool_choice"],
    tier: "core",
    notes: 'tools with tool_choice "none": no function_call item comes back',
  },
  {
    name: "tool_choice-auto",
    properties: ["tool_choice"],
    tier: "core",
    notes: 'tool_choice "auto" is accepted',
  },
  {
    name: "tool_choice-required",
    properties: ["tool_choice"],
    tier: "core",
    notes: 'tool_choice "required": a function_call item comes back',
  },
  {
    name: "parallel_tool_calls",
    properties: ["parallel_tool_calls"],
    tier: "core",
    notes: "parallel_tool_calls false: at most one function_call item",
  },
  {
    name: "max_tool_calls",
    properties: ["max_tool_calls"],
    tier: "optional",
    notes: "max_tool_calls 1 is accepted (it limits built-in tools, which the probe does not use)",
  },
  {
    name: "text-format-text",
    properties: ["text"],
    tier: "core",
    notes: 'text.format {type: "text"} (the default, sent explicitly by the SDKs) is accepted',
  },
  {
    name: "text-json_object",
    properties: ["text"],
    tier: "optional",
    notes: "text.format json_object: the output text is a JSON object",
  },
  {
    name: "text-verbosity",
    properties: ["text"],
    tier: "optional",
    notes: 'text.verbosity "low" is accepted',
  },
  {
    name: "reasoning",
    properties: ["reasoning"],
    tier: "core",
    notes: 'reasoning {effort: "low", summary: "auto"} (Codex CLI sends it) is accepted',
  },
  {
    name: "include",
    properties: ["include"],
    tier: "core",
    notes: 'include ["reasoning.encrypted_content"] (Codex CLI sends it) is accepted',
  },
  {
    name: "top_logprobs",
    properties: ["include", "top_logprobs"],
    tier: "optional",
    notes: 'include ["message.output_text.logprobs"] with top_logprobs 2: output_text carries logprobs',
  },
  {
    name: "metadata",
    properties: ["metadata"],
    tier: "optional",
    notes: "metadata (string map) is accepted",
  },
  { name: "user", properties: ["user"], tier: "optional", notes: "user (deprecated) is accepted" },
  {
    name: "safety_identifier",
    properties: ["safety_identifier"],
    tier: "optional",
    notes: "safety_identifier is accepted",
  },
  {
    name: "prompt_cache_key",
    properties: ["prompt_cache_key"],
    tier: "core",
    notes: "prompt_cache_key (Codex CLI sends its session id) is accepted",
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
    notes: 'prompt_cache_options {mode: "implicit", ttl: "30m"} is accepted',
  },
  {
    name: "service_tier",
    properties: ["service_tier"],
    tier: "optional",
    notes: 'service_tier "auto" is accepted',
  },
  {
    name: "truncation",
    properties: ["truncation"],
    tier: "optional",
    notes: 'truncation "auto" (deprecated) is accepted',
  },
  {
    name: "background",
    properties: ["background"],
    tier: "optional",
    notes:
      'background true (with store true): status "queued"/"in_progress", or a finished Response (run in the foreground)',
  },
  {
    name: "context_management",
    properties: ["context_management"],
    tier: "optional",
    notes: 'context_management [{type: "compaction", compact_threshold: 1000}] is accepted',
  },
  {
    name: "moderation",
    properties: ["moderation"],
    tier: "optional",
    notes: "moderation {model} is accepted",
  },
  {
    name: "conversation",
    properties: ["conversation"],
    tier: "optional",
    notes: "conversation: a conversation created for it (POST /v1/conversations, 2 requests) is accepted",
  },
  {
    name: "stream_options",
    properties: ["stream_options", "stream"],
    tier: "optional",
    notes: "stream true with stream_options {include_obfuscation: false}: no obfuscation field on the events",
  },
  // Input-level features (all inside `input`).
  {
    name: "developer-role",
    properties: ["input"],
    tier: "core",
    notes: "a developer message item (Codex CLI and the Agents SDK send them) is accepted",
  },
  {
    name: "input_text",
    properties: ["input"],
    tier: "core",
    notes: "a message whose content is input_text parts is accepted",
  },
  {
    name: "input_image",
    properties: ["input"],
    tier: "optional",
    capability: "image input",
    notes: "an input_image part with a data: URL is accepted (or refused with an envelope by a text model)",
  },
];

/** Properties every Responses request (or the base rows) already sends. */
export const RESPONSES_BASE_PROPERTIES: Readonly<Record<string, string>> = {
  model: RESPONSES,
  input: RESPONSES,
  stream: row("stream"),
};

/**
 * Properties no row sends, and why: a valid value needs an object only the caller's OpenAI account holds.
 * The spec-coverage test accepts them here and nowhere else.
 */
export const RESPONSES_UNPROBED: Readonly<Record<string, string>> = {
  prompt:
    "a reusable prompt template is referenced by its id (pmpt_…), created in the OpenAI dashboard: no valid value exists off OpenAI",
};

/** Out-of-range values a server should refuse with 400 and the error envelope. */
export const RESPONSES_INVALID_PARAMS: readonly InvalidSpec[] = [
  { name: "temperature", notes: "temperature 5 (above the maximum 2)" },
  { name: "max_output_tokens", notes: "max_output_tokens 8 (below the minimum 16)" },
  { name: "input-item", notes: 'an input item of the unknown type "wizard_call"' },
];
