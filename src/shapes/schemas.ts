/**
 * Canonical response shapes, written from OpenAI's published OpenAPI description
 * (github.com/openai/openai-openapi, openapi.json at commit f85dbe2, 2026-08-21, info.version 2.3.0, MIT).
 * Each object names its source component in `x-source`; test/shapes-openapi.test.ts cross-checks every one
 * against that file so they cannot drift. Field-level citations in reports use the JSON pointer of the
 * offending value plus this source name.
 */
import {
  anyObject,
  arr,
  bool,
  byType,
  int,
  literal,
  nullable,
  num,
  obj,
  oneOfValues,
  type Schema,
  str,
} from "./dsl.js";
import { responsesShapes } from "./responses.js";

export const SPEC_SOURCE = "openai/openai-openapi@f85dbe2 (openapi.json, info.version 2.3.0)";

const usage = obj(
  "CompletionUsage",
  { prompt_tokens: int(), completion_tokens: int(), total_tokens: int() },
  [],
  ["prompt_tokens", "completion_tokens", "total_tokens"],
);

const toolCall = obj(
  "ChatCompletionMessageToolCall",
  {
    id: str(),
    type: literal("function"),
    function: obj("ChatCompletionMessageToolCall#/properties/function", { name: str(), arguments: str() }, [
      "name",
      "arguments",
    ]),
  },
  ["id", "type", "function"],
);

const errorObject = obj(
  "Error",
  { message: str(), type: str(), param: nullable(str()), code: nullable(str()) },
  ["message"],
  ["type", "param", "code"],
);

/** CreateModerationResponse#/properties/results/items/properties/categories: the spec's categories. */
const MODERATION_CATEGORIES = [
  "hate",
  "hate/threatening",
  "harassment",
  "harassment/threatening",
  "self-harm",
  "self-harm/intent",
  "self-harm/instructions",
  "sexual",
  "sexual/minors",
  "violence",
  "violence/graphic",
] as const;

