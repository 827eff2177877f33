/**
 * Report builders for renderer tests. They follow the contract in src/report/types.ts; once real reports
 * exist (from `aioc probe --report`), these can be swapped for fixtures loaded with loadReport.
 */
import { findEndpoint } from "../../src/catalog/endpoints.js";
import { type Exchange, type Report, type Result, summarize } from "../../src/report/types.js";

type Extra = Partial<Omit<Result, "id" | "status" | "detail">>;

/** A result for a catalog row, with the row's path, method, group, kind and label filled in. */
export function result(id: string, status: Result["status"], detail: string, extra: Extra = {}): Result {
  const row = findEndpoint(id);
  if (!row && !extra.group) throw new Error(`unknown catalog id ${id}; pass a group`);
  return {
    id,
    path: row?.path ?? id,
    method: row?.method ?? "GET",
    group: row?.group ?? "chat",
    kind: row?.kind ?? "ext",
    label: row?.label ?? "protocol",
    status,
    detail,
    httpStatus: status === "SKIP" ? null : 200,
    latencyMs: status === "SKIP" ? null : 100,
    phase: status === "SKIP" ? "A" : "B",
    problems: [],
    deviations: [],
    requests: status === "SKIP" ? 0 : 1,
    ...extra,
  };
}

const BASE = "http://127.0.0.1:8000/v1";

function exchange(method: string, path: string, status: number, body: string, sent?: unknown): Exchange {
  return {
    request: {
      method,
      url: `${BASE}${path}`,
      headers: { accept: "application/json", authorization: "Bearer [REDACTED]" },
      ...(sent === undefined ? {} : { body: JSON.stringify(sent) }),
    },
    response: {
      status,
      headers: { "content-type": "application/json", server: "uvicorn" },
      body,
      truncated: false,
    },
  };
}

export function report(results: Result[], overrides: Partial<Report> = {}): Report {
  return {
    tool: "aioc",
    version: "0.1.0",
    reportVersion: 1,
    specSource: "openai-openapi 2.3.0",
    target: { url: BASE, name: "local-vllm" },
    startedAt: "2025-01-15T10:00:00.000Z",
    durationMs: 12_345,
    options: { depth: "standard", concurrency: 4, timeoutMs: 30_000, authenticated: true },
    models: { chat: "Qwen/Qwen2.5-7B-Instruct", embedding: "BAAI/bge-small-en-v1.5" },
    summary: summarize(results),
    requests: results.reduce((n, r) => n + r.requests, 0),
    results,
    ...overrides,
  };
}

const MODEL_404 = {
  id: "model-retrieve-404",
  summary: "GET /v1/models/{model} returns 404 for a model /v1/models lists",
  implementations: ["vLLM < 0.6", "llama.cpp server"],
};
const NO_DONE = {
  id: "stream-missing-done",
  summary: "The SSE stream ends without the `data: [DONE]` terminator",
  implementations: ["text-generation-inference"],
};

