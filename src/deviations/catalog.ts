/**
 * The deviation catalog: data, one entry per known deviation. docs/deviations.md is generated from it
 * (src/deviations/docs.ts) and `aioc deviations` prints it; test/deviations.test.ts keeps both honest.
 *
 * Every implementation named here is backed by a source in the same entry (an issue, a pull request, a docs
 * page or the implementation's own route table). Where no source confirms an implementation, the list is
 * empty rather than guessed.
 */
import { STOP_WHEN_CUT } from "../checks/token-limit.js";
import { isJsonObject, observedJson } from "../http/json.js";
import type { Observation } from "../probe/types.js";
import type { Problem } from "../report/types.js";
import { ENFORCEMENT_DEVIATIONS } from "./enforcement.js";
import { PARAM_DEVIATIONS } from "./params.js";
import { RESPONSES_DEVIATIONS } from "./responses.js";
import type { Deviation } from "./types.js";

/**
 * Facts a check records in `observation.facts` for the predicates below. Checks that do not record them yet
 * simply never trigger the deviations that need them.
 */
export const FACTS = {
  /** The raw (non-JSON-encoded) request body an error check sent, e.g. malformed JSON (src/checks/error-response.ts). */
  sentRaw: "sentRaw",
  /** HTTP status `/v1/audio/transcriptions` answered in the same run (set on the translations row). */
  /** HTTP status of the row this one `needs` (set by the runner). */
  dependencyStatus: "dependencyStatus",
  /** Sniffed audio format of a speech body (set by src/checks/audio.ts). */
  audioFormat: "audioFormat",
  /** `true` when image edits refused multipart but took JSON (set by src/checks/images.ts). */
  jsonAccepted: "jsonAccepted",
  /** The made-up model id the unknown-model row asked for (set by src/checks/chat-errors.ts). */
  unknownModel: "unknownModel",
} as const;

/** Every chat row: plain, streamed and the Phase C variants (`[tools]`, `[stream-forensics]`, …). */
const CHAT_ALL = "/v1/chat/completions*";
const COMPLETIONS_ALL = "/v1/completions*";
/** Streamed chat: `[stream]`, `[stream-forensics]` and the streamed tool call. */
const CHAT_STREAMS = ["/v1/chat/completions[stream*", "/v1/chat/completions[tools-stream]"];
const COMPLETIONS_STREAMS = ["/v1/completions[stream*"];
const RESPONSES_STREAMS = ["/v1/responses[stream*", "/v1/responses[tools-stream]"];
const STREAM_ROWS = [...CHAT_STREAMS, ...COMPLETIONS_STREAMS, ...RESPONSES_STREAMS];
/** Every row, including Phase C variants such as `/v1/chat/completions[error-invalid-json]`. */
const ALL = ["/v1/*"];

type Json = Record<string, unknown>;

function mediaType(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}

/** The last segment of a JSON pointer (`stream/3/choices/0/index` → `index`). */
function field(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf("/") + 1);
}

/** Parsed SSE data frames that are JSON objects. */
function chunks(obs: Observation): Json[] {
  return (obs.frames ?? []).filter(isJsonObject);
}

function choicesOf(chunk: Json): Json[] {
  return Array.isArray(chunk.choices) ? chunk.choices.filter(isJsonObject) : [];
}

const isStreamObservation = (obs: Observation) => obs.events !== undefined;

const anyProblem = (match: (p: Problem) => boolean) => (_obs: Observation, problems: readonly Problem[]) =>
  problems.some(match);

/** A spec-required field reported missing by the shapes (severity warn). */
const missing = (name: string) => (p: Problem) =>
  p.got === "missing" && p.expected === "present (spec-required)" && field(p.pointer) === name;

const isStatus = (p: Problem) => p.pointer === "status";

/** Azure OpenAI's content-filter chunk: `prompt_filter_results`, no choices, empty identity fields. */
function promptFilterChunks(obs: Observation): Json[] {
  return chunks(obs).filter(
    (c) =>
      c.prompt_filter_results !== undefined &&
      Array.isArray(c.choices) &&
      c.choices.length === 0 &&
      c.id === "",
  );
}

/** The fields Azure's filter chunk leaves empty, which the chunk schema then reports. */
const PROMPT_FILTER_FIELDS = new Set(["id", "object", "created", "model"]);

/** A 2xx body that is nothing but `{error: …}` (see error-with-200): its shape findings are not field defects. */
function errorOnlyBody(obs: Observation): boolean {
  if (obs.status === null || obs.status < 200 || obs.status >= 300) return false;
  const json = observedJson(obs);
  return (
    isJsonObject(json) && Object.keys(json).length === 1 && json.error !== null && json.error !== undefined
  );
}

/** A shape finding on a real response body (not an error body served with 2xx). */
const shapeFinding = (match: (p: Problem) => boolean) => (obs: Observation, problems: readonly Problem[]) =>
  !errorOnlyBody(obs) && problems.some(match);
const isContentType = (p: Problem) => p.pointer === "header:content-type";

function isErrorEnvelope(value: unknown): boolean {
  const err = isJsonObject(value) ? value.error : undefined;
  return isJsonObject(err) && typeof err.message === "string";
}

/** A request body the check sent on purpose as malformed JSON. */
function sentMalformed(obs: Observation): boolean {
  const raw = obs.facts[FACTS.sentRaw] ?? obs.sent;
  if (typeof raw !== "string") return false;
  try {
    JSON.parse(raw);
    return false;
  } catch {
    return true;
  }
}

const noUsage = (p: Problem) => p.got === "no usage chunk";
/** The [max_tokens] finding that a cut answer says finish_reason "stop" (src/checks/chat-bounds.ts). */
const stopWhenCut = (p: Problem) => p.got === STOP_WHEN_CUT;
const noFinish = (p: Problem) => p.expected === "a chunk carrying finish_reason" && p.got === "none";
const streamIndex = (p: Problem) =>
  missing("index")(p) && /\/(choices|tool_calls)\/\d+\/index$/.test(p.pointer);
const chunkFinishMissing = (p: Problem) =>
  missing("finish_reason")(p) && /\/choices\/\d+\/finish_reason$/.test(p.pointer);
const nonStandardFinish = (p: Problem) =>
  field(p.pointer) === "finish_reason" &&
  p.got.startsWith("string") &&
  (p.expected.startsWith("one of") || p.expected === "null");
const floatCreated = (p: Problem) =>
  field(p.pointer) === "created" && p.expected === "integer" && p.got.startsWith("number");
/** The stream-forensics finding on the include_usage chunk's choices (src/checks/forensics-chat.ts). */
const usageChunkChoices = (p: Problem) => p.expected === "[] in the usage chunk";
/** A chunk schema type finding: a chunk-level `id`, `model` or `created` that is null. */
const nullChunkField = (p: Problem) =>
  p.got === "null" && /^stream\/\d+\/(id|model|created)$/.test(p.pointer);
/** The error checks' finding for a body that is not the envelope (src/checks/error-response.ts). */
const envelopeFinding = (p: Problem) =>
  p.pointer === "body" && p.severity === "warn" && p.expected.includes("error envelope");

