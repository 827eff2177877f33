/**
 * The stateful side of the Responses API, as OpenAI's spec describes it: stored responses (GET, input_items,
 * DELETE), previous_response_id chaining, and the extension routes agents use beside it: /v1/responses/compact
 * (CompactResource), /v1/conversations (ConversationResource) and /v1/uploads (Upload).
 */
import type { Ctx, Route } from "../context.js";
import { contentText, countTokens, newId, nowSeconds } from "../generate.js";
import { requestModel } from "../models.js";
import { isObject, type Json } from "../params.js";
import { ApiError, badRequest, invalidUrl, json, type Reply } from "../reply.js";

const notFound = (id: string) =>
  new ApiError(404, `Response with id '${id}' not found.`, { param: "response_id", code: null });

/**
 * Tools as the Response echoes them. OpenAI's FunctionTool requires `strict` (boolean | null; the Responses API
 * defaults it to true) and `parameters` (object | null), so function tools get both even when the request had neither.
 */
export function echoTools(tools: readonly unknown[]): unknown[] {
  return tools.map((tool) =>
    isObject(tool) && tool.type === "function"
      ? {
          ...tool,
          description: tool.description ?? null,
          parameters: isObject(tool.parameters) ? tool.parameters : null,
          strict: typeof tool.strict === "boolean" ? tool.strict : true,
        }
      : tool,
  );
}

/** The request's input as the stored item list (each item with an id, text as input_text parts). */
export function inputItems(input: unknown): Json[] {
  const items =
    typeof input === "string" ? [{ role: "user", content: input }] : Array.isArray(input) ? input : [];
  return items.filter(isObject).map((item) => {
    if (typeof item.role === "string" && (item.type === undefined || item.type === "message")) {
      const content =
        typeof item.content === "string"
          ? [{ type: "input_text", text: item.content }]
          : (item.content ?? []);
      return { id: newId("msg_", 48), type: "message", role: item.role, status: "completed", content };
    }
    return { id: typeof item.id === "string" ? item.id : newId("item_", 48), ...item };
  });
}

/** Tokens of the chained context (the previous response's input and output); 0 without previous_response_id. */
/** llama-server keeps no responses and refuses previous_response_id (responses-no-state). */
export function previousContext(ctx: Ctx): number {
  const id = ctx.body.string("previous_response_id");
  if (id === undefined) return 0;
  // Ollama takes the field and drops it (previous-response-id-dropped): the turn is answered on its own.
  if (ctx.quirks.has("previous-response-id-dropped")) return 0;
  if (ctx.quirks.has("responses-no-state"))
    throw badRequest("llama.cpp does not support 'previous_response_id'.");
  const stored = ctx.responses.get(id);
  if (!stored) {
    throw badRequest(
      `Previous response with id '${id}' not found.`,
      "previous_response_id",
      "previous_response_not_found",
    );
  }
  return stored.contextTokens;
}

const usageTokens = (response: Json): number => {
  const usage = isObject(response.usage) ? response.usage : {};
  return (Number(usage.input_tokens) || 0) + (Number(usage.output_tokens) || 0);
};

/** Keeps the final Response unless the request said `store: false`. */
export function storeResponse(ctx: Ctx, response: Json, input: Json[]): void {
  if (ctx.quirks.has("responses-no-state") || response.store === false) return;
  ctx.responses.put(String(response.id), { response, input, contextTokens: usageTokens(response) });
}

function stored(ctx: Ctx) {
  // Under responses-no-state these routes do not exist: 404 as for an unknown URL.
  if (ctx.quirks.has("responses-no-state")) throw invalidUrl(ctx.method, ctx.path, true);
  const id = ctx.params.id ?? "";
  const entry = ctx.responses.get(id);
  if (!entry) throw notFound(id);
  return { id, entry };
}