/** A realistic report: every status, deviations, problems, exchanges (one without a response) and metrics. */
export function sampleReport(): Report {
  const chatBody = JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1736935200,
    model: "Qwen/Qwen2.5-7B-Instruct",
    choices: [{ index: 0, message: { role: "assistant", content: "pong" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
  });
  const sse =
    'data: {"id":"chatcmpl-2","object":"chat.completion.chunk","choices":[{"delta":{"content":"po"}}]}\n\n';
  return report([
    result("/v1/models", "PASS", "200 · 3 models", {
      latencyMs: 12,
      exchanges: [
        exchange("GET", "/models", 200, '{"object":"list","data":[{"id":"Qwen/Qwen2.5-7B-Instruct"}]}'),
      ],
    }),
    result("/v1/models/{model}", "WARN", "404 for a listed model", {
      httpStatus: 404,
      latencyMs: 9,
      deviations: [MODEL_404],
      exchanges: [exchange("GET", "/models/Qwen%2FQwen2.5-7B-Instruct", 404, '{"detail":"Not Found"}')],
    }),
    result("/v1/chat/completions", "PASS", "200 · tools, JSON mode", {
      latencyMs: 842,
      requests: 3,
      metrics: { ttfbMs: 830, tokensPerSecond: 41.7 },
      exchanges: [
        exchange("POST", "/chat/completions", 200, chatBody, {
          model: "Qwen/Qwen2.5-7B-Instruct",
          messages: [{ role: "user", content: "Say pong" }],
        }),
      ],
    }),
    result("/v1/chat/completions[stream]", "FAIL", "stream ended without [DONE]; 2 field problems", {
      latencyMs: 1_204,
      problems: [
        {
          pointer: "stream",
          expected: "a final `data: [DONE]` event",
          got: "EOF after 12 chunks",
          severity: "fail",
          source: "CreateChatCompletionStreamResponse",
        },
        {
          pointer: "/choices/0/delta/role",
          expected: "string | null",
          got: "number 1",
          severity: "warn",
          source: "ChatCompletionStreamResponseDelta",
        },
      ],
      deviations: [NO_DONE],
      metrics: { ttfbMs: 180, ttftMs: 212, tokensPerSecond: 48.3, chunks: 12 },
      exchanges: [
        {
          ...exchange("POST", "/chat/completions", 200, sse, {
            model: "Qwen/Qwen2.5-7B-Instruct",
            stream: true,
          }),
          response: {
            status: 200,
            headers: { "content-type": "text/event-stream" },
            body: sse,
            truncated: true,
          },
        },
      ],
    }),
    result("/v1/completions", "PASS", "200", { latencyMs: 301 }),
    result("/v1/completions[stream]", "PASS", "200 · 9 chunks", {
      latencyMs: 455,
      metrics: { ttftMs: 98, tokensPerSecond: 52, chunks: 9 },
    }),
    result("/v1/responses", "FAIL", "404 Not Found: route does not exist", {
      httpStatus: 404,
      latencyMs: 4,
      phase: "A",
      exchanges: [exchange("POST", "/responses", 404, '{"detail":"Not Found"}', {})],
    }),
    result("/v1/responses[stream]", "SKIP", "needs /v1/responses"),
    result("/v1/audio/speech", "SKIP", "no tts model; pass --tts-model"),
    result("/v1/audio/transcriptions", "SKIP", "no stt model; pass --stt-model"),
    result("/v1/images/generations", "SKIP", "no image model; pass --image-model"),
    result("/v1/embeddings", "WARN", "200 · encoding_format=base64 ignored", {
      latencyMs: 27,
      problems: [
        {
          pointer: "/data/0/embedding",
          expected: "base64 string (encoding_format=base64)",
          got: "array of 384 numbers",
          severity: "warn",
          source: "CreateEmbeddingResponse",
        },
      ],
    }),
    result("/v1/files", "FAIL", "timed out after 30 s", {
      httpStatus: null,
      latencyMs: 30_000,
      phase: "A",
      exchanges: [
        { request: { method: "GET", url: `${BASE}/files`, headers: { accept: "application/json" } } },
      ],
    }),
    result("/v1/moderations", "SKIP", "no moderation model listed"),
  ]);
}

/** Strings a hostile server might send, each aimed at one output language. */
export const HOSTILE = {
  script: "</script><script>window.__pwned = 1</script>",
  img: '<img src="http://evil.invalid/p.png" onerror="window.__pwned = 1">',
  cdata: "]]><injected/><![CDATA[",
  ansi: "\u001b[2J\u001b]0;owned\u0007",
  controls: "nul\u0000 bel\u0007 del\u007f c1\u009b",
  markdown: "| fake | cells |\n# heading ![x](http://evil.invalid/p.png) [click](http://evil.invalid)",
  separators: "line\u2028para\u2029end",
  surrogates: "lone \ud800 and \ufffe",
};

const ALL_HOSTILE = Object.values(HOSTILE).join(" ");

/** Every untrusted field filled with hostile strings: details, model ids, target, problems, bodies, ids. */
export function hostileReport(): Report {
  const evilDeviation = { id: `dev${HOSTILE.img}`, summary: ALL_HOSTILE, implementations: [HOSTILE.script] };
  return report(
    [
      result("/v1/models", "PASS", ALL_HOSTILE, {
        exchanges: [
          {
            request: {
              method: "GET",
              url: `${BASE}/models?x=${HOSTILE.img}`,
              headers: { "x-evil": HOSTILE.script },
            },
            response: {
              status: 200,
              headers: { "content-type": "text/html", "x-evil": HOSTILE.ansi },
              body: `<!-- ${ALL_HOSTILE} -->`,
              truncated: false,
            },
          },
        ],
      }),
      result("/v1/chat/completions", "FAIL", `${HOSTILE.script}${HOSTILE.cdata}`, {
        problems: [
          {
            pointer: `/choices/${HOSTILE.img}`,
            expected: HOSTILE.markdown,
            got: ALL_HOSTILE,
            severity: "fail",
          },
        ],
        deviations: [evilDeviation],
      }),
      result("/v1/embeddings", "WARN", `${HOSTILE.ansi}${HOSTILE.controls}${HOSTILE.surrogates}`, {
        deviations: [evilDeviation],
      }),
      result("/v1/moderations", "SKIP", HOSTILE.markdown),
      result(`/v1/evil${HOSTILE.img}${HOSTILE.ansi}`, "FAIL", HOSTILE.separators, { group: "chat" }),
    ],
    {
      target: { url: `http://evil.invalid/v1?${HOSTILE.script}`, name: `evil${HOSTILE.img}${HOSTILE.ansi}` },
      models: { chat: `${HOSTILE.ansi}gpt${HOSTILE.img}`, embedding: HOSTILE.script },
      version: `0.1.0${HOSTILE.script}`,
    },
  );
}
