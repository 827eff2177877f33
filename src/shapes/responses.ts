/**
 * Shapes of the Responses API beyond the Response object (src/shapes/schemas.ts holds that one), written from
 * the same pinned openapi.json (see SPEC_SOURCE) and cross-checked by test/shapes-openapi.test.ts like the rest.
 */
import { anyObject, arr, bool, int, literal, nullable, obj, oneOfValues, str } from "./dsl.js";

const ITEM_STATUS = oneOfValues("in_progress", "completed", "incomplete");

export const responsesShapes = {
  /** A `function_call` output item; a tool result must quote its call_id, so that is required too. */
  FunctionToolCall: obj(
    "FunctionToolCall",
    {
      id: str(),
      type: literal("function_call"),
      call_id: str(),
      name: str(),
      arguments: str(),
      status: ITEM_STATUS,
    },
    ["type", "call_id", "name", "arguments"],
  ),

  /** A `reasoning` output item: checked when a server sends one, never required (clients echo it back by id). */
  ReasoningItem: obj(
    "ReasoningItem",
    {
      type: literal("reasoning"),
      id: str(),
      summary: arr(anyObject()),
      content: arr(anyObject()),
      encrypted_content: nullable(str()),
      status: ITEM_STATUS,
    },
    ["type"],
    ["id", "summary"],
  ),

  /** GET /v1/responses/{id}/input_items. */
  ResponseItemList: obj(
    "ResponseItemList",
    { object: literal("list"), data: arr(anyObject()), has_more: bool(), first_id: str(), last_id: str() },
    ["data"],
    ["object", "has_more", "first_id", "last_id"],
  ),

  ResponseFunctionCallArgumentsDoneEvent: obj(
    "ResponseFunctionCallArgumentsDoneEvent",
    {
      type: literal("response.function_call_arguments.done"),
      item_id: str(),
      name: str(),
      output_index: int(),
      sequence_number: int(),
      arguments: str(),
    },
    ["type", "arguments"],
    ["item_id", "name", "output_index", "sequence_number"],
  ),

  /** POST /v1/responses/compact. */
  CompactResource: obj(
    "CompactResource",
    {
      id: str(),
      object: literal("response.compaction"),
      output: arr(anyObject()),
      created_at: int(),
      usage: anyObject(),
    },
    ["output"],
    ["id", "object", "created_at", "usage"],
  ),

  /** POST /v1/conversations. */
  Conversation: obj(
    "ConversationResource",
    { id: str(), object: literal("conversation"), created_at: int() },
    ["id"],
    ["object", "metadata", "created_at"],
  ),

  /** POST /v1/uploads. */
  Upload: obj(
    "Upload",
    {
      id: str(),
      object: literal("upload"),
      bytes: int(),
      created_at: int(),
      expires_at: int(),
      filename: str(),
      purpose: str(),
      status: oneOfValues("pending", "completed", "cancelled", "expired"),
    },
    ["id", "status"],
    ["bytes", "created_at", "expires_at", "filename", "purpose"],
  ),
};