/** ResponseItemList, newest first by default (`order=asc` for oldest first), as OpenAI lists input items. */
function listInputItems(ctx: Ctx): Reply {
  const { entry } = stored(ctx);
  const order = ctx.query.get("order") ?? "desc";
  if (order !== "asc" && order !== "desc") {
    throw badRequest(
      `Invalid value: '${order}'. Supported values are: 'asc' and 'desc'.`,
      "order",
      "invalid_value",
    );
  }
  const limit = Math.min(Math.max(Number(ctx.query.get("limit") ?? 20) || 20, 1), 100);
  const all = order === "asc" ? entry.input : [...entry.input].reverse();
  const data = all.slice(0, limit);
  return json({
    object: "list",
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: all.length > data.length,
  });
}

function usage(input: number, output: number) {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** CompactResource: the user messages kept, the rest of the context folded into one opaque compaction item. */
function compact(ctx: Ctx): Reply {
  const p = ctx.body;
  requestModel(p, "aioc-chat");
  const previous = p.string("previous_response_id");
  const chained = previous ? (ctx.responses.get(previous)?.input ?? []) : [];
  if (previous && chained.length === 0) {
    throw badRequest(`Previous response with id '${previous}' not found.`, "previous_response_id");
  }
  const items = [...chained, ...inputItems(p.raw("input"))];
  if (items.length === 0) throw badRequest("Provide 'input' or 'previous_response_id' to compact.", "input");
  const tokens = items.reduce((n, item) => n + countTokens(contentText(item.content)), 0);
  const users = items.filter((item) => item.type === "message" && item.role === "user");
  const summary = Buffer.from(`aioc compaction of ${items.length} items`).toString("base64");
  return json({
    id: newId("resp_", 48),
    object: "response.compaction",
    output: [...users, { id: newId("cmp_", 48), type: "compaction", encrypted_content: summary }],
    created_at: nowSeconds(),
    usage: usage(tokens, 8),
  });
}

/** ConversationResource (created; its items are not kept). */
function createConversation(ctx: Ctx): Reply {
  const metadata = ctx.body.object("metadata") ?? {};
  const items = ctx.body.array("items") ?? [];
  if (items.length > 20)
    throw badRequest("'items' takes at most 20 items.", "items", "array_above_max_length");
  return json({ id: newId("conv_", 48), object: "conversation", created_at: nowSeconds(), metadata });
}

const UPLOAD_PURPOSES = ["assistants", "batch", "fine-tune", "vision"] as const;

/** Upload: a pending multi-part upload (parts and completion are not implemented). */
function createUpload(ctx: Ctx): Reply {
  const p = ctx.body;
  const filename = p.requireString("filename");
  const purpose = p.requireString("purpose", UPLOAD_PURPOSES);
  p.requireString("mime_type");
  const size = p.int("bytes", { min: 0 });
  if (size === undefined)
    throw badRequest("Missing required parameter: 'bytes'.", "bytes", "missing_required_parameter");
  const created = nowSeconds();
  return json({
    id: newId("upload_", 32),
    object: "upload",
    bytes: size,
    created_at: created,
    filename,
    purpose,
    status: "pending",
    expires_at: created + 3600,
    file: null,
  });
}

export const responseStateRoutes: Route[] = [
  // Before /v1/responses/{id}, so "compact" is not taken for an id.
  { method: "POST", path: "/v1/responses/compact", body: "json", handle: compact },
  {
    method: "GET",
    path: "/v1/responses/{id}",
    body: "none",
    handle: (ctx) => json(stored(ctx).entry.response),
  },
  {
    method: "DELETE",
    path: "/v1/responses/{id}",
    body: "none",
    handle: (ctx) => {
      const { id } = stored(ctx);
      ctx.responses.delete(id);
      return json({ id, object: "response.deleted", deleted: true });
    },
  },
  { method: "GET", path: "/v1/responses/{id}/input_items", body: "none", handle: listInputItems },
  { method: "POST", path: "/v1/conversations", body: "json", handle: createConversation },
  { method: "POST", path: "/v1/uploads", body: "json", handle: createUpload },
];
