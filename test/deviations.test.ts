/**
 * The deviation catalog: its generated doc, its integrity, and each entry's predicate against a crafted
 * observation (fires, grades to the entry's verdict with "— known: …") and against canonical ones (never fires).
 * Observations come from the real checks wherever a check produces them, so the literals the predicates match
 * on (pointers, `got` texts) cannot drift apart from the checks.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ENDPOINTS, findEndpoint } from "../src/catalog/endpoints.js";
import { envelopeFindings, type Refusal, serverFault } from "../src/checks/error-response.js";
import { CHECKS } from "../src/checks/index.js";
import { STOP_WHEN_CUT } from "../src/checks/token-limit.js";
import { DEVIATIONS, deviationsOf, FACTS, findDeviation } from "../src/deviations/catalog.js";
import { deviationsDoc, docsAnchor, headingAnchor } from "../src/deviations/docs.js";
import { rowMatches } from "../src/deviations/types.js";
import { silentWav } from "../src/fixtures/media.js";
import type { HttpOutcome, HttpRequest } from "../src/http/types.js";
import { grade } from "../src/probe/grade.js";
import type { Observation, Outcome, ProbeContext } from "../src/probe/types.js";
import type { Problem } from "../src/report/types.js";
import { CREATED, chatCompletion, MODEL } from "./helpers/payloads.js";

const T = CREATED;
const usage = { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 };

// ── Canonical payloads (what OpenAI sends) ──────────────────────────────────────────────────────────

const completion = chatCompletion;

/** A completion whose only choice calls get_weather, with the given tool-call id. */
const toolCallCompletion = (id: string) =>
  completion({
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [{ id, type: "function", function: { name: "get_weather", arguments: "{}" } }],
        },
        finish_reason: "tool_calls",
        logprobs: null,
      },
    ],
  });

const chunk = (delta: object, finish: string | null = null, over: Record<string, unknown> = {}) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: T,
  model: MODEL,
  choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  usage: null,
  ...over,
});
const usageChunk = (over: Record<string, unknown> = {}) => ({ ...chunk({}), choices: [], usage, ...over });
const chatStream = () => [
  chunk({ role: "assistant", content: "" }),
  chunk({ content: "hi" }),
  chunk({}, "stop"),
  usageChunk(),
];

const textChunk = (text: string, finish: string | null) => ({
  id: "cmpl-1",
  object: "text_completion",
  created: T,
  model: MODEL,
  choices: [{ index: 0, text, finish_reason: finish, logprobs: null }],
});

const responseObject = (status: string) => ({
  id: "resp_1",
  object: "response",
  created_at: T,
  status,
  model: MODEL,
  output:
    status === "completed"
      ? [
          {
            id: "msg_1",
            type: "message",
            role: "assistant",
            status: "completed",
            content: [{ type: "output_text", text: "hi", annotations: [], logprobs: [] }],
          },
        ]
      : [],
  error: null,
  incomplete_details: null,
  instructions: null,
  tools: [],
  parallel_tool_calls: true,
  metadata: {},
  tool_choice: "auto",
  temperature: 1,
  top_p: 1,
  usage: {
    input_tokens: 3,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 1,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 4,
  },
});
const responsesStream = () => [
  { type: "response.created", sequence_number: 0, response: responseObject("in_progress") },
  {
    type: "response.output_text.delta",
    item_id: "msg_1",
    output_index: 0,
    content_index: 0,
    delta: "hi",
    sequence_number: 1,
    logprobs: [],
  },
  { type: "response.completed", sequence_number: 2, response: responseObject("completed") },
];

const envelope = (message: string, type = "invalid_request_error") => ({
  error: { message, type, param: null, code: null },
});

// ── A fake row context: the real check runs, the reply is scripted ────────────────────────────────────

interface Reply {
  status?: number;
  contentType?: string;
  json?: unknown;
  bytes?: Uint8Array;
  /** SSE data frames (objects are JSON-encoded). */
  sse?: (object | string)[];
  /** Append `data: [DONE]` (default true). */
  done?: boolean;
}

function toOutcome(req: HttpRequest, reply: Reply): HttpOutcome {
  const status = reply.status ?? 200;
  const enc = new TextEncoder();
  let contentType = reply.contentType;
  let body = reply.bytes ?? new Uint8Array();
  let events: { data: string; atMs: number }[] | undefined;
  if (reply.sse) {
    const data = reply.sse.map((f) => (typeof f === "string" ? f : JSON.stringify(f)));
    if (reply.done !== false) data.push("[DONE]");
    events = data.map((d, i) => ({ data: d, atMs: 10 + i }));
    body = enc.encode(data.map((d) => `data: ${d}\n\n`).join(""));
    contentType ??= "text/event-stream";
  } else if (reply.json !== undefined) {
    body = enc.encode(JSON.stringify(reply.json));
    contentType ??= "application/json";
  }
  const ct = contentType ?? "";
  return {
    ok: true,
    res: {
      status,
      headers: ct ? { "content-type": ct } : {},
      contentType: ct,
      body,
      truncated: false,
      ttfbMs: 5,
      latencyMs: 20,
      ...(req.sse && events ? { events } : {}),
    },
    exchange: { request: { method: req.method, url: req.path, headers: {} } },
  };
}