export const shapes = {
  Error: obj("ErrorResponse", { error: errorObject }, ["error"]),

  Model: obj(
    "Model",
    { id: str(), object: literal("model"), created: int(), owned_by: str() },
    ["id"],
    ["object", "created", "owned_by"],
  ),

  ModelList: obj(
    "ListModelsResponse",
    {
      object: literal("list"),
      data: arr(
        obj(
          "Model",
          { id: str(), object: literal("model"), created: int(), owned_by: str() },
          ["id"],
          ["object", "created", "owned_by"],
        ),
      ),
    },
    ["data"],
    ["object"],
  ),

  ChatCompletion: obj(
    "CreateChatCompletionResponse",
    {
      id: str(),
      object: literal("chat.completion"),
      created: int(),
      model: str(),
      // Deprecated; the SDKs type it optional and null-tolerant (openai-python Optional[str]), so null must not FAIL.
      system_fingerprint: nullable(str()),
      choices: arr(
        obj(
          "CreateChatCompletionResponse#/properties/choices/items",
          {
            index: int(),
            finish_reason: oneOfValues("stop", "length", "tool_calls", "content_filter", "function_call"),
            message: obj(
              "ChatCompletionResponseMessage",
              {
                role: literal("assistant"),
                content: nullable(str()),
                refusal: nullable(str()),
                // Optional in the SDKs (openai-python Optional[...]; openai-node checks it before use): null is "none".
                tool_calls: nullable(arr(toolCall)),
              },
              ["role", "content"],
              ["refusal"],
            ),
            logprobs: nullable(anyObject()),
          },
          ["message", "finish_reason"],
          ["index", "logprobs"],
        ),
        { minItems: 1 },
      ),
      usage,
    },
    ["id", "choices", "model"],
    ["object", "created"],
  ),

  ChatCompletionChunk: obj(
    "CreateChatCompletionStreamResponse",
    {
      id: str(),
      object: literal("chat.completion.chunk"),
      created: int(),
      model: str(),
      system_fingerprint: nullable(str()),
      choices: arr(
        obj(
          "CreateChatCompletionStreamResponse#/properties/choices/items",
          {
            index: int(),
            delta: obj(
              "ChatCompletionStreamResponseDelta",
              {
                // Delta fields are optional, and null means "not in this chunk": openai-node's stream helper
                // copies role, id, type, name and arguments only when truthy; openai-python types all Optional.
                role: nullable(oneOfValues("developer", "system", "user", "assistant", "tool")),
                content: nullable(str()),
                refusal: nullable(str()),
                tool_calls: nullable(
                  arr(
                    obj(
                      "ChatCompletionMessageToolCallChunk",
                      {
                        index: int(),
                        id: nullable(str()),
                        type: nullable(literal("function")),
                        function: obj(
                          "ChatCompletionMessageToolCallChunk#/properties/function",
                          {
                            name: nullable(str()),
                            arguments: nullable(str()),
                          },
                          [],
                        ),
                      },
                      [],
                      ["index"],
                    ),
                  ),
                ),
              },
              [],
            ),
            finish_reason: nullable(
              oneOfValues("stop", "length", "tool_calls", "content_filter", "function_call"),
            ),
            logprobs: nullable(anyObject()),
          },
          ["delta"],
          ["index", "finish_reason"],
        ),
      ),
      usage: nullable(usage),
    },
    ["choices"],
    ["id", "object", "created", "model"],
  ),

  TextCompletion: obj(
    "CreateCompletionResponse",
    {
      id: str(),
      object: literal("text_completion"),
      created: int(),
      model: str(),
      system_fingerprint: nullable(str()),
      choices: arr(
        obj(
          "CreateCompletionResponse#/properties/choices/items",
          {
            index: int(),
            text: str(),
            finish_reason: nullable(oneOfValues("stop", "length", "content_filter")),
            logprobs: nullable(anyObject()),
          },
          ["text"],
          ["index", "finish_reason", "logprobs"],
        ),
      ),
      usage,
    },
    ["choices"],
    ["id", "object", "created", "model"],
  ),

  // `Response` is an allOf of ModelResponseProperties, ResponseProperties and its own part; `model` lives in
  // ResponseProperties, the required list in the own part, so the node is the merged whole.
  Response: obj(
    "Response",
    {
      id: str(),
      object: literal("response"),
      created_at: num(),
      status: oneOfValues("completed", "failed", "in_progress", "cancelled", "queued", "incomplete"),
      model: str(),
      output: arr(
        obj("OutputItem", { type: str(), id: str() }, ["type"]),
        // message items are checked in full; other item types (reasoning, tool calls) only by their tag
      ),
      error: nullable(anyObject()),
      usage: obj(
        "ResponseUsage",
        { input_tokens: int(), output_tokens: int(), total_tokens: int() },
        [],
        ["input_tokens", "input_tokens_details", "output_tokens", "output_tokens_details", "total_tokens"],
      ),
    },
    ["id", "output", "model"],
    [
      "object",
      "created_at",
      "error",
      "incomplete_details",
      "instructions",
      "tools",
      "parallel_tool_calls",
      "metadata",
      "tool_choice",
      "temperature",
      "top_p",
    ],
  ),

  ResponseOutputMessage: obj(
    "OutputMessage",
    {
      id: str(),
      type: literal("message"),
      role: literal("assistant"),
      status: oneOfValues("in_progress", "completed", "incomplete"),
      // OutputMessage.content is OutputTextContent | RefusalContent, told apart by `type`.
      content: arr(
        byType(
          "refusal",
          obj("RefusalContent", { type: literal("refusal"), refusal: str() }, ["type", "refusal"]),
          obj(
            "OutputTextContent",
            {
              type: literal("output_text"),
              text: str(),
              annotations: arr(anyObject()),
              logprobs: arr(anyObject()),
            },
            ["type", "text"],
            ["annotations", "logprobs"],
          ),
        ),
      ),
    },
    ["type", "role", "content"],
    ["id", "status"],
  ),

  /** Every Responses stream event (the ResponseStreamEvent union) carries a type tag and a sequence number. */
  ResponseStreamEvent: obj(
    "ResponseStreamEvent",
    { type: str(), sequence_number: int() },
    ["type"],
    ["sequence_number"],
  ),

  ResponseTextDeltaEvent: obj(
    "ResponseTextDeltaEvent",
    {
      type: literal("response.output_text.delta"),
      item_id: str(),
      output_index: int(),
      content_index: int(),
      delta: str(),
      sequence_number: int(),
      logprobs: arr(anyObject()),
    },
    ["type", "delta"],
    ["item_id", "output_index", "content_index", "sequence_number", "logprobs"],
  ),

  ResponseCompletedEvent: obj(
    "ResponseCompletedEvent",
    { type: literal("response.completed"), response: anyObject(), sequence_number: int() },
    ["type", "response"],
    ["sequence_number"],
  ),

  EmbeddingList: obj(
    "CreateEmbeddingResponse",
    {
      object: literal("list"),
      model: str(),
      data: arr(
        obj(
          "Embedding",
          { index: int(), object: literal("embedding"), embedding: { anyOf: [arr(num()), str()] } },
          ["embedding"],
          ["index", "object"],
        ),
        { minItems: 1 },
      ),
      usage: obj(
        "CreateEmbeddingResponse#/properties/usage",
        { prompt_tokens: int(), total_tokens: int() },
        [],
        ["prompt_tokens", "total_tokens"],
      ),
    },
    ["data"],
    ["object", "model", "usage"],
  ),

  ImagesResponse: obj(
    "ImagesResponse",
    {
      created: int(),
      // null for the fields an image does not carry (openai-python's Image types all three Optional): the image check
      // itself decides whether the b64_json asked for came.
      data: arr(
        obj(
          "Image",
          { b64_json: nullable(str()), url: nullable(str()), revised_prompt: nullable(str()) },
          [],
        ),
        { minItems: 1 },
      ),
    },
    ["data"],
    ["created"],
  ),

  Transcription: obj("CreateTranscriptionResponseJson", { text: str() }, ["text"]),

  TranscriptionVerbose: obj(
    "CreateTranscriptionResponseVerboseJson",
    { language: str(), duration: num(), text: str(), segments: arr(anyObject()), words: arr(anyObject()) },
    ["text"],
    ["language", "duration"],
  ),

  Translation: obj("CreateTranslationResponseJson", { text: str() }, ["text"]),

  Moderation: obj(
    "CreateModerationResponse",
    {
      id: str(),
      model: str(),
      results: arr(
        obj(
          "CreateModerationResponse#/properties/results/items",
          {
            flagged: bool(),
            // The spec's categories are booleans; it allows null for the two illicit ones only (models that do not
            // score them). It does not forbid other keys, so a vendor's extra entry (of any type) is tolerated.
            categories: obj(
              "CreateModerationResponse#/properties/results/items/properties/categories",
              {
                ...Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, bool()])),
                illicit: nullable(bool()),
                "illicit/violent": nullable(bool()),
              },
              [],
              [...MODERATION_CATEGORIES, "illicit", "illicit/violent"],
            ),
            category_scores: { type: "object", additionalProperties: num() },
            category_applied_input_types: anyObject(),
          },
          ["flagged", "categories"],
          ["category_scores", "category_applied_input_types"],
        ),
        { minItems: 1 },
      ),
    },
    ["results"],
    ["id", "model"],
  ),

  FileList: obj(
    "ListFilesResponse",
    {
      object: literal("list"),
      data: arr(
        obj(
          "OpenAIFile",
          {
            id: str(),
            object: literal("file"),
            bytes: int(),
            created_at: int(),
            filename: str(),
            purpose: str(),
            status: str(),
          },
          ["id"],
          ["object", "bytes", "created_at", "filename", "purpose", "status"],
        ),
      ),
      first_id: nullable(str()),
      last_id: nullable(str()),
      has_more: bool(),
    },
    ["data"],
    ["object", "first_id", "last_id", "has_more"],
  ),

  FineTuningJobList: obj(
    "ListPaginatedFineTuningJobsResponse",
    {
      object: literal("list"),
      data: arr(
        obj(
          "FineTuningJob",
          { id: str(), object: str(), status: str() },
          ["id"],
          [
            "created_at",
            "error",
            "finished_at",
            "fine_tuned_model",
            "hyperparameters",
            "model",
            "object",
            "organization_id",
            "result_files",
            "status",
            "trained_tokens",
            "training_file",
            "validation_file",
            "seed",
          ],
        ),
      ),
      has_more: bool(),
    },
    ["data"],
    ["object", "has_more"],
  ),

  BatchList: obj(
    "ListBatchesResponse",
    {
      object: literal("list"),
      data: arr(
        obj(
          "Batch",
          { id: str(), object: str(), status: str() },
          ["id"],
          ["object", "endpoint", "input_file_id", "completion_window", "status", "created_at"],
        ),
      ),
      has_more: bool(),
    },
    ["data"],
    ["object", "has_more"],
  ),

  Video: obj(
    "VideoResource",
    {
      id: str(),
      object: literal("video"),
      model: str(),
      status: oneOfValues("queued", "in_progress", "completed", "failed"),
      progress: int(),
      created_at: int(),
      completed_at: nullable(int()),
      expires_at: nullable(int()),
      prompt: nullable(str()),
      size: str(),
      seconds: str(),
      remixed_from_video_id: nullable(str()),
      error: nullable(anyObject()),
    },
    ["id", "status"],
    [
      "object",
      "model",
      "progress",
      "created_at",
      "completed_at",
      "expires_at",
      "prompt",
      "size",
      "seconds",
      "remixed_from_video_id",
      "error",
    ],
  ),
  // responses group: function calls, reasoning items, stored-response lists, compact, conversations, uploads
  ...responsesShapes,
} satisfies Record<string, Schema>;

export type ShapeName = keyof typeof shapes;

/** Content types OpenAI answers `/v1/audio/speech` with, per `response_format` (API reference, createSpeech). */
export const SPEECH_CONTENT_TYPES: Record<string, string[]> = {
  mp3: ["audio/mpeg", "audio/mp3"],
  opus: ["audio/opus", "audio/ogg"],
  aac: ["audio/aac"],
  flac: ["audio/flac"],
  wav: ["audio/wav", "audio/x-wav", "audio/wave"],
  pcm: ["audio/pcm", "audio/l16"],
};