/** The one chunk of a stream that carries a `usage` object, if exactly one does. */
function onlyUsageChunk(obs: Observation): Json | undefined {
  const withUsage = chunks(obs).filter((c) => isJsonObject(c.usage));
  return withUsage.length === 1 ? withUsage[0]! : undefined;
}

/** A chunk whose choices carry a finish_reason: the final choice chunk. */
const carriesFinish = (chunk: Json) =>
  choicesOf(chunk).some((c) => c.finish_reason !== null && c.finish_reason !== undefined);

/** The Response object a Responses row saw: the JSON body, or the terminal event's `response` in a stream. */
function finalResponse(obs: Observation): Json | undefined {
  if (isJsonObject(obs.json) && obs.json.object === "response") return obs.json;
  const terminal = chunks(obs).findLast(
    (e) => e.type === "response.completed" || e.type === "response.incomplete",
  );
  return terminal && isJsonObject(terminal.response) ? terminal.response : undefined;
}

/** The request's `max_output_tokens`, when the check sent one. */
const sentMaxOutputTokens = (obs: Observation): number | undefined => {
  const max = isJsonObject(obs.sent) ? obs.sent.max_output_tokens : undefined;
  return typeof max === "number" ? max : undefined;
};

/** The `error.code` of an error envelope is a number (llama-server and vLLM send the HTTP status there). */
function integerErrorCode(obs: Observation): boolean {
  const json = observedJson(obs);
  const err = isJsonObject(json) ? json.error : undefined;
  return isJsonObject(err) && typeof err.message === "string" && typeof err.code === "number";
}
const errorCodeNumber = (p: Problem) => p.pointer === "/error/code" && p.got.startsWith("number");

/** The Responses stream finding for a response.created without `output` (src/checks/chat.ts, forensics-responses.ts). */
const responseCreatedOutput = (p: Problem) =>
  /^stream\/\d+\/response\/output$/.test(p.pointer) && p.got === "missing";

/** Responses events that place what they carry by output item (and content part) index. */
const INDEXED_EVENT = /^response\.(output_item|content_part|output_text|function_call_arguments|refusal)\./;
const PART_EVENT = /^response\.(content_part|output_text|refusal)\./;
/** An indexed Responses event without its `output_index` (or, for a content event, `content_index`). */
const lacksIndex = (e: Json) =>
  typeof e.type === "string" &&
  INDEXED_EVENT.test(e.type) &&
  (typeof e.output_index !== "number" || (PART_EVENT.test(e.type) && typeof e.content_index !== "number"));
/** The shape's spec-required finding, or the forensics' fail, on a stream event's missing index. */
const eventIndexMissing = (p: Problem) =>
  /^stream\/\d+\/(output_index|content_index)$/.test(p.pointer) && p.got === "missing";

/** Tool calls whose id is `""`: in a JSON body directly, in a stream once every delta for the call is seen. */
function hasEmptyToolCallId(obs: Observation): boolean {
  const json = observedJson(obs);
  if (isJsonObject(json)) {
    for (const choice of choicesOf(json)) {
      const calls = isJsonObject(choice.message) ? choice.message.tool_calls : undefined;
      if (Array.isArray(calls) && calls.some((c) => isJsonObject(c) && c.id === "")) return true;
    }
  }
  const ids = new Map<string, string>();
  for (const chunk of chunks(obs)) {
    for (const choice of choicesOf(chunk)) {
      const calls = isJsonObject(choice.delta) ? choice.delta.tool_calls : undefined;
      if (!Array.isArray(calls)) continue;
      for (const call of calls.filter(isJsonObject)) {
        const key = `${String(choice.index)}/${String(call.index)}`;
        const seen = ids.get(key) ?? "";
        ids.set(key, seen || (typeof call.id === "string" ? call.id : ""));
      }
    }
  }
  return [...ids.values()].some((id) => id === "");
}

