/**
 * Responses request parameters the reference server validates beyond the basics in routes/responses.ts, with the
 * types and enums of the pinned spec's CreateResponse (openai/openai-openapi@f85dbe2), so every valid value of the
 * parameter matrix (src/catalog/responses-params.ts) is accepted and every invalid one refused with OpenAI's 400.
 */
import { isObject, type Json, type Params } from "./params.js";
import { ApiError, badRequest } from "./reply.js";

/** InputItem's `type` values (EasyInputMessage, Item, ItemReferenceParam). */
const INPUT_ITEM_TYPES = [
  "message",
  "file_search_call",
  "computer_call",
  "computer_call_output",
  "web_search_call",
  "function_call",
  "function_call_output",
  "tool_search_call",
  "tool_search_output",
  "additional_tools",
  "reasoning",
  "compaction",
  "image_generation_call",
  "code_interpreter_call",
  "local_shell_call",
  "local_shell_call_output",
  "shell_call",
  "shell_call_output",
  "apply_patch_call",
  "apply_patch_call_output",
  "mcp_list_tools",
  "mcp_approval_request",
  "mcp_approval_response",
  "mcp_call",
  "custom_tool_call_output",
  "custom_tool_call",
  "compaction_trigger",
  "item_reference",
  "program",
  "program_output",
] as const;

/** IncludeEnum. */
const INCLUDE = [
  "file_search_call.results",
  "web_search_call.results",
  "web_search_call.action.sources",
  "message.input_image.image_url",
  "computer_call_output.output.image_url",
  "code_interpreter_call.outputs",
  "reasoning.encrypted_content",
  "message.output_text.logprobs",
] as const;

const supported = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");

/**
 * An input item's `type` (absent means a message, as EasyInputMessage allows). llama-server converts an
 * input_image part to a chat image_url part, so without --mmproj it is the same 500 (multimodal-part-500).
 */
export function checkInputItem(item: Json, i: number, quirks: ReadonlySet<string>): void {
  const type = item.type ?? "message";
  if (typeof type !== "string" || !(INPUT_ITEM_TYPES as readonly string[]).includes(type)) {
    throw badRequest(
      `Invalid value: '${String(type)}'. Supported values are: ${supported(INPUT_ITEM_TYPES)}.`,
      `input[${i}].type`,
      "invalid_value",
    );
  }
  const parts = Array.isArray(item.content) ? item.content : [];
  if (quirks.has("multimodal-part-500") && parts.some((c) => isObject(c) && c.type === "input_image")) {
    throw new ApiError(
      500,
      "image input is not supported - hint: if this is unexpected, you may need to provide the mmproj",
      { type: "server_error" },
    );
  }
}

/**
 * max_output_tokens: at least 16, as the spec says; llama-server, vLLM and Ollama take any positive count
 * (max-output-tokens-below-minimum).
 */
export function maxOutputTokens(p: Params, quirks: ReadonlySet<string>): number | undefined {
  return p.int("max_output_tokens", { min: quirks.has("max-output-tokens-below-minimum") ? 1 : 16 });
}

/** The Response's echo of the parameters read here. */
export interface ResponsesEcho {
  reasoning: { effort: string | null; summary: string | null };
  truncation: string;
  service_tier: string;
  prompt_cache_key: string | null;
  safety_identifier: string | null;
  background: boolean;
  conversation: { id: string } | null;
  verbosity: string;
}

