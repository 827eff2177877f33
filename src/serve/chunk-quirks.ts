/**
 * Deviations in chat and legacy-completions bodies and stream chunks. The canonical generators build what OpenAI
 * sends; these reshape it afterwards, one `if` per catalog deviation (see quirks.ts), and hand back the very
 * same body or stream when no quirk is set.
 */
import { newId } from "./generate.js";
import { isObject, type Json } from "./params.js";
import type { SseMessage } from "./reply.js";

export type Dialect = "chat" | "completions";

type Quirks = ReadonlySet<string>;

function emptyToolCallIds(calls: unknown): unknown {
  if (!Array.isArray(calls)) return calls;
  return calls.map((call) => (isObject(call) && typeof call.id === "string" ? { ...call, id: "" } : call));
}

function choice(raw: unknown, quirks: Quirks, dialect: Dialect, streamed: boolean): unknown {
  if (!isObject(raw)) return raw;
  const c: Json = { ...raw };
  if (!streamed && dialect === "chat" && quirks.has("missing-index")) delete c.index;
  if (streamed && quirks.has("stream-missing-index")) delete c.index;
  if (c.finish_reason === "length" && quirks.has("finish-reason-stop-when-cut")) c.finish_reason = "stop";
  if (c.finish_reason === "stop" && quirks.has("finish-reason-nonstandard")) c.finish_reason = "eos_token";
  if (streamed && dialect === "chat" && quirks.has("no-finish-reason")) c.finish_reason = null;
  if (streamed && c.finish_reason === null && quirks.has("missing-chunk-finish-reason"))
    delete c.finish_reason;
  if (isObject(c.delta)) {
    const delta: Json = { ...c.delta };
    if (quirks.has("stream-missing-role")) delete delta.role;
    if (quirks.has("tool-call-empty-id") && delta.tool_calls !== undefined) {
      delta.tool_calls = emptyToolCallIds(delta.tool_calls);
    }
    c.delta = delta;
  }
  if (isObject(c.message) && quirks.has("tool-call-empty-id") && c.message.tool_calls !== undefined) {
    c.message = { ...c.message, tool_calls: emptyToolCallIds(c.message.tool_calls) };
  }
  return c;
}

/** The include_usage chunk: a usage object and `choices: []`. */
const isUsageChunk = (body: Json) =>
  isObject(body.usage) && Array.isArray(body.choices) && body.choices.length === 0;

/** The empty choice LiteLLM's synthetic usage chunk carries (issue #28735). */
const placeholder = (dialect: Dialect): Json =>
  dialect === "chat"
    ? { index: 0, delta: {}, logprobs: null, finish_reason: null }
    : { index: 0, text: "", logprobs: null, finish_reason: null };

function reshape(body: Json, quirks: Quirks, dialect: Dialect, streamed: boolean): Json {
  const out: Json = { ...body };
  if (streamed && quirks.has("chunk-id-changes") && typeof out.id === "string") {
    out.id = newId(out.id.slice(0, out.id.indexOf("-") + 1));
  }
  if (streamed && quirks.has("missing-created")) delete out.created;
  if (quirks.has("float-created") && typeof out.created === "number") out.created += 0.25;
  if (streamed && quirks.has("missing-object")) delete out.object;
  if (streamed && quirks.has("stream-null-fields")) out.model = null;
  if (streamed && quirks.has("usage-chunk-with-choices") && isUsageChunk(out))
    out.choices = [placeholder(dialect)];
  if (Array.isArray(out.choices)) out.choices = out.choices.map((c) => choice(c, quirks, dialect, streamed));
  return out;
}

/** The chunk Azure OpenAI sends first when content filtering is on (its docs' streaming example). */
const PROMPT_FILTER_CHUNK: Json = {
  id: "",
  object: "",
  created: 0,
  model: "",
  choices: [],
  prompt_filter_results: [
    {
      prompt_index: 0,
      content_filter_results: {
        hate: { filtered: false, severity: "safe" },
        self_harm: { filtered: false, severity: "safe" },
        sexual: { filtered: false, severity: "safe" },
        violence: { filtered: false, severity: "safe" },
      },
    },
  ],
};

/** A non-streamed chat or completions body as a quirky server sends it. */
export function quirkyBody<T extends Json>(body: T, quirks: Quirks, dialect: Dialect): Json {
  return quirks.size === 0 ? body : reshape(body, quirks, dialect, false);
}

/** A chat or completions stream as a quirky server sends it (`[DONE]` and other strings pass through). */
export function quirkyStream(
  events: Iterable<SseMessage>,
  quirks: Quirks,
  dialect: Dialect,
): Iterable<SseMessage> {
  if (quirks.size === 0) return events;
  return (function* () {
    if (dialect === "chat" && quirks.has("azure-prompt-filter-chunk")) yield { data: PROMPT_FILTER_CHUNK };
    for (const event of events) {
      yield isObject(event.data) ? { ...event, data: reshape(event.data, quirks, dialect, true) } : event;
    }
  })();
}
