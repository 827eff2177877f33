/**
 * What aioc says about the current llama-server (and vLLM's error envelope), judged by their own bytes: a loopback
 * server built from llama.cpp's sources (helpers/llama-like.ts), the llama.cpp profile, and the real openai SDK.
 * Each verdict is asserted with its status AND its reason.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { findDeviation } from "../src/deviations/catalog.js";
import { runProbe } from "../src/probe/run.js";
import type { Report, Result } from "../src/report/types.js";
import { resolveQuirkList } from "../src/serve/quirks.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { startLlamaLike } from "./helpers/llama-like.js";
import { byId } from "./helpers/results.js";
import { type ScriptedServer, startScripted } from "./helpers/scripted-server.js";

const KEY = "sk-llama-truth-0123456789";

const ids = (r: Result) => r.deviations.map((d) => d.id).sort();
const summary = (id: string) => findDeviation(id)!.summary;

async function probe(url: string, only?: RegExp): Promise<Report> {
  return runProbe({
    baseUrl: url,
    apiKey: KEY,
    depth: "standard",
    timeoutMs: 10_000,
    concurrency: 4,
    maxBodyBytes: 16 << 20,
    ...(only ? { only } : {}),
  });
}

describe("against llama-server's bytes (purpose-built loopback server)", () => {
  let server: ScriptedServer;
  let report: Report;
  before(async () => {
    server = await startLlamaLike({ apiKey: KEY });
    report = await probe(server.url, /chat|completions|responses|models/);
  });
  after(() => server.close());

  test("integer error.code: WARN naming llama.cpp and vLLM on the error and auth rows, one finding each", () => {
    for (const id of [
      "/v1/chat/completions[error-missing-field]",
      "/v1/models[auth-no-key]",
      "/v1/models[auth-wrong-key]",
    ]) {
      const r = byId(report, id);
      assert.equal(r.status, "WARN", `${id}: ${r.detail}`);
      assert.deepEqual(ids(r), ["error-code-integer"], id);
      assert.ok(r.detail.startsWith(`${summary("error-code-integer")} — known: llama.cpp, vLLM`), r.detail);
      const code = r.problems.filter((p) => p.pointer === "/error/code");
      assert.equal(code.length, 1, `${id}: the code is one finding, not one per allowed type`);
      assert.equal(code[0]!.expected, "string or null");
      assert.equal(code[0]!.got, id.includes("auth") ? "number 401" : "number 400");
    }
  });

  test("malformed JSON: still the FAIL of invalid-json-500, the integer code listed beside it", () => {
    const r = byId(report, "/v1/chat/completions[error-invalid-json]");
    assert.equal(r.status, "FAIL");
    assert.deepEqual(ids(r), ["error-code-integer", "invalid-json-500"]);
    assert.ok(r.detail.startsWith(summary("invalid-json-500")), r.detail);
  });

  test("silent model fallback: WARN model-fallback naming llama.cpp", () => {
    const r = byId(report, "/v1/chat/completions[error-unknown-model]");
    assert.equal(r.status, "WARN");
    assert.deepEqual(ids(r), ["model-fallback"]);
    assert.equal(r.detail, `${summary("model-fallback")} — known: llama.cpp`);
  });

  test("completions stream with usage on the finish_reason chunk: its own deviation, not LiteLLM's", () => {
    for (const id of ["/v1/completions[stream]", "/v1/completions[stream-forensics]"]) {
      const r = byId(report, id);
      assert.equal(r.status, "WARN", `${id}: ${r.detail}`);
      assert.deepEqual(ids(r), ["usage-on-final-choice-chunk"], id);
      assert.equal(r.detail, `${summary("usage-on-final-choice-chunk")} — known: llama.cpp`);
    }
  });

  test('Responses cut by max_output_tokens but "completed": WARN naming llama.cpp', () => {
    const r = byId(report, "/v1/responses");
    assert.equal(r.status, "WARN");
    assert.deepEqual(ids(r), ["responses-completed-when-cut"]);
    assert.ok(r.detail.startsWith(`${summary("responses-completed-when-cut")} — known: llama.cpp`), r.detail);
  });

  test("response.created without output: FAIL on the stream rows, and the real helper throws", () => {
    const stream = byId(report, "/v1/responses[stream]");
    assert.equal(stream.status, "FAIL");
    assert.deepEqual(ids(stream), [
      "responses-completed-when-cut",
      "responses-created-no-output",
      "responses-events-no-index",
    ]);
    assert.ok(stream.detail.startsWith(summary("responses-created-no-output")), stream.detail);

    const client = byId(report, "client:openai-node/responses.stream");
    assert.equal(client.status, "FAIL");
    assert.match(client.detail, /^openai-node threw: OpenAIError: rsp\.output is not iterable/);
  });

  test("stream forensics copes without output_index: the real causes, no phantom /output/-1 text", () => {
    const r = byId(report, "/v1/responses[stream-forensics]");
    assert.equal(r.status, "FAIL");
    assert.ok(r.detail.startsWith(`${summary("responses-created-no-output")} — known: llama.cpp`), r.detail);
    assert.deepEqual(ids(r), [
      "responses-completed-when-cut",
      "responses-created-no-output",
      "responses-events-no-index",
    ]);
    const created = r.problems.find((p) => p.pointer === "stream/0/response/output");
    assert.equal(created?.severity, "fail", "the forensics finding names response.created's missing output");
    const pointers = r.problems.map((p) => p.pointer);
    assert.ok(pointers.includes("stream/0/response/output"), pointers.join(" "));
    assert.ok(pointers.includes("stream/2/output_index"), "output_item.added has no output_index");
    assert.ok(!pointers.some((p) => /-1|NaN/.test(p)), pointers.join(" "));
    assert.ok(!r.problems.some((p) => p.pointer.endsWith("/text")), "the deltas match the final text");
  });
});

/** A Responses stream as OpenAI sends it, but with output_index and content_index left out of every event. */
function streamWithoutIndexes(): string {
  const id = "resp_noindex";
  const item = { id: "msg_1", type: "message", role: "assistant", status: "completed" };
  const part = { type: "output_text", annotations: [], logprobs: [], text: "Hello there" };
  const base = { id, object: "response", created_at: 1, model: "m", status: "in_progress", output: [] };
  const events = [
    { type: "response.created", response: base },
    { type: "response.output_item.added", item: { ...item, status: "in_progress", content: [] } },
    { type: "response.content_part.added", item_id: "msg_1", part: { ...part, text: "" } },
    { type: "response.output_text.delta", item_id: "msg_1", delta: "Hello", logprobs: [] },
    { type: "response.output_text.delta", item_id: "msg_1", delta: " there", logprobs: [] },
    { type: "response.output_text.done", item_id: "msg_1", text: "Hello there", logprobs: [] },
    { type: "response.content_part.done", item_id: "msg_1", part },
    { type: "response.output_item.done", item: { ...item, content: [part] } },
    {
      type: "response.completed",
      response: { ...base, status: "completed", output: [{ ...item, content: [part] }] },
    },
  ];
  return events
    .map((e, n) => `event: ${e.type}\ndata: ${JSON.stringify({ ...e, sequence_number: n })}\n\n`)
    .join("");
}