/** Types and enums of the CreateResponse properties routes/responses.ts does not read itself. */
export function responsesParams(p: Params): ResponsesEcho {
  const reasoning = p.object("reasoning");
  const effort = reasoning?.effort ?? null;
  const summary = reasoning?.summary ?? null;
  const efforts = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];
  if (effort !== null && (typeof effort !== "string" || !efforts.includes(effort))) {
    throw badRequest(
      `Invalid value: '${String(effort)}'. Supported values are: ${supported(efforts)}.`,
      "reasoning.effort",
      "invalid_value",
    );
  }
  const summaries = ["auto", "concise", "detailed"];
  if (summary !== null && (typeof summary !== "string" || !summaries.includes(summary))) {
    throw badRequest(
      `Invalid value: '${String(summary)}'. Supported values are: ${supported(summaries)}.`,
      "reasoning.summary",
      "invalid_value",
    );
  }
  const truncation = p.string("truncation", ["auto", "disabled"]) ?? "disabled";
  const tier = p.string("service_tier", [
    "auto",
    "default",
    "flex",
    "scale",
    "priority",
    "fast",
    "ultrafast",
  ]);
  for (const [k, v] of (p.array("include") ?? []).entries()) {
    if (typeof v !== "string" || !(INCLUDE as readonly string[]).includes(v)) {
      throw badRequest(
        `Invalid value: '${String(v)}'. Supported values are: ${supported(INCLUDE)}.`,
        `include[${k}]`,
        "invalid_value",
      );
    }
  }
  const text = p.object("text");
  const verbosity = text?.verbosity ?? "medium";
  if (typeof verbosity !== "string" || !["low", "medium", "high"].includes(verbosity)) {
    throw badRequest(
      `Invalid value: '${String(verbosity)}'. Supported values are: 'low', 'medium', 'high'.`,
      "text.verbosity",
      "invalid_value",
    );
  }
  const safety = p.string("safety_identifier");
  if (safety !== undefined && safety.length > 64) {
    throw badRequest(
      "Invalid 'safety_identifier': string too long. Expected a string with maximum length 64.",
      "safety_identifier",
      "string_above_max_length",
    );
  }
  p.string("prompt_cache_retention", ["in_memory", "24h"]);
  p.object("prompt_cache_options");
  p.int("max_tool_calls", { min: 0 });
  for (const [k, entry] of (p.array("context_management") ?? []).entries()) {
    if (!isObject(entry) || entry.type !== "compaction") {
      throw badRequest(
        "Invalid value: context management entries must have type 'compaction'.",
        `context_management[${k}].type`,
        "invalid_value",
      );
    }
  }
  const moderation = p.object("moderation");
  if (moderation && typeof moderation.model !== "string") {
    throw badRequest("Missing required parameter: 'moderation.model'.", "moderation.model");
  }
  const background = p.bool("background") ?? false;
  if (background && p.bool("store") === false) {
    throw badRequest("Background responses must be stored: set 'store' to true.", "background");
  }
  const options = p.object("stream_options");
  if (options && p.bool("stream") !== true) {
    throw badRequest(
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      "stream_options",
    );
  }
  // Reusable prompts live in an OpenAI project; there is none here, so any id is unknown (as OpenAI says).
  const prompt = p.object("prompt");
  if (prompt) {
    throw new ApiError(404, `Prompt with id '${String(prompt.id)}' not found.`, {
      param: "prompt",
      code: null,
    });
  }
  return {
    reasoning: { effort: effort as string | null, summary: summary as string | null },
    truncation,
    service_tier: tier === undefined || tier === "auto" ? "default" : tier === "fast" ? "priority" : tier,
    prompt_cache_key: p.string("prompt_cache_key") ?? null,
    safety_identifier: safety ?? null,
    background,
    conversation: conversationOf(p),
    verbosity,
  };
}

/** `conversation`: an id, or {id}. */
function conversationOf(p: Params): { id: string } | null {
  const c = p.raw("conversation");
  if (c === undefined) return null;
  const id = typeof c === "string" ? c : isObject(c) ? c.id : undefined;
  if (typeof id !== "string" || id === "") {
    throw badRequest("Invalid 'conversation': expected a conversation id or {id}.", "conversation");
  }
  if (p.has("previous_response_id")) {
    throw badRequest(
      "'previous_response_id' cannot be used in conjunction with 'conversation'.",
      "conversation",
    );
  }
  return { id };
}