async function runCheck(
  rowId: string,
  respond: (req: HttpRequest) => Reply,
  base?: Outcome,
): Promise<Outcome> {
  const row = findEndpoint(rowId);
  assert.ok(row, `no catalog row ${rowId}`);
  const check = CHECKS[rowId];
  assert.ok(check, `no check for ${rowId}`);
  const ctx = {
    row,
    models: { chat: MODEL, tts: "tts-1", stt: "whisper-1", image: "img-1", embedding: "emb-1" },
    listedModels: [MODEL],
    depth: "quick",
    authenticated: false,
    http: { send: async (req: HttpRequest) => toOutcome(req, respond(req)) },
    dependency: async () => base,
  } as unknown as ProbeContext;
  return check(ctx);
}

const reply = (r: Reply) => () => r;

/** A usable base row for Phase C checks, with the enforcement a sibling row recorded. */
const baseRow = (enforcement?: Outcome["enforcement"]): Outcome => ({
  phase: "C",
  httpStatus: 200,
  latencyMs: 1,
  problems: [],
  ...(enforcement ? { enforcement } : {}),
});

function observation(partial: Partial<Observation>): Observation {
  return { status: 200, headers: {}, contentType: "application/json", facts: {}, ...partial };
}

/** An error-check outcome built the way src/checks/error-response.ts builds it. */
function refusal(
  status: number,
  json: unknown,
  extra: { sentRaw?: string; malformed?: boolean } = {},
): Outcome {
  const body = new TextEncoder().encode(JSON.stringify(json));
  const obs = observation({ status, body, json });
  if (extra.sentRaw !== undefined) obs.facts[FACTS.sentRaw] = extra.sentRaw;
  const outcome: Outcome = { phase: "C", httpStatus: status, latencyMs: 5, problems: [], observation: obs };
  const r: Refusal = { outcome, status, json };
  const findings = [
    ...(status >= 500 ? [serverFault(status, "malformed JSON")] : []),
    ...envelopeFindings(r),
  ];
  outcome.problems.push(...findings.map((f) => f.problem));
  return outcome;
}

// ── Crafted cases: one (or more) per deviation ───────────────────────────────────────────────────────

interface Case {
  id: string;
  row: string;
  outcome: () => Promise<Outcome>;
}

const without = <T extends Record<string, unknown>>(o: T, key: string) => {
  const copy: Record<string, unknown> = { ...o };
  delete copy[key];
  return copy;
};