export const DEVIATIONS: readonly Deviation[] = [
  // ── Models ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: "model-retrieve-404",
    rows: ["/v1/models/{model}"],
    verdict: "WARN",
    summary: "GET /v1/models/{model} answers 404 for a model that /v1/models lists",
    implementations: [
      { name: "llama.cpp", versions: "current llama-server (its route table has no /v1/models/{id})" },
      {
        name: "LiteLLM",
        versions: 'proxy before the fix for issue #13128 (answered {"detail":"Not Found"})',
      },
      {
        name: "LocalAI",
        versions:
          "current (its route table has GET /v1/models and /v1/models/capabilities, no /v1/models/{id})",
      },
      { name: "mlx-lm", versions: "server before issue #304 was closed" },
      {
        name: "TabbyAPI",
        versions:
          "current (its core router has GET /v1/models, /v1/model/list and /v1/model, no /v1/models/{id})",
      },
      { name: "vLLM", versions: "current (its models router has only GET /v1/models)" },
    ],
    docs: "docs/deviations.md#model-retrieve-404",
    detect: (obs) => obs.status === 404,
    explains: isStatus,
    why: "The list endpoint works and clients that only list models are unaffected; clients that check one model (Copilot via mlx-lm issue #304, Llama Stack via LiteLLM issue #13128) get a NotFoundError.",
    detection: "The retrieve row answered 404 for the model id /v1/models returned.",
    sources: [
      "llama.cpp tools/server/server.cpp (route table: GET /models and /v1/models, no /v1/models/{id})",
      "LiteLLM issue #13128",
      "LocalAI core/http/routes/openai.go (route table: GET /v1/models and /v1/models/capabilities only)",
      "mlx-lm issue #304",
      "tabbyAPI endpoints/core/router.py (route table: GET /v1/models, /v1/model/list, /v1/model)",
      "vLLM vllm/entrypoints/openai/models/api_router.py (route table: GET /v1/models only)",
    ],
  },
  {
    id: "missing-created",
    rows: ALL,
    verdict: "WARN",
    summary: "responses omit the spec-required `created` timestamp",
    implementations: [
      { name: "LM Studio", versions: "0.4.14 and 0.4.15 /v1/models entries (issues #1988, #1998, open)" },
      {
        name: "LocalAI",
        versions:
          "current /v1/models entries (schema.OpenAIModel has only id and object); streamed chunks in 2023 (issues #340, #648)",
      },
    ],
    docs: "docs/deviations.md#missing-created",
    detect: shapeFinding(missing("created")),
    explains: missing("created"),
    why: "The official SDKs do not validate responses (openai-node returns the JSON as is; its stream helper copies whatever fields a chunk has), and the Vercel AI SDK treats `created` as optional.",
    detection:
      "A shape finding: `created` missing where the spec requires it (models, completions, chunks, images).",
    sources: [
      "LM Studio bug tracker issue #1988",
      "LM Studio bug tracker issue #1998",
      "LocalAI issue #340",
      "LocalAI issue #648",
      "LocalAI core/schema/openai.go (OpenAIModel: id and object only)",
    ],
  },
  {
    id: "missing-object",
    rows: ALL,
    verdict: "WARN",
    summary: "responses omit the spec-required `object` tag (`chat.completion`, `list`, …)",
    implementations: [{ name: "LocalAI", versions: "v1.9.1 completion stream chunks (issue #648)" }],
    docs: "docs/deviations.md#missing-object",
    detect: shapeFinding(missing("object")),
    explains: missing("object"),
    why: "No official SDK dispatches on `object` for these endpoints; the tag is informational.",
    detection: "A shape finding: `object` missing where the spec requires it.",
    sources: ["LocalAI issue #648"],
  },
  {
    id: "missing-index",
    rows: ALL,
    verdict: "WARN",
    summary: "non-streamed choices or embeddings omit the spec-required `index`",
    implementations: [{ name: "LocalAI", versions: "1.21.0 chat completions (issue #788)" }],
    docs: "docs/deviations.md#missing-index",
    detect: (obs, problems) => !isStreamObservation(obs) && shapeFinding(missing("index"))(obs, problems),
    explains: missing("index"),
    why: "In a complete (non-streamed) body the array position already orders the choices, and the SDKs return the body unchanged. In a stream it is FAIL, see stream-missing-index.",
    detection: "A shape finding: `index` missing in a JSON (non-SSE) body.",
    sources: ["LocalAI issue #788"],
  },

  // ── Chat completions, streamed ──────────────────────────────────────────────────────────────────
  {
    id: "stream-no-usage",
    rows: [...CHAT_STREAMS, ...COMPLETIONS_STREAMS],
    verdict: "WARN",
    summary: "stream has no usage chunk although stream_options.include_usage was set",
    implementations: [
      { name: "Ollama", versions: "before v0.5.2 (added by PR #6784)" },
      { name: "vLLM", versions: "v0.5.1 (issue #6371)" },
      { name: "SGLang", versions: "mid-2024 (issue #954)" },
      { name: "llama-cpp-python", versions: "server, 2024 (issues #1082, #1640)" },
    ],
    docs: "docs/deviations.md#stream-no-usage",
    detect: anyProblem(noUsage),
    explains: noUsage,
    why: "The text streams fine; only token accounting is lost (the SDK reports `usage` as undefined).",
    detection: "The chat stream check requested include_usage and no chunk carried a usage object.",
    sources: [
      "Ollama issue #4448",
      "Ollama issue #5200",
      "Ollama PR #6784 (released in v0.5.2)",
      "vLLM issue #6371",
      "SGLang issue #954",
      "llama-cpp-python issue #1640",
    ],
  },
  {
    id: "stream-usage-every-chunk",
    rows: [...CHAT_STREAMS, ...COMPLETIONS_STREAMS],
    verdict: "WARN",
    summary: "usage is sent on many chunks instead of only on a final chunk",
    implementations: [
      {
        name: "vLLM",
        versions: "v0.5.4 with include_usage (issue #7262); any version with continuous_usage_stats",
      },
      { name: "LocalAI", versions: "zeroed usage on every chunk (issues #1194, #1744, v2.8.2)" },
      { name: "SGLang", versions: "only with stream_options.continuous_usage_stats (PR #12241)" },
    ],
    docs: "docs/deviations.md#stream-usage-every-chunk",
    detect: (obs) => chunks(obs).filter((c) => isJsonObject(c.usage)).length > 1,
    why: "The text is intact and openai-node's stream helper keeps the last usage it sees, but the usage is no longer a reliable end marker (atoma-proxy PR #534) and the official Go SDK's ChatCompletionAccumulator adds up usage across chunks, so running totals are over-counted.",
    detection:
      "More than one stream chunk carries a non-null `usage` object (OpenAI sends usage: null on all but the final choices: [] chunk).",
    sources: [
      "vLLM issue #7262",
      "vLLM PR #6652 (continuous_usage_stats)",
      "SGLang PR #12241",
      "LocalAI issue #1744",
      "openai-go streamaccumulator.go (usage is summed per chunk)",
      "OpenAI API reference: stream_options.include_usage",
    ],
  },
  {
    id: "usage-chunk-with-choices",
    rows: [...CHAT_STREAMS, ...COMPLETIONS_STREAMS],
    verdict: "WARN",
    summary: "the include_usage chunk carries a non-empty `choices` array instead of `choices: []`",
    implementations: [
      {
        name: "LiteLLM",
        versions:
          "proxy, synthetic usage chunk with a placeholder choice (issues #8450 and #28735, closed stale; fix PRs #8751 and #28738 closed unmerged, #28736 open)",
      },
      { name: "mlx-dspark", versions: "before issue #37 was closed (2026)" },
    ],
    docs: "docs/deviations.md#usage-chunk-with-choices",
    detect: (obs) => {
      const only = onlyUsageChunk(obs);
      // Usage on the final choice chunk itself is usage-on-final-choice-chunk, not a placeholder choice.
      return !!only && Array.isArray(only.choices) && only.choices.length > 0 && !carriesFinish(only);
    },
    explains: usageChunkChoices,
    why: "The text is intact and the official SDKs cope: openai-node's ChatCompletionStream merges the placeholder into the choice it already has (empty delta, finish_reason null change nothing; measured with openai 6.49.0, the client:openai-node/chat.stream row passes against dev:usage-chunk-with-choices), and openai-java's ChatCompletionAccumulator returns on a chunk with usage before reading its choices. Clients that recognise the usage chunk by `choices: []` mis-handle it: LiteLLM PR #28736 reports LangChain.js and Dify treating it as both a content and a usage event (tokens double-counted), OpenLIT issue #878 an OpenTelemetry export error on its null finish_reason, and mlx-dspark issue #37 a LiteLLM proxy that no longer sees the usage chunk and recomputes usage itself.",
    detection:
      "Exactly one stream chunk carries a `usage` object and its `choices` array is non-empty but carries no finish_reason (OpenAI's include_usage chunk has choices: []; usage on many chunks is stream-usage-every-chunk, usage on the finish_reason chunk is usage-on-final-choice-chunk).",
    sources: [
      "LiteLLM issue #8450",
      "LiteLLM issue #28735",
      "LiteLLM PR #8751",
      "LiteLLM PR #28736",
      "LiteLLM PR #28738",
      "mlx-dspark issue #37",
      "OpenLIT issue #878",
      "OpenAI API reference: stream_options.include_usage",
      "openai-node src/lib/ChatCompletionStream.ts",
      "openai-java ChatCompletionAccumulator.kt",
    ],
  },
  {
    id: "usage-on-final-choice-chunk",
    rows: [...CHAT_STREAMS, ...COMPLETIONS_STREAMS],
    verdict: "WARN",
    summary:
      "usage rides on the final choice chunk (the one with finish_reason), even unrequested, instead of a separate `choices: []` chunk sent only for include_usage",
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "llama-server /v1/completions streams, current and older builds: the finish_reason chunk always carries usage, stream_options or not",
      },
    ],
    docs: "docs/deviations.md#usage-on-final-choice-chunk",
    detect: (obs) => {
      const only = onlyUsageChunk(obs);
      return !!only && carriesFinish(only);
    },
    explains: usageChunkChoices,
    why: "The text, the finish_reason and the counts all arrive, and clients that read `usage` wherever it appears get them: openai-node hands each chunk over as it came, and the official stream helpers keep the last usage they see. What differs from OpenAI is where and when: OpenAI sends usage only when stream_options.include_usage asks for it, on an extra last chunk with `choices: []` (every other chunk has no usage), so a client that recognises the usage chunk by its empty choices, or that did not ask for usage, sees an unexpected field on a content chunk.",
    detection:
      "Exactly one stream chunk carries a `usage` object and one of its choices carries a finish_reason. aioc's completions stream does not ask for include_usage, so there the usage came unrequested.",
    sources: [
      "llama.cpp tools/server/server-task.cpp (server_task_result_cmpl_final::to_json_oaicompat: usage on the final completions chunk, include_usage only read for chat)",
      "OpenAI API reference: stream_options.include_usage",
      "openai-node src/core/streaming.ts",
    ],
  },
  {
    id: "no-finish-reason",
    rows: CHAT_STREAMS,
    verdict: "FAIL",
    summary: "no stream chunk carries a finish_reason",
    implementations: [
      { name: "Nebius AI Studio", versions: "DeepSeek V3/R1, early 2025 (openai-node issue #1292)" },
    ],
    docs: "docs/deviations.md#no-finish-reason",
    detect: anyProblem(noFinish),
    explains: noFinish,
    why: 'The official SDK\'s stream helper (openai-node `chat.completions.stream()`, `runTools`) throws "missing finish_reason for choice 0" when the stream ends (measured with openai 6.49.0; openai-node issues #499, #1292).',
    detection: "The chat stream check found no chunk whose choices carry a finish_reason.",
    sources: [
      "openai-node issue #1292",
      "openai-node issue #499",
      "openai-node src/lib/ChatCompletionStream.ts",
    ],
  },
  {
    id: "finish-reason-stop-when-cut",
    rows: ["/v1/chat/completions[max_tokens]"],
    verdict: "WARN",
    summary: 'an answer cut by the token limit says finish_reason "stop", not "length"',
    implementations: [
      { name: "LocalAI", versions: "v2.20.1 (issue #3533)" },
      { name: "llm-d-inference-sim", versions: "before PR #33 (issue #29: only stop was ever sent)" },
    ],
    docs: "docs/deviations.md#finish-reason-stop-when-cut",
    detect: (_obs, problems) => problems.some(stopWhenCut),
    explains: stopWhenCut,
    why: 'Nothing throws (openai-node and the AI SDK return the answer as is), but clients that watch for "length" to continue, retry with a larger limit or warn about truncation (Haystack issue #4069, instructor issue #276) take the cut answer as complete.',
    detection:
      'The [max_tokens] row: an answer bounded to one completion token, with non-empty content, says finish_reason "stop".',
    sources: [
      "LocalAI issue #3533",
      "llm-d-inference-sim issue #29 (fixed by PR #33)",
      "Haystack issue #4069",
      "instructor issue #276",
    ],
  },
  {
    id: "missing-chunk-finish-reason",
    rows: [...CHAT_STREAMS, ...COMPLETIONS_STREAMS],
    verdict: "WARN",
    summary: "stream chunks omit `finish_reason` instead of sending `finish_reason: null`",
    implementations: [
      { name: "vLLM", versions: "before PR #19662 (June 2025)" },
      { name: "LocalAI", versions: "2023–2024 (issues #1194, #1744)" },
      {
        name: "LiteLLM",
        versions:
          "proxy 1.106.12, measured in the field lab: chat and completions chunks carry no finish_reason key until the finish chunk, although the backend (llama-server) sends null",
      },
    ],
    docs: "docs/deviations.md#missing-chunk-finish-reason",
    detect: (obs, problems) => isStreamObservation(obs) && problems.some(chunkFinishMissing),
    explains: chunkFinishMissing,
    why: "The SDK accumulators treat an absent finish_reason like null (openai-node, openai-go); clients that require the key normalise it themselves (LibreChat PR #5563 adds `finish_reason: null` for providers that omit it).",
    detection:
      "A shape finding on a stream chunk: `choices[].finish_reason` missing (the spec requires the key, nullable).",
    sources: [
      "vLLM PR #19662",
      "LocalAI issue #1194",
      "LocalAI issue #1744",
      "LibreChat PR #5563",
      "measured: LiteLLM proxy 1.106.12 in front of llama-server (field lab)",
    ],
  },
  {
    id: "stream-missing-index",
    rows: [...CHAT_STREAMS, ...COMPLETIONS_STREAMS],
    verdict: "FAIL",
    summary: "stream chunks omit `choices[].index` (or `tool_calls[].index`)",
    implementations: [{ name: "LocalAI", versions: "2023 (issue #1194)" }],
    docs: "docs/deviations.md#stream-missing-index",
    detect: (obs, problems) => isStreamObservation(obs) && problems.some(streamIndex),
    explains: streamIndex,
    why: 'The official SDK\'s stream helper (openai-node) files deltas under `choices[index]`; without an index it throws "stream ended without producing a ChatCompletionMessage with role=assistant" (measured with openai 6.49.0). one-api issue #1037 reports the official library failing the same way.',
    detection: "A shape finding on a stream chunk: `choices[].index` or `delta.tool_calls[].index` missing.",
    sources: ["LocalAI issue #1194", "one-api issue #1037", "openai-node src/lib/ChatCompletionStream.ts"],
  },
  {
    id: "stream-missing-role",
    rows: CHAT_STREAMS,
    verdict: "FAIL",
    summary: 'no stream chunk carries `delta.role: "assistant"`',
    implementations: [{ name: "llama.cpp", versions: "before PR #13634 (May 2025)" }],
    docs: "docs/deviations.md#stream-missing-role",
    detect: (obs) => {
      // Chat chunks only: legacy completions stream `text`, not `delta`.
      const withChoices = chunks(obs).filter((c) => choicesOf(c).some((ch) => isJsonObject(ch.delta)));
      return (
        withChoices.length > 0 &&
        !withChoices.some((c) =>
          choicesOf(c).some(
            (ch) => isJsonObject(ch.delta) && typeof ch.delta.role === "string" && ch.delta.role !== "",
          ),
        )
      );
    },
    why: 'The official SDK\'s stream helper (openai-node) throws "missing role for choice 0" at the end of the stream (measured with openai 6.49.0; LibreChat issue #1221, llama.cpp PR #13634).',
    detection: "Chunks with choices arrived, but none had a non-empty `delta.role`.",
    sources: ["llama.cpp PR #13634", "one-api issue #1037", "LibreChat issue #1221"],
  },
  {
    id: "azure-prompt-filter-chunk",
    rows: CHAT_STREAMS,
    verdict: "WARN",
    summary:
      'the first stream chunk is a content-filter report (`id: ""`, `object: ""`, `created: 0`, `model: ""`, `choices: []`, `prompt_filter_results`)',
    implementations: [
      {
        name: "Azure OpenAI",
        versions: "chat streams with content filtering (the default), every API version",
      },
    ],
    docs: "docs/deviations.md#azure-prompt-filter-chunk",
    detect: (obs) => promptFilterChunks(obs).length > 0,
    explains: (p) => /^stream\/\d+\//.test(p.pointer) && PROMPT_FILTER_FIELDS.has(field(p.pointer)),
    why: "Every client copes: openai-node's stream loop yields the chunk (choices is an empty array) and its ChatCompletionStream helper copies id, model and created from the later chunks (Object.assign per chunk; measured with openai 6.49.0, the client:openai-node/chat.stream row passes against dev:azure-prompt-filter-chunk); @ai-sdk/openai-compatible skips a chunk without choices, though it takes the response id and model from the first chunk, so they come out empty. Any client that reads id or model from the first chunk alone gets empty strings.",
    detection:
      "A stream chunk with `prompt_filter_results`, `choices: []` and an empty `id`; the chunk schema's findings on that chunk's `id`, `object`, `created` and `model` are what it accounts for.",
    sources: [
      "Azure OpenAI docs: content filtering (streaming: prompt_filter_results in the first chunk)",
      "openai-node src/lib/ChatCompletionStream.ts",
      "@ai-sdk/openai-compatible chat stream transform (dist/index.js)",
    ],
  },
  {
    id: "chunk-id-changes",
    rows: [...CHAT_STREAMS, ...COMPLETIONS_STREAMS],
    verdict: "FAIL",
    summary: "the `id` changes between chunks of one stream",
    implementations: [
      { name: "llama.cpp", versions: "early 2024 (issue #5876)" },
      {
        name: "LiteLLM",
        versions:
          "before PR #1572 (Jan 2024); v1.74.15 /completions (issue #14429); providers without an upstream id (issue #38098)",
      },
      { name: "SGLang", versions: "usage chunk of /v1/completions, early 2025 (PR #3760 output)" },
      { name: "Foundry Local", versions: "up to v0.6.87 (issues #144, #221)" },
    ],
    docs: "docs/deviations.md#chunk-id-changes",
    detect: (obs) =>
      new Set(
        chunks(obs)
          .map((c) => c.id)
          .filter((id) => typeof id === "string" && id !== ""),
      ).size > 1,
    why: "The official Go SDK's ChatCompletionAccumulator.AddChunk rejects a chunk whose id differs from the first (Foundry Local issue #221), openai-node's ChatCompletionStream.fromReadableStream starts a new completion on a new id, and clients that merge by id split one reply into many (LiteLLM issue #38098, goose).",
    detection: "The stream's chunks carry more than one distinct non-empty `id`.",
    sources: [
      "llama.cpp issue #5876",
      "LiteLLM issue #1571",
      "LiteLLM issue #14429",
      "LiteLLM issue #38098",
      "SGLang PR #3760",
      "Foundry Local issue #221",
      "openai-go streamaccumulator.go (preflightChunk)",
    ],
  },
  {
    id: "stream-null-fields",
    rows: [...CHAT_STREAMS, ...COMPLETIONS_STREAMS],
    verdict: "FAIL",
    summary: "stream chunks carry `id`, `model` or `created` as null",
    implementations: [
      { name: "Foundry Local", versions: '"model": null on every chat chunk, June 2025 (issue #144)' },
    ],
    docs: "docs/deviations.md#stream-null-fields",
    detect: (obs) =>
      isStreamObservation(obs) &&
      chunks(obs).some((c) => c.id === null || c.model === null || c.created === null),
    explains: nullChunkField,
    why: "The official Java SDK breaks: openai-java's ChatCompletionAccumulator.accumulate reads chunk.id(), chunk.created() and chunk.model() as required fields, and a JSON null there throws OpenAIInvalidDataException (\"`model` is null\", core/Values.kt getRequired); Spring AI's ChunkMerger calls the same accessors (issue #6928 reports the exception for chunks that omit id or model). openai-node copes (its stream helper copies the null through and only compares truthy ids; measured with openai 6.49.0, the client:openai-node/chat.stream row passes against dev:stream-null-fields) and the Vercel AI SDK's chunk schema declares the three fields nullish.",
    detection:
      "A stream chunk has `id`, `model` or `created` set to null; the chunk schema's type findings on those fields (got null) are what it accounts for.",
    sources: [
      "Foundry Local issue #144",
      "openai-java ChatCompletionAccumulator.kt and core/Values.kt (getRequired)",
      "spring-ai issue #6928",
      "openai-node src/lib/ChatCompletionStream.ts",
    ],
  },
  {
    id: "finish-reason-nonstandard",
    rows: [CHAT_ALL, COMPLETIONS_ALL],
    verdict: "FAIL",
    summary: 'finish_reason is not one of the spec values (`eos`, `eos_token`, `""`)',
    implementations: [
      { name: "Ollama", versions: '"" on stream chunks, 2024 (issue #4357)' },
      {
        name: "SGLang",
        versions: '"" or "eos_token" (dstack PR #2229); "" on stream chunks in v0.4.3.post2 (issue #3912)',
      },
      { name: "TGI", versions: '"eos_token" before PR #2344' },
      { name: "Together AI", versions: '"eos" (openai-dotnet PR #267)' },
    ],
    docs: "docs/deviations.md#finish-reason-nonstandard",
    detect: anyProblem(nonStandardFinish),
    explains: nonStandardFinish,
    why: 'The official .NET SDK throws ArgumentOutOfRangeException "Unknown ChatFinishReason value" (openai-dotnet PR #267, declined upstream) and typed clients such as async-openai fail to deserialize (TGI PR #2344). openai-node passes the string through.',
    detection:
      "A shape finding: `finish_reason` is a string outside stop, length, tool_calls, content_filter, function_call.",
    sources: [
      "Ollama issue #4357",
      "dstack PR #2229",
      "SGLang issue #3912",
      "TGI issue #2296",
      "TGI PR #2344",
      "openai-dotnet PR #267",
    ],
  },
  {
    id: "tool-call-empty-id",
    rows: [CHAT_ALL],
    verdict: "WARN",
    summary: 'tool calls come back with an empty `id` (`""`)',
    implementations: [
      {
        name: "LM Studio",
        versions: "2025–2026 (bug tracker issue #830, open; thane-ai-agent PR #1396, August 2026)",
      },
    ],
    docs: "docs/deviations.md#tool-call-empty-id",
    detect: hasEmptyToolCallId,
    why: "openai-node keeps the empty id (measured with openai 6.49.0) and agent frameworks now synthesise one (pydantic-ai PR #1892, Vercel AI PR #19091, LangChain PR #29921); older clients broke (openai-dotnet issue #428, fixed by PR #429), and with parallel calls the results cannot be matched to their calls.",
    detection:
      'A tool call in a JSON body has `id: ""`, or no delta of a streamed tool call carried a non-empty id.',
    sources: [
      "LM Studio bug tracker issue #830",
      "thane-ai-agent PR #1396",
      "openai-dotnet issue #428",
      "pydantic-ai PR #1892",
      "Vercel AI PR #19091",
      "LangChain PR #29921",
    ],
  },
  {
    id: "float-created",
    rows: ALL,
    verdict: "FAIL",
    summary: "`created` is a float (e.g. 1700000000.25) instead of an integer",
    implementations: [
      { name: "LiteLLM", versions: "proxy v1.41.15 (issue #4654)" },
      { name: "SambaNova Cloud", versions: "2025 (LiteLLM PR #11971)" },
    ],
    docs: "docs/deviations.md#float-created",
    detect: shapeFinding(floatCreated),
    explains: floatCreated,
    why: "Typed clients reject it: huggingface_hub's pydantic models raise int_from_float (modelbench issue #1287), LiteLLM had to coerce it (PR #11971), and LiteLLM issue #4654 reports OpenAI client libraries failing to parse. openai-node passes the number through.",
    detection: "A shape finding: `created` is a number but not an integer.",
    sources: ["LiteLLM issue #4654", "LiteLLM PR #11971", "modelbench issue #1287"],
  },
  {
    id: "sse-wrong-content-type",
    rows: STREAM_ROWS,
    verdict: "WARN",
    summary: "the stream's frames are fine but Content-Type is not text/event-stream",
    implementations: [
      { name: "microsoft/foundry-dev-tools", versions: "application/json on streams, 2025 (issue #195)" },
      { name: "nearai private-ml-sdk", versions: "no Content-Type before PR #20" },
    ],
    docs: "docs/deviations.md#sse-wrong-content-type",
    detect: (obs, problems) => chunks(obs).length > 0 && problems.some(isContentType),
    explains: isContentType,
    why: "openai-node's SSE decoder never reads Content-Type (src/core/streaming.ts; measured: a stream served as application/json iterates and accumulates normally), nor does the Vercel AI SDK's createEventSourceResponseHandler. Browser-style clients that insist on text/event-stream (fetch-event-source's default onopen, HF chat-ui issue #430) refuse it.",
    detection: "SSE data frames parsed as JSON, and the Content-Type check failed.",
    sources: [
      "microsoft/foundry-dev-tools issue #195",
      "nearai/private-ml-sdk PR #20",
      "openai-node src/core/streaming.ts",
      "HF chat-ui issue #430",
    ],
  },
  {
    id: "responses-stream-done",
    rows: RESPONSES_STREAMS,
    verdict: "WARN",
    summary: "a Responses stream ends with `data: [DONE]`, which OpenAI does not send there",
    implementations: [
      {
        name: "LiteLLM",
        versions:
          "proxy 1.106.12, measured in the field lab: `data: [DONE]` after response.completed, which its backend (llama-server) does not send",
      },
    ],
    docs: "docs/deviations.md#responses-stream-done",
    detect: (obs) =>
      obs.sawDone === true &&
      chunks(obs).some((e) => typeof e.type === "string" && e.type.startsWith("response.")),
    why: "openai-node and openai-python stop at `[DONE]` on any stream, so SDK users are unaffected; a client written to the Responses event spec that JSON-parses every data line logs or throws on it (the same failure Llama Stack's SDKs had on chat streams, ogx issue #4744). A Responses stream without `[DONE]` is the spec and is never flagged.",
    detection: 'A stream of Responses events (`type: "response.…"`) contained a `data: [DONE]` line.',
    sources: [
      "OpenAI API reference: Responses streaming events",
      "openai-node src/core/streaming.ts",
      "ogx issue #4744",
      "measured: LiteLLM proxy 1.106.12 in front of llama-server (field lab)",
    ],
  },

  {
    id: "responses-created-no-output",
    rows: RESPONSES_STREAMS,
    verdict: "FAIL",
    summary: "the Responses stream's `response.created` carries a response without an `output` array",
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "current llama-server: response.created and response.in_progress carry only {id, object, status}",
      },
    ],
    docs: "docs/deviations.md#responses-created-no-output",
    detect: (obs) => {
      const created = chunks(obs).find((e) => e.type === "response.created");
      return !!created && isJsonObject(created.response) && !Array.isArray(created.response.output);
    },
    explains: responseCreatedOutput,
    why: 'openai-node\'s `responses.stream()` helper builds its snapshot from response.created and throws "rsp.output is not iterable" before the first delta (lib/responses/ResponseAccumulator.ts cloneResponse; measured with openai 6.49.0, the client:openai-node/responses.stream row fails). Clients that iterate raw events with `responses.create({stream: true})` and read only the deltas cope.',
    detection:
      "The stream's response.created event has a `response` object whose `output` is not an array (OpenAI sends `output: []`).",
    sources: [
      "llama.cpp tools/server/server-task.cpp (server_task_result_cmpl_partial::to_json_oaicompat_resp)",
      "openai-node src/lib/responses/ResponseAccumulator.ts",
      "OpenAI API reference: Responses streaming events (response.created)",
    ],
  },
  {
    id: "responses-events-no-index",
    rows: RESPONSES_STREAMS,
    verdict: "FAIL",
    summary: "Responses stream events carry no `output_index` / `content_index`",
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "current llama-server: output_item, content_part and output_text events name only item_id (and no sequence_number)",
      },
    ],
    docs: "docs/deviations.md#responses-events-no-index",
    detect: (obs) => chunks(obs).some(lacksIndex),
    explains: eventIndexMissing,
    why: 'openai-node\'s `responses.stream()` helper files every event under `snapshot.output[event.output_index]` and `content[event.content_index]`, and throws "missing output at index undefined" on the first one without (lib/responses/ResponseAccumulator.ts getOutput; measured with openai 6.49.0, the client:openai-node/responses.stream row fails). Clients that read only the deltas of `responses.create({stream: true})` cope.',
    detection:
      "An output_item.*, content_part.*, output_text.*, refusal.* or function_call_arguments.* event has no numeric `output_index`, or a content event no `content_index` (the spec requires both).",
    sources: [
      "llama.cpp tools/server/server-task.cpp (server_task_result_cmpl_partial::to_json_oaicompat_resp)",
      "openai-node src/lib/responses/ResponseAccumulator.ts",
      "OpenAI API reference: Responses streaming events",
    ],
  },
  {
    id: "responses-completed-when-cut",
    rows: ["/v1/responses", "/v1/responses[incomplete]", ...RESPONSES_STREAMS],
    verdict: "WARN",
    summary:
      'a Response cut by max_output_tokens says `status: "completed"` instead of "incomplete" with incomplete_details.reason',
    implementations: [
      {
        name: "llama.cpp",
        versions:
          'current llama-server: status is always "completed" and incomplete_details absent, whatever stopped the output',
      },
      {
        name: "Ollama",
        versions:
          'v0.17.4, measured in the field lab: "completed" with output_tokens at max_output_tokens, incomplete_details null (openai/responses.go builds "completed" only, unchanged at v0.33.0-rc2)',
      },
    ],
    docs: "docs/deviations.md#responses-completed-when-cut",
    detect: (obs) => {
      const max = sentMaxOutputTokens(obs);
      const response = finalResponse(obs);
      const used = isJsonObject(response?.usage) ? response.usage.output_tokens : undefined;
      return max !== undefined && response?.status === "completed" && typeof used === "number" && used >= max;
    },
    // The [incomplete] row's own finding (src/checks/responses-tools.ts).
    explains: (p) => p.pointer === "/status" && p.expected === "incomplete" && p.got === "completed",
    why: 'Nothing throws: the SDKs return the text. But the cut is hidden: OpenAI marks a response stopped by the token limit `status: "incomplete"` with `incomplete_details: {reason: "max_output_tokens"}` (the Responses counterpart of finish_reason "length"), and clients that continue or warn on truncation (agents that ask for more, UIs that flag a cut answer) read this one as finished.',
    detection:
      'The request set max_output_tokens N, and the Response (the body, or the stream\'s final response) says status "completed" with usage.output_tokens ≥ N.',
    sources: [
      'llama.cpp tools/server/server-task.cpp (to_json_oaicompat_resp and to_json_oaicompat_resp_stream: status "completed")',
      'Ollama openai/responses.go (buildResponseObject("completed", …))',
      "measured: Ollama v0.17.4 (field lab), max_output_tokens 16 and 64",
      "OpenAI API reference: The response object (status, incomplete_details)",
    ],
  },

  // ── Audio ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: "speech-octet-stream",
    rows: ["/v1/audio/speech"],
    verdict: "WARN",
    summary: "speech audio is valid but served as application/octet-stream (or with no Content-Type)",
    implementations: [],
    docs: "docs/deviations.md#speech-octet-stream",
    detect: (obs, problems) =>
      !!obs.facts[FACTS.audioFormat] &&
      ["application/octet-stream", ""].includes(mediaType(obs.contentType)) &&
      problems.some(isContentType),
    explains: isContentType,
    why: "The SDKs return the raw bytes whatever the header (openai-node marks speech as a binary response), and OpenAI's own OpenAPI description lists application/octet-stream for createSpeech (openai-openapi issue #141), although the live API sends audio/mpeg, audio/wav, …. Players that trust the header may not play it.",
    detection:
      "The body sniffs as audio, the Content-Type is application/octet-stream or absent, and the content-type check failed.",
    sources: [
      "openai-openapi issue #141",
      "openai-openapi openapi.json (createSpeech 200 response)",
      "openai-node src/internal/parse.ts",
    ],
  },
  {
    id: "speech-wrong-audio-type",
    rows: ["/v1/audio/speech"],
    verdict: "WARN",
    summary: "speech audio is valid but its Content-Type names another audio format",
    implementations: [
      {
        name: "LiteLLM",
        versions: "proxy sent audio/mpeg for every format (issue #4332, fixed by PR #38798)",
      },
    ],
    docs: "docs/deviations.md#speech-wrong-audio-type",
    detect: (obs, problems) =>
      !!obs.facts[FACTS.audioFormat] &&
      mediaType(obs.contentType).startsWith("audio/") &&
      problems.some(isContentType),
    explains: isContentType,
    why: "SDKs hand back the bytes regardless; a browser or player that trusts the header may fail to decode (dify PR #40894 describes WAV bytes labelled audio/mpeg failing in browsers).",
    detection:
      "The body sniffs as audio, the Content-Type is audio/* but not the requested format's, and the content-type check failed.",
    sources: ["LiteLLM issue #4332", "LiteLLM PR #38798", "dify PR #40894"],
  },
  {
    id: "translations-folded",
    rows: ["/v1/audio/translations"],
    verdict: "WARN",
    summary:
      "translations are not a separate operation: the route is missing while transcriptions works, or it answers in the source language",
    implementations: [
      {
        name: "llama.cpp",
        versions: "llama-server registers /v1/audio/transcriptions, not /v1/audio/translations",
      },
      {
        name: "Ollama",
        versions: "registers /v1/audio/transcriptions, not /v1/audio/translations (v0.33 route table)",
      },
      {
        name: "LiteLLM",
        versions:
          "proxy registers /v1/audio/transcriptions and /v1/audio/speech, not translations (issue #38012, open)",
      },
      {
        name: "LocalAI",
        versions:
          "registers /v1/audio/transcriptions (with a `translate` form field), not /v1/audio/translations",
      },
      {
        name: "SGLang",
        versions: "http_server.py registers /v1/audio/transcriptions, not /v1/audio/translations",
      },
    ],
    docs: "docs/deviations.md#translations-folded",
    detect: (obs) => {
      const transcriptions = obs.facts[FACTS.dependencyStatus];
      if (
        obs.status === 404 &&
        typeof transcriptions === "number" &&
        transcriptions >= 200 &&
        transcriptions < 300
      ) {
        return true;
      }
      const language = isJsonObject(obs.json) ? obs.json.language : undefined;
      return typeof language === "string" && !/^(en|eng|english)$/i.test(language.trim());
    },
    why: "A client that needs English text gets none (404) or gets the source language, but nothing crashes; translations is an optional (ext) row.",
    detection:
      "The translations row answered 404 while /v1/audio/transcriptions answered 2xx in the same run (the row needs transcriptions, so the runner records its status), or a translation body reports a `language` other than English.",
    sources: [
      "llama.cpp tools/server/server.cpp (route table)",
      "Ollama server/routes.go (route table)",
      "LiteLLM issue #38012",
      "LocalAI core/http/routes/openai.go (route table) and core/http/endpoints/openai/transcription.go (translate field)",
      "SGLang python/sglang/srt/entrypoints/http_server.py (route table)",
      "OpenAI API reference: createTranslation (always English)",
    ],
  },

  // ── Images ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: "images-edits-json",
    rows: ["/v1/images/edits"],
    verdict: "WARN",
    summary: "image edits refuse multipart/form-data and accept only a JSON body",
    implementations: [],
    docs: "docs/deviations.md#images-edits-json",
    detect: (obs) => obs.facts[FACTS.jsonAccepted] === true,
    explains: (p) => p.pointer === "request",
    why: "The JSON form itself is documented: OpenAI's OpenAPI description (2.3.0) accepts application/json (EditImageBodyJsonParam) besides multipart, so JSON clients work. Refusing multipart does stop openai-node's `client.images.edit()`, which always uploads multipart (src/resources/images.ts), so SDK users must send the request by hand.",
    detection:
      "Multipart was refused with a 4xx and the same edit sent as JSON succeeded (the jsonAccepted fact).",
    sources: [
      "openai-openapi openapi.json (createImageEdit: multipart/form-data and application/json)",
      "openai-node src/resources/images.ts",
      "vLLM-Omni docs: Image Edit API (multipart)",
      "SGLang Diffusion docs: OpenAI API (multipart)",
    ],
  },

  // ── Errors ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: "error-not-envelope",
    rows: ALL,
    verdict: "WARN",
    summary: "error responses are not the OpenAI envelope {error: {message, type, param, code}}",
    implementations: [
      {
        name: "vLLM",
        versions: 'before v0.10.1: flat {object: "error", message, …} (issue #12886, PR #22099)',
      },
      { name: "LiteLLM", versions: 'proxy, FastAPI {"detail": …} on unknown routes (issue #13128)' },
      {
        name: "SGLang",
        versions:
          'flat {object: "error", message, …} on non-streamed errors, v0.5.16 (issue #33504; fix PR #33534 open); top-level error on /v1/responses before PR #9624',
      },
      { name: "Ollama", versions: 'plain-text "404 page not found" on unknown routes (issue #6422)' },
      {
        name: "TabbyAPI",
        versions:
          'FastAPI {"detail": …} for router errors and every HTTPException but context-length errors (current)',
      },
    ],
    docs: "docs/deviations.md#error-not-envelope",
    detect: (obs) => {
      if (obs.status === null || obs.status < 400) return false;
      if (!obs.body || obs.body.length === 0) return obs.json !== undefined && !isErrorEnvelope(obs.json);
      return !isErrorEnvelope(observedJson(obs));
    },
    explains: envelopeFinding,
    why: 'The SDKs still raise the right error class from the status code, but lose the message: openai-node reports "400 status code (no body)" for a flat or {detail} body and a JSON-quoted string for {error: "…"}, with error.type and error.code undefined (measured with openai 6.49.0; vLLM issue #12886: chat-ui could not show the message); code that reads error.code or error.type gets nothing (autogen PR #757).',
    detection:
      'An error status (≥ 400) whose body is not {error: {message: string, …}}: {error: "text"}, {detail: …}, a flat {message, type}, plain text or HTML.',
    sources: [
      "vLLM issue #12886",
      "vLLM PR #22099 (released in v0.10.1)",
      "LiteLLM issue #13128",
      "SGLang PR #9624",
      "SGLang issue #33504",
      "SGLang PR #33534 (open)",
      "Ollama issue #6422",
      "tabbyAPI endpoints/server.py and common/errors.py (only ContextLengthHTTPException gets the envelope)",
      "autogen PR #757",
    ],
  },
  {
    id: "error-code-integer",
    rows: ALL,
    verdict: "WARN",
    summary:
      "error bodies carry `error.code` as the integer HTTP status (`400`, `401`) instead of a string code or null",
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "current llama-server: every error envelope (format_error_response, the API-key check, the 404 handler)",
      },
      {
        name: "vLLM",
        versions: "since the envelope of v0.10.1 (PR #22099): ErrorInfo.code is the HTTP status",
      },
    ],
    docs: "docs/deviations.md#error-code-integer",
    detect: integerErrorCode,
    explains: errorCodeNumber,
    why: "The SDKs cope: openai-node raises the error class from the HTTP status and copies error.code into APIError.code as it came (src/core/error.ts; typed string | null, it holds the number; measured with openai 6.49.0: BadRequestError with the server's message and code 400), and openai-python reads it through its lenient construct_type, which converts nothing and raises nothing (_exceptions.py). Only code that compares the code with OpenAI's strings (`model_not_found`, `invalid_api_key`, `context_length_exceeded`) never matches.",
    detection:
      "An error body that is the envelope ({error: {message: string, …}}) has a number in `error.code`; the Error shape's type finding on /error/code is what it accounts for.",
    sources: [
      "llama.cpp tools/server/server-common.cpp (format_error_response)",
      "llama.cpp tools/server/server-http.cpp (API-key middleware and 404 handler)",
      "vLLM vllm/entrypoints/openai/engine/protocol.py (ErrorInfo.code: int)",
      "vLLM vllm/entrypoints/openai/server_utils.py (code=status)",
      "vLLM PR #22099",
      "openai-node src/core/error.ts",
      "openai-python src/openai/_exceptions.py (APIError)",
    ],
  },
  {
    id: "model-fallback",
    rows: ["/v1/chat/completions[error-unknown-model]"],
    verdict: "WARN",
    summary: "a request for an unknown model is answered 200 by whatever model the server has loaded",
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "llama-server with one model (no router): `model` is not looked up, and the reply names the loaded model",
      },
    ],
    docs: "docs/deviations.md#model-fallback",
    detect: (obs) =>
      typeof obs.facts[FACTS.unknownModel] === "string" &&
      obs.status !== null &&
      obs.status >= 200 &&
      obs.status < 300,
    explains: isStatus,
    why: "Nothing breaks in the client: the SDK gets a normal completion. But the caller asked for one model and got another without being told (the reply's `model` names the one that answered), so a typo in a model id or a missing model goes unnoticed; OpenAI answers 404 model_not_found. A single-model server does this by design.",
    detection:
      "The unknown-model row asked for a random model id (the unknownModel fact) and got a 2xx instead of 404.",
    sources: [
      "llama.cpp tools/server/server-context.cpp (oaicompat_model is the loaded model's name)",
      "llama.cpp tools/server/README.md (`model`: required in router mode, ignored in single model mode)",
      "OpenAI API reference: error codes (404 model_not_found)",
    ],
  },
  {
    id: "invalid-json-500",
    rows: ALL,
    verdict: "FAIL",
    summary: "a malformed JSON request body is answered with 500 instead of 400",
    implementations: [
      {
        name: "llama.cpp",
        versions: "llama-server: JSON parse errors surface as 500 server_error (issue #11738)",
      },
    ],
    docs: "docs/deviations.md#invalid-json-500",
    detect: (obs) => obs.status !== null && obs.status >= 500 && sentMalformed(obs),
    explains: (p) => isStatus(p) && p.got.startsWith("5"),
    why: "A client mistake reported as a server fault: openai-node retries 5xx (twice by default), resending the bad request, then raises InternalServerError instead of BadRequestError, so callers' handling of invalid requests never runs (the error checks in src/checks/chat-errors.ts grade it the same way).",
    detection:
      "The error check sent malformed JSON (the sentRaw fact, or a `sent` string that does not parse) and got a 5xx.",
    sources: [
      "llama.cpp issue #11738",
      "llama.cpp tools/server/server.cpp (ex_wrapper: only std::invalid_argument maps to 400)",
    ],
  },
  {
    id: "error-with-200",
    rows: ALL,
    verdict: "FAIL",
    summary: 'answers 200 with an error body ({"error": …}) instead of an error status',
    implementations: [
      {
        name: "LM Studio",
        versions: "unknown routes, 0.3.14 to 0.4.17 and later (issues #618, #1323, #2085, open)",
      },
    ],
    docs: "docs/deviations.md#error-with-200",
    detect: errorOnlyBody,
    explains: () => true,
    why: "Clients take the 200 as success; openai-node returns {error: …} typed as the requested object and callers crash on missing fields, and existence probes wrongly see the route as present.",
    detection: "A 2xx body whose only key is a non-null `error`.",
    sources: [
      "LM Studio bug tracker issue #618",
      "LM Studio bug tracker issue #1323",
      "LM Studio bug tracker issue #2085",
    ],
  },
  // Parameters accepted but not enforced (stop, JSON modes, forced tool_choice).
  ...ENFORCEMENT_DEVIATIONS,
  // responses group (issue #14)
  ...RESPONSES_DEVIATIONS,
  // Request parameters and reasoning fields (issue #15).
  ...PARAM_DEVIATIONS,
];

export function findDeviation(id: string): Deviation | undefined {
  return DEVIATIONS.find((d) => d.id === id);
}

/** Every implementation name the catalog mentions, sorted. */
export function implementationNames(): string[] {
  return [...new Set(DEVIATIONS.flatMap((d) => d.implementations.map((i) => i.name)))].sort((a, b) =>
    a.localeCompare(b),
  );
}

/** An implementation profile: the deviations the catalog attributes to it (case-insensitive name). */
export function deviationsOf(implementation: string): Deviation[] {
  const name = implementation.toLowerCase();
  return DEVIATIONS.filter((d) => d.implementations.some((i) => i.name.toLowerCase() === name));
}