describe("Responses events without output_index (purpose-built server)", () => {
  let server: ScriptedServer;
  let report: Report;
  before(async () => {
    server = await startScripted({
      "GET /v1/models": (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ object: "list", data: [{ id: "m", object: "model", created: 1, owned_by: "x" }] }),
        );
      },
      "POST /v1/responses": (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(streamWithoutIndexes());
      },
    });
    report = await probe(server.url, /^\/v1\/responses\[stream|^client:openai-node\/responses\.stream/);
  });
  after(() => server.close());

  test("forensics places events by item_id: one FAIL naming output_index, the texts agree", () => {
    const r = byId(report, "/v1/responses[stream-forensics]");
    assert.equal(r.status, "FAIL");
    assert.equal(r.detail, `${summary("responses-events-no-index")} — known: llama.cpp`);
    assert.deepEqual(
      r.problems.map((p) => [p.pointer, p.severity]),
      [["stream/1/output_index", "fail"]],
    );
  });

  test("the base stream row FAILs too: the spec-required indexes are what the SDK helper needs", () => {
    const r = byId(report, "/v1/responses[stream]");
    assert.equal(r.status, "FAIL");
    assert.deepEqual(ids(r), ["responses-events-no-index"]);
  });

  test("and the SDK's stream helper does throw so", () => {
    const r = byId(report, "client:openai-node/responses.stream");
    assert.equal(r.status, "FAIL");
    assert.match(r.detail, /missing output at index undefined/);
  });
});

describe("the llama.cpp profile: what the SDK makes of its errors and its fallback", () => {
  let server: RunningServer;
  let sdk: OpenAI;
  before(async () => {
    const { quirks, missing, openapi } = resolveQuirkList(["llama.cpp"]);
    server = await startServer({ port: 0, quirks, missing, openapi });
    sdk = new OpenAI({
      baseURL: server.url,
      apiKey: "EMPTY",
      maxRetries: 0,
      organization: null,
      project: null,
    });
  });
  after(() => server.close());

  test("openai-node copes with an integer error.code: the right class, the message, the number as code", async () => {
    const err = await sdk.chat.completions.create({ model: "aioc-chat", messages: undefined as never }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof OpenAI.BadRequestError, String(err));
    assert.equal(err.code as unknown, 400);
    assert.match(err.message, /^400 Missing required parameter: 'messages'/);
  });

  test("an unknown model is answered by the loaded one", async () => {
    const r = await sdk.chat.completions.create({
      model: "no-such-model",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(r.model, "aioc-chat");
  });

  test("the profile's /v1/responses is cut at max_output_tokens yet completed, like the real one", async () => {
    const r = await sdk.responses.create({ model: "aioc-chat", input: "hi", max_output_tokens: 16 });
    assert.equal(r.status, "completed");
    assert.equal(r.usage?.output_tokens, 16);
  });
});