const CASES: Case[] = [
  // Request parameters and reasoning fields (src/deviations/params.ts).
  {
    id: "reasoning-field",
    row: "/v1/chat/completions",
    // vLLM with --reasoning-parser (before v0.11), llama-server with a reasoning model.
    outcome: async () => {
      const json = completion();
      (json.choices[0]!.message as Record<string, unknown>).reasoning_content = "The user greets me.";
      return { phase: "B", httpStatus: 200, latencyMs: 5, problems: [], observation: observation({ json }) };
    },
  },
  {
    id: "invalid-values-accepted",
    row: "/v1/chat/completions[invalid:temperature]",
    outcome: async () => {
      const obs = observation({ json: completion(), sent: { model: MODEL, messages: [], temperature: 5 } });
      const problem: Problem = { pointer: "status", expected: "400", got: "200", severity: "warn" };
      return { phase: "C", httpStatus: 200, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "unknown-role-accepted",
    row: "/v1/chat/completions[invalid:role]",
    outcome: async () => {
      const sent = { model: MODEL, messages: [{ role: "wizard", content: "Say hi." }] };
      const obs = observation({ json: completion(), sent });
      const problem: Problem = { pointer: "status", expected: "400", got: "200", severity: "warn" };
      return { phase: "C", httpStatus: 200, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "max-completion-tokens-ignored",
    row: "/v1/chat/completions[max_tokens]",
    // Ollama v0.17.4 (field lab): max_tokens 1 gave 1 token, max_completion_tokens 1 gave 64.
    outcome: async () => {
      const obs = observation({ json: completion(), sent: { model: MODEL, messages: [], max_tokens: 1 } });
      const problem: Problem = {
        pointer: "/usage/completion_tokens",
        expected: "≤ 1 (max_completion_tokens: 1)",
        got: "64",
        severity: "fail",
      };
      return { phase: "C", httpStatus: 200, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "finish-reason-stop-when-cut",
    row: "/v1/chat/completions[max_tokens]",
    // LocalAI v2.20.1 (issue #3533): cut by max_tokens, finish_reason stays "stop".
    outcome: async () => {
      const obs = observation({ json: completion(), sent: { model: MODEL, messages: [], max_tokens: 1 } });
      const problem: Problem = {
        pointer: "/choices/0/finish_reason",
        expected: '"length" (cut by max_tokens: 1)',
        got: STOP_WHEN_CUT,
        severity: "warn",
      };
      return { phase: "C", httpStatus: 200, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "previous-response-id-dropped",
    row: "/v1/responses[previous_response_id]",
    // Ollama v0.17.4 (field lab): 200, previous_response_id null, input_tokens 12 where the first turn was 27.
    outcome: async () => {
      const obs = observation({ json: { object: "response", previous_response_id: null }, sent: {} });
      const problem: Problem = {
        pointer: "/usage/input_tokens",
        expected: "more than 27 (the first turn's input and output)",
        got: "12",
        severity: "fail",
      };
      return { phase: "C", httpStatus: 200, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "n-ignored",
    row: "/v1/chat/completions[n]",
    // Ollama: no `n` in ChatCompletionRequest, one choice for n 2.
    outcome: async () => {
      const obs = observation({ json: completion(), sent: { model: MODEL, messages: [], n: 2 } });
      const problem: Problem = {
        pointer: "/choices",
        expected: "2 choices (n: 2)",
        got: "1",
        severity: "fail",
      };
      return { phase: "C", httpStatus: 200, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "top-p-zero-rejected",
    row: "/v1/chat/completions[param:top_p]",
    // vLLM's SamplingParams._verify_args refusal.
    outcome: async () => {
      const json = {
        error: {
          message: "top_p must be in (0, 1], got 0.0.",
          type: "BadRequestError",
          param: "top_p",
          code: 400,
        },
      };
      const body = new TextEncoder().encode(JSON.stringify(json));
      const obs = observation({ status: 400, json, body, sent: { model: MODEL, messages: [], top_p: 0 } });
      const problem: Problem = { pointer: "status", expected: "2xx", got: "400", severity: "fail" };
      return { phase: "C", httpStatus: 400, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "tool-choice-ignored",
    row: "/v1/chat/completions[param:tool_choice-none]",
    // Ollama reads no tool_choice: the model called the tool anyway.
    outcome: async () => {
      const sent = { model: MODEL, messages: [], tools: [], tool_choice: "none" };
      const obs = observation({ json: toolCallCompletion("call_1"), sent });
      const problem: Problem = {
        pointer: "/choices/0/message/tool_calls",
        expected: "no tool call",
        got: "1 call(s)",
        severity: "fail",
      };
      return { phase: "C", httpStatus: 200, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "max-output-tokens-below-minimum",
    row: "/v1/responses[invalid:max_output_tokens]",
    outcome: async () => {
      const obs = observation({ json: {}, sent: { model: MODEL, input: "Say hi.", max_output_tokens: 8 } });
      const problem: Problem = { pointer: "status", expected: "400", got: "200", severity: "warn" };
      return { phase: "C", httpStatus: 200, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "multimodal-part-500",
    row: "/v1/chat/completions[param:image_url]",
    // llama-server without --mmproj (server-common.cpp's runtime_error, answered 500).
    outcome: async () => {
      const json = {
        error: {
          code: null,
          message:
            "image input is not supported - hint: if this is unexpected, you may need to provide the mmproj",
          type: "server_error",
          param: null,
        },
      };
      const obs = observation({ status: 500, json, body: new TextEncoder().encode(JSON.stringify(json)) });
      const problem: Problem = { pointer: "status", expected: "2xx", got: "500", severity: "fail" };
      return { phase: "C", httpStatus: 500, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "audio-output-ignored",
    row: "/v1/chat/completions[param:modalities]",
    outcome: async () => {
      const sent = { model: MODEL, modalities: ["text", "audio"], audio: { voice: "alloy", format: "wav" } };
      const obs = observation({ json: completion(), sent });
      const problem: Problem = {
        pointer: "/choices/0/message/audio",
        expected: "an audio object with base64 data",
        got: "missing",
        severity: "fail",
      };
      return { phase: "C", httpStatus: 200, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "model-retrieve-404",
    row: "/v1/models/{model}",
    outcome: () =>
      runCheck("/v1/models/{model}", reply({ status: 404, json: envelope(`model '${MODEL}' not found`) })),
  },
  {
    id: "missing-created",
    row: "/v1/models",
    outcome: () =>
      runCheck(
        "/v1/models",
        reply({ json: { object: "list", data: [{ id: MODEL, object: "model", owned_by: "me" }] } }),
      ),
  },
  {
    id: "missing-object",
    row: "/v1/chat/completions",
    outcome: () => runCheck("/v1/chat/completions", reply({ json: without(completion(), "object") })),
  },
  {
    id: "missing-index",
    row: "/v1/chat/completions",
    outcome: () =>
      runCheck(
        "/v1/chat/completions",
        reply({
          json: completion({
            choices: [
              {
                message: { role: "assistant", content: "hi", refusal: null },
                finish_reason: "stop",
                logprobs: null,
              },
            ],
          }),
        }),
      ),
  },
  {
    id: "stream-no-usage",
    row: "/v1/chat/completions[stream]",
    outcome: () => runCheck("/v1/chat/completions[stream]", reply({ sse: chatStream().slice(0, 3) })),
  },
  {
    id: "stream-usage-every-chunk",
    row: "/v1/chat/completions[stream]",
    outcome: () =>
      runCheck(
        "/v1/chat/completions[stream]",
        reply({
          sse: [
            chunk({ role: "assistant", content: "" }, null, {
              usage: { ...usage, completion_tokens: 0, total_tokens: 3 },
            }),
            chunk({ content: "hi" }, null, { usage }),
            chunk({}, "stop", { usage }),
          ],
        }),
      ),
  },
  {
    id: "usage-chunk-with-choices",
    row: "/v1/chat/completions[stream]",
    outcome: () =>
      runCheck(
        "/v1/chat/completions[stream]",
        // LiteLLM's synthetic usage chunk: a placeholder choice instead of choices: [] (issue #28735).
        reply({ sse: [...chatStream().slice(0, 3), usageChunk({ choices: chunk({}).choices })] }),
      ),
  },
  {
    id: "no-finish-reason",
    row: "/v1/chat/completions[stream]",
    outcome: () =>
      runCheck(
        "/v1/chat/completions[stream]",
        reply({ sse: [chunk({ role: "assistant", content: "" }), chunk({ content: "hi" }), usageChunk()] }),
      ),
  },
  {
    id: "missing-chunk-finish-reason",
    row: "/v1/chat/completions[stream]",
    outcome: () => {
      const bare = (delta: object) => {
        const c = chunk(delta);
        return { ...c, choices: [{ index: 0, delta, logprobs: null }] };
      };
      return runCheck(
        "/v1/chat/completions[stream]",
        reply({
          sse: [
            bare({ role: "assistant", content: "" }),
            bare({ content: "hi" }),
            chunk({}, "stop"),
            usageChunk(),
          ],
        }),
      );
    },
  },
  {
    id: "stream-missing-index",
    row: "/v1/chat/completions[stream]",
    outcome: () => {
      const noIndex = (delta: object, finish: string | null) => ({
        ...chunk(delta),
        choices: [{ delta, finish_reason: finish, logprobs: null }],
      });
      return runCheck(
        "/v1/chat/completions[stream]",
        reply({
          sse: [noIndex({ role: "assistant", content: "hi" }, null), noIndex({}, "stop"), usageChunk()],
        }),
      );
    },
  },
  {
    id: "stream-missing-role",
    row: "/v1/chat/completions[stream]",
    outcome: () =>
      runCheck(
        "/v1/chat/completions[stream]",
        reply({ sse: [chunk({ content: "hi" }), chunk({}, "stop"), usageChunk()] }),
      ),
  },
  {
    id: "azure-prompt-filter-chunk",
    row: "/v1/chat/completions[stream]",
    outcome: () =>
      runCheck(
        "/v1/chat/completions[stream]",
        reply({
          sse: [
            {
              id: "",
              object: "",
              created: 0,
              model: "",
              choices: [],
              prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
            },
            ...chatStream(),
          ],
        }),
      ),
  },
  {
    id: "chunk-id-changes",
    row: "/v1/chat/completions[stream]",
    outcome: () =>
      runCheck(
        "/v1/chat/completions[stream]",
        reply({ sse: chatStream().map((c, i) => ({ ...c, id: `chatcmpl-${i}` })) }),
      ),
  },
  {
    id: "stream-null-fields",
    row: "/v1/chat/completions[stream]",
    outcome: () =>
      runCheck(
        "/v1/chat/completions[stream]",
        reply({ sse: chatStream().map((c) => ({ ...c, id: null, model: null, created: null })) }),
      ),
  },
  {
    id: "finish-reason-nonstandard",
    row: "/v1/chat/completions",
    outcome: () =>
      runCheck(
        "/v1/chat/completions",
        reply({
          json: completion({
            choices: [
              {
                index: 0,
                message: { role: "assistant", content: "hi", refusal: null },
                finish_reason: "eos",
                logprobs: null,
              },
            ],
          }),
        }),
      ),
  },
  {
    id: "tool-call-empty-id",
    row: "/v1/chat/completions",
    outcome: () => runCheck("/v1/chat/completions", reply({ json: toolCallCompletion("") })),
  },
  {
    id: "json-object-not-enforced",
    row: "/v1/chat/completions[json_object]",
    outcome: () =>
      runCheck(
        "/v1/chat/completions[json_object]",
        reply({ json: completion() }),
        baseRow({ param: "response_format json_schema", state: "enforced" }),
      ),
  },
  {
    id: "tool-choice-named-ignored",
    row: "/v1/chat/completions[tools]",
    outcome: () => runCheck("/v1/chat/completions[tools]", reply({ json: completion() }), baseRow()),
  },
  {
    id: "tool-call-after-text",
    row: "/v1/chat/completions[tools]",
    outcome: () => {
      const body = toolCallCompletion("call_1");
      body.choices[0]!.message.content = "Let me check." as never;
      return runCheck("/v1/chat/completions[tools]", reply({ json: body }), baseRow());
    },
  },
  {
    id: "float-created",
    row: "/v1/chat/completions",
    outcome: () => runCheck("/v1/chat/completions", reply({ json: completion({ created: T + 0.25 }) })),
  },
  {
    id: "sse-wrong-content-type",
    row: "/v1/chat/completions[stream]",
    outcome: () =>
      runCheck("/v1/chat/completions[stream]", reply({ sse: chatStream(), contentType: "application/json" })),
  },
  {
    id: "responses-stream-done",
    row: "/v1/responses[stream]",
    outcome: () => runCheck("/v1/responses[stream]", reply({ sse: responsesStream(), done: true })),
  },
  {
    id: "speech-octet-stream",
    row: "/v1/audio/speech",
    outcome: () =>
      runCheck("/v1/audio/speech", reply({ bytes: silentWav(), contentType: "application/octet-stream" })),
  },
  {
    id: "speech-wrong-audio-type",
    row: "/v1/audio/speech",
    outcome: () => runCheck("/v1/audio/speech", reply({ bytes: silentWav(), contentType: "audio/mpeg" })),
  },
  {
    id: "translations-folded",
    row: "/v1/audio/translations",
    outcome: () => runCheck("/v1/audio/translations", reply({ json: { text: "hola", language: "spanish" } })),
  },
  {
    id: "images-edits-json",
    row: "/v1/images/edits",
    outcome: () =>
      runCheck("/v1/images/edits", (req) =>
        req.form
          ? { status: 415, json: envelope("multipart/form-data is not supported; send JSON") }
          : { json: { created: T, data: [{ b64_json: "iVBORw0KGgo=" }] } },
      ),
  },
  {
    id: "error-not-envelope",
    row: "/v1/chat/completions[error-missing-field]",
    outcome: async () =>
      refusal(400, {
        detail: [{ loc: ["body", "messages"], msg: "field required", type: "value_error.missing" }],
      }),
  },
  {
    id: "invalid-json-500",
    row: "/v1/chat/completions[error-invalid-json]",
    outcome: async () =>
      refusal(500, envelope("[json.exception.parse_error.101] parse error at line 1", "server_error"), {
        sentRaw: '{"model": ',
      }),
  },
  {
    id: "error-with-200",
    row: "/v1/chat/completions",
    outcome: () =>
      runCheck(
        "/v1/chat/completions",
        reply({ json: { error: "Unexpected endpoint or method. (POST /v1/chat/completions)" } }),
      ),
  },
  {
    id: "error-code-integer",
    row: "/v1/chat/completions[error-missing-field]",
    // llama-server's envelope (format_error_response) with the param the spec requires, so only the code differs.
    outcome: async () =>
      refusal(400, {
        error: { code: 400, message: "'messages' is required", type: "invalid_request_error", param: null },
      }),
  },
  {
    id: "model-fallback",
    row: "/v1/chat/completions[error-unknown-model]",
    outcome: async () => {
      const json = completion();
      const obs = observation({ json, body: new TextEncoder().encode(JSON.stringify(json)) });
      obs.facts[FACTS.unknownModel] = "aioc-no-such-model-0000";
      const problem: Problem = { pointer: "status", expected: "404", got: "200", severity: "warn" };
      return { phase: "C", httpStatus: 200, latencyMs: 5, problems: [problem], observation: obs };
    },
  },
  {
    id: "usage-on-final-choice-chunk",
    row: "/v1/completions[stream]",
    // llama-server's completions stream: usage on the finish_reason chunk, without include_usage.
    outcome: () =>
      runCheck(
        "/v1/completions[stream]",
        reply({ sse: [textChunk("hi", null), { ...textChunk("", "length"), usage }] }),
      ),
  },
  {
    id: "responses-created-no-output",
    row: "/v1/responses[stream]",
    outcome: () => {
      const [created, ...rest] = responsesStream();
      const response = without(created!.response as Record<string, unknown>, "output");
      return runCheck(
        "/v1/responses[stream]",
        reply({ sse: [{ ...created, response }, ...rest], done: false }),
      );
    },
  },
  {
    id: "responses-events-no-index",
    row: "/v1/responses[stream]",
    outcome: () => {
      const events = responsesStream().map((e) => without(without(e, "output_index"), "content_index"));
      return runCheck("/v1/responses[stream]", reply({ sse: events, done: false }));
    },
  },
  {
    id: "responses-completed-when-cut",
    row: "/v1/responses",
    outcome: () => {
      const response = responseObject("completed");
      return runCheck(
        "/v1/responses",
        reply({ json: { ...response, usage: { ...response.usage, output_tokens: 16, total_tokens: 19 } } }),
      );
    },
  },
  // responses group (issue #14): llama-server's bytes, as measured on the field lab's build
  {
    id: "responses-no-state",
    row: "/v1/responses[store]",
    outcome: () =>
      runCheck(
        "/v1/responses[store]",
        (req) =>
          req.method === "GET"
            ? {
                status: 404,
                json: envelope("File Not Found", "not_found_error"),
              }
            : { json: responseObject("completed") },
        baseRow(),
      ),
  },
  {
    id: "responses-text-format-ignored",
    row: "/v1/responses[json_schema]",
    outcome: () =>
      runCheck("/v1/responses[json_schema]", reply({ json: responseObject("completed") }), baseRow()),
  },
  {
    id: "responses-tool-choice-named-ignored",
    row: "/v1/responses[tools]",
    outcome: () => runCheck("/v1/responses[tools]", reply({ json: responseObject("completed") }), baseRow()),
  },
];

// ── Canonical cases: what OpenAI sends; no deviation may fire ────────────────────────────────────────

const CANONICAL: { name: string; row: string; outcome: () => Promise<Outcome> }[] = [
  {
    name: "model list",
    row: "/v1/models",
    outcome: () =>
      runCheck(
        "/v1/models",
        reply({
          json: { object: "list", data: [{ id: MODEL, object: "model", created: T, owned_by: "me" }] },
        }),
      ),
  },
  {
    name: "model retrieve",
    row: "/v1/models/{model}",
    outcome: () =>
      runCheck(
        "/v1/models/{model}",
        reply({ json: { id: MODEL, object: "model", created: T, owned_by: "me" } }),
      ),
  },
  {
    name: "chat",
    row: "/v1/chat/completions",
    outcome: () => runCheck("/v1/chat/completions", reply({ json: completion() })),
  },
  {
    name: "chat with a tool call",
    row: "/v1/chat/completions",
    outcome: () => runCheck("/v1/chat/completions", reply({ json: toolCallCompletion("call_1") })),
  },
  {
    name: "chat stream",
    row: "/v1/chat/completions[stream]",
    outcome: () => runCheck("/v1/chat/completions[stream]", reply({ sse: chatStream() })),
  },
  {
    name: "chat stream with a streamed tool call",
    row: "/v1/chat/completions[stream]",
    outcome: () =>
      runCheck(
        "/v1/chat/completions[stream]",
        reply({
          sse: [
            chunk({
              role: "assistant",
              content: null,
              tool_calls: [
                {
                  index: 0,
                  id: "call_1",
                  type: "function",
                  function: { name: "get_weather", arguments: "" },
                },
              ],
            }),
            chunk({ tool_calls: [{ index: 0, function: { arguments: "{}" } }] }),
            chunk({}, "tool_calls"),
            usageChunk(),
          ],
        }),
      ),
  },
  {
    name: "completions",
    row: "/v1/completions",
    outcome: () => runCheck("/v1/completions", reply({ json: { ...textChunk("hi", "stop"), usage } })),
  },
  {
    name: "completions stream",
    row: "/v1/completions[stream]",
    outcome: () =>
      runCheck("/v1/completions[stream]", reply({ sse: [textChunk("hi", null), textChunk("", "stop")] })),
  },
  {
    name: "responses",
    row: "/v1/responses",
    outcome: () => runCheck("/v1/responses", reply({ json: responseObject("completed") })),
  },
  {
    name: "responses stream (no [DONE])",
    row: "/v1/responses[stream]",
    outcome: () => runCheck("/v1/responses[stream]", reply({ sse: responsesStream(), done: false })),
  },
  {
    name: "speech",
    row: "/v1/audio/speech",
    outcome: () => runCheck("/v1/audio/speech", reply({ bytes: silentWav(), contentType: "audio/wav" })),
  },
  {
    name: "translations",
    row: "/v1/audio/translations",
    outcome: () => runCheck("/v1/audio/translations", reply({ json: { text: "hello" } })),
  },
  {
    name: "image edits (multipart)",
    row: "/v1/images/edits",
    outcome: () =>
      runCheck("/v1/images/edits", reply({ json: { created: T, data: [{ b64_json: "iVBORw0KGgo=" }] } })),
  },
  {
    name: "error envelope for malformed JSON",
    row: "/v1/chat/completions[error-invalid-json]",
    outcome: async () =>
      refusal(400, envelope("We could not parse the JSON body of your request."), { sentRaw: '{"model": ' }),
  },
];

// ── Tests ─────────────────────────────────────────────────────────────────────────────────────────

const docPath = fileURLToPath(new URL("../docs/deviations.md", import.meta.url));

describe("docs/deviations.md", () => {
  test("equals the text generated from the catalog (npm run gen:deviations)", () => {
    assert.equal(readFileSync(docPath, "utf8"), deviationsDoc(DEVIATIONS));
  });

  test("every docs anchor resolves to a heading", () => {
    const anchors = new Set(
      readFileSync(docPath, "utf8")
        .split("\n")
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) => headingAnchor(l.replace(/^#+ /, ""))),
    );
    for (const d of DEVIATIONS) {
      assert.ok(d.docs.startsWith("docs/deviations.md#"), `${d.id}: docs must point into docs/deviations.md`);
      assert.ok(anchors.has(docsAnchor(d)), `${d.id}: no heading for #${docsAnchor(d)}`);
    }
  });
});

describe("catalog integrity", () => {
  test("ids are unique and kebab-case", () => {
    const ids = DEVIATIONS.map((d) => d.id);
    assert.equal(new Set(ids).size, ids.length, "duplicate deviation ids");
    for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${id} is not kebab-case`);
  });

  test("every row pattern matches a catalog row", () => {
    for (const d of DEVIATIONS) {
      assert.ok(d.rows.length > 0, `${d.id} has no rows`);
      for (const pattern of d.rows) {
        assert.ok(
          ENDPOINTS.some((e) => rowMatches(pattern, e.id)),
          `${d.id}: row pattern ${pattern} matches no catalog row`,
        );
      }
    }
  });

  test("every entry explains itself and cites a source", () => {
    for (const d of DEVIATIONS) {
      assert.ok(d.summary && d.why && d.detection, `${d.id} lacks summary, why or detection`);
      assert.ok((d.sources ?? []).length > 0, `${d.id} cites no source`);
      assert.ok(!/https?:\/\//.test(JSON.stringify(d.sources)), `${d.id}: sources are link-free`);
      for (const i of d.implementations) assert.ok(i.name.trim(), `${d.id}: empty implementation name`);
    }
  });

  test("system_fingerprint is not flagged: the current spec does not require it", () => {
    assert.ok(!DEVIATIONS.some((d) => /fingerprint/.test(d.id)));
  });

  test("implementation profiles are derived from the catalog", () => {
    const llama = deviationsOf("LLAMA.CPP").map((d) => d.id);
    assert.ok(llama.includes("model-retrieve-404"));
    assert.ok(llama.includes("invalid-json-500"));
    assert.deepEqual(deviationsOf("no-such-server"), []);
  });
});

describe("detect predicates (table-driven)", () => {
  test("every deviation has a crafted case", () => {
    const covered = new Set(CASES.map((c) => c.id));
    for (const d of DEVIATIONS) assert.ok(covered.has(d.id), `no crafted case for ${d.id}`);
  });

  for (const c of CASES) {
    test(`${c.id} fires on its crafted observation`, async () => {
      const d = findDeviation(c.id)!;
      const row = findEndpoint(c.row)!;
      assert.ok(
        d.rows.some((r) => rowMatches(r, row.id)),
        `${c.id} does not apply to ${c.row}`,
      );
      const outcome = await c.outcome();
      assert.ok(outcome.observation, `${c.id}: the crafted outcome has no observation`);
      assert.equal(d.detect(outcome.observation, outcome.problems), true);
      if (d.explains && outcome.problems.length > 0) {
        assert.ok(
          outcome.problems.some((p) => d.explains!(p)),
          `${c.id} explains none of its problems`,
        );
      }
    });
  }

  for (const c of CANONICAL) {
    test(`no deviation fires on a canonical ${c.name}`, async () => {
      const outcome = await c.outcome();
      assert.ok(outcome.observation);
      const fired = DEVIATIONS.filter((d) => d.detect(outcome.observation!, outcome.problems)).map(
        (d) => d.id,
      );
      assert.deepEqual(fired, []);
      if (outcome.phase !== "C") {
        const graded = grade(findEndpoint(c.row)!, outcome);
        assert.equal(graded.status, "PASS", `${c.name}: ${graded.detail}`);
      }
    });
  }
});

describe("grading with the catalog", () => {
  for (const c of CASES) {
    test(`${c.id} grades the row ${findDeviation(c.id)!.verdict} with "— known:"`, async () => {
      const d = findDeviation(c.id)!;
      const graded = grade(findEndpoint(c.row)!, await c.outcome());
      assert.deepEqual(
        graded.deviations.map((x) => x.id),
        [c.id],
      );
      assert.equal(graded.status, d.verdict);
      const known = d.implementations.map((i) => i.name).join(", ");
      assert.equal(graded.detail, known ? `${d.summary} — known: ${known}` : d.summary);
    });
  }

  test("usage-chunk-with-choices: the one usage chunk has choices; usage on every chunk is not it", () => {
    const d = findDeviation("usage-chunk-with-choices")!;
    const at = (frames: object[]) => observation({ frames, events: [] });
    const placeholder = usageChunk({ choices: chunk({}).choices });
    assert.equal(d.detect(at([...chatStream().slice(0, 3), placeholder]), []), true);
    // Usage merged into the finish chunk (no separate usage chunk) is llama-server's, a deviation of its own.
    const merged = at([...chatStream().slice(0, 2), chunk({}, "stop", { usage })]);
    assert.equal(d.detect(merged, []), false);
    assert.equal(findDeviation("usage-on-final-choice-chunk")!.detect(merged, []), true);
    assert.equal(d.detect(at(chatStream()), []), false);
    const everyChunk = chatStream().map((c) => ({ ...c, usage }));
    assert.equal(d.detect(at(everyChunk), []), false, "stream-usage-every-chunk's business");
    const finding: Problem = {
      pointer: "stream/3/choices",
      expected: "[] in the usage chunk",
      got: "array(1)",
      severity: "warn",
    };
    assert.equal(d.explains!(finding), true, "the stream-forensics finding (src/checks/forensics-chat.ts)");
  });

  test("stream-null-fields explains exactly the chunk schema's null findings on id, model and created", async () => {
    const d = findDeviation("stream-null-fields")!;
    const outcome = await runCheck(
      "/v1/chat/completions[stream]",
      reply({ sse: chatStream().map((c) => ({ ...c, id: null, model: null, created: null })) }),
    );
    const explained = outcome.problems.filter((p) => d.explains!(p));
    assert.deepEqual(explained.map((p) => p.pointer.split("/").at(-1)).sort(), ["created", "id", "model"]);
    assert.deepEqual(
      explained.map((p) => p.expected),
      explained.map((p) => (p.pointer.endsWith("created") ? "integer" : "string")),
    );
    assert.equal(explained.length, outcome.problems.length, "nothing else is reported");
    const problem = (pointer: string, got: string): Problem => ({
      pointer,
      expected: "string",
      got,
      severity: "fail",
    });
    assert.equal(d.explains!(problem("stream/1/model", "number")), false, "a wrong type is not null");
    assert.equal(d.explains!(problem("stream/1/choices/0/delta/content", "null")), false);
    assert.equal(d.explains!(problem("/model", "null")), false, "a JSON body is not a stream chunk");
    const omitted = observation({ frames: chatStream().map((c) => without(c, "model")), events: [] });
    assert.equal(d.detect(omitted, []), false, "an omitted field is missing-*, not null");
  });

  test("a Responses stream without [DONE] is never flagged", async () => {
    const outcome = await runCheck("/v1/responses[stream]", reply({ sse: responsesStream(), done: false }));
    assert.equal(outcome.observation?.sawDone, false);
    const graded = grade(findEndpoint("/v1/responses[stream]")!, outcome);
    assert.equal(graded.status, "PASS");
    assert.deepEqual(graded.deviations, []);
    assert.equal(
      DEVIATIONS.some((d) => d.detect(outcome.observation!, outcome.problems)),
      false,
    );
  });

  test("a chat stream without [DONE] is WARN (openai-node copes), named by the stream row itself, not a deviation", async () => {
    const outcome = await runCheck("/v1/chat/completions[stream]", reply({ sse: chatStream(), done: false }));
    const graded = grade(findEndpoint("/v1/chat/completions[stream]")!, outcome);
    assert.equal(graded.status, "WARN");
    assert.match(graded.detail, /\[DONE\]/);
  });

  test("translations-folded also fires on a 404 while transcriptions answered 2xx, and annotates the existence verdict", () => {
    const d = findDeviation("translations-folded")!;
    const obs = observation({ status: 404, json: envelope("not found") });
    assert.equal(d.detect(obs, []), false, "a lone 404 says nothing about transcriptions");
    obs.facts[FACTS.dependencyStatus] = 200;
    assert.equal(d.detect(obs, []), true);
    const graded = grade(findEndpoint("/v1/audio/translations")!, {
      phase: "A",
      httpStatus: 404,
      latencyMs: 1,
      problems: [],
      verdict: { status: "WARN", detail: "404 — not implemented (optional)" },
      observation: obs,
    });
    assert.equal(graded.status, "WARN");
    assert.deepEqual(
      graded.deviations.map((x) => x.id),
      ["translations-folded"],
    );
  });

  test("error-not-envelope recognises {error: string}, flat vLLM errors and plain text, not the envelope", () => {
    const d = findDeviation("error-not-envelope")!;
    const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));
    const at = (status: number, body: unknown) => observation({ status, body: enc(body) });
    assert.equal(d.detect(at(400, { error: "bad thing" }), []), true);
    assert.equal(
      d.detect(at(400, { object: "error", message: "too long", type: "BadRequestError", code: 400 }), []),
      true,
    );
    assert.equal(d.detect(at(404, "404 page not found"), []), true);
    assert.equal(d.detect(at(400, envelope("bad thing")), []), false);
    assert.equal(d.detect(at(200, { error: "x" }), []), false, "2xx is error-with-200's business");
  });

  test("an existence-phase 501 without envelope keeps its FAIL; the deviation only annotates it", () => {
    const row = findEndpoint("/v1/chat/completions")!;
    const body = new TextEncoder().encode("<html>Not Implemented</html>");
    const problem: Problem = {
      pointer: "body",
      expected: "OpenAI error envelope",
      got: "other",
      severity: "fail",
    };
    const graded = grade(row, {
      phase: "A",
      httpStatus: 501,
      latencyMs: 1,
      problems: [problem],
      verdict: { status: "FAIL", detail: "501 without an OpenAI error envelope: <html>" },
      observation: observation({ status: 501, contentType: "text/html", body }),
    });
    assert.equal(graded.status, "FAIL");
    assert.match(graded.detail, /^501 without an OpenAI error envelope/);
    assert.deepEqual(
      graded.deviations.map((x) => x.id),
      ["error-not-envelope"],
    );
  });
});

describe("aioc deviations", () => {
  const exec = promisify(execFile);
  const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
  const run = (...args: string[]) => exec(process.execPath, ["--import", "tsx", cli, "deviations", ...args]);

  test("lists every deviation, explains one, and refuses an unknown id with exit 2", async () => {
    const list = await run();
    for (const d of DEVIATIONS) assert.match(list.stdout, new RegExp(`^${d.id}\\s`, "m"));
    const one = await run("chunk-id-changes");
    assert.match(one.stdout, /^chunk-id-changes — /);
    assert.match(one.stdout, /Verdict: FAIL/);
    assert.match(one.stdout, /llama\.cpp issue #5876/);
    const json = JSON.parse((await run("float-created", "--json")).stdout) as { id: string }[];
    assert.deepEqual(
      json.map((d) => d.id),
      ["float-created"],
    );
    await assert.rejects(run("no-such-deviation"), (err: { code?: number; stderr?: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr ?? "", /^aioc: unknown deviation "no-such-deviation"/);
      return true;
    });
  });
});
