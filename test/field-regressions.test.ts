/**
 * Regressions found by probing third-party mock servers (docs/field-reports.md), each reduced to a
 * purpose-built loopback server that reproduces the bytes that misled the prober.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { runProbe } from "../src/probe/run.js";
import { byId } from "./helpers/results.js";
import { json, type ScriptedServer, sse, startScripted } from "./helpers/scripted-server.js";

const MODEL = "field-chat";
const created = 1_700_000_000;

async function probe(server: ScriptedServer, only: RegExp, chat?: string) {
  return runProbe({
    baseUrl: server.url,
    only,
    models: chat ? { chat } : {},
    timeoutMs: 3000,
    concurrency: 4,
    depth: "quick",
    maxBodyBytes: 1 << 20,
  });
}

const modelsList = (...ids: string[]) => ({
  object: "list",
  data: ids.map((id) => ({ id, object: "model", created, owned_by: "me" })),
});

const messagesRequired = {
  error: { message: "messages required", type: "invalid_request_error", param: "messages", code: null },
};

describe("system_fingerprint: null (openai-api-mock 0.4.0 sends it in every chunk)", () => {
  let server: ScriptedServer;
  const chunk = (delta: object, finish: string | null = null) => ({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created,
    model: MODEL,
    system_fingerprint: null,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  before(async () => {
    server = await startScripted({
      "GET /v1/models": (_q, res) => json(res, 200, modelsList(MODEL)),
      "/v1/chat/completions": (_q, res, body) => {
        const req = body.length ? JSON.parse(body.toString()) : {};
        if (!req.messages) return json(res, 400, messagesRequired);
        if (req.stream) return sse(res, [chunk({ role: "assistant", content: "hi" }), chunk({}, "stop")]);
        return json(res, 200, {
          id: "chatcmpl-1",
          object: "chat.completion",
          created,
          model: MODEL,
          system_fingerprint: null,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: "hi", refusal: null },
              finish_reason: "stop",
              logprobs: null,
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        });
      },
    });
  });
  after(() => server.close());

  test("is not a FAIL: the SDKs type the deprecated field as optional and accept null", async () => {
    const report = await probe(server, /^\/v1\/chat\/completions(\[stream\])?$/);
    for (const id of ["/v1/chat/completions", "/v1/chat/completions[stream]"]) {
      const row = byId(report, id);
      assert.ok(
        !row.problems.some((p) => p.pointer.endsWith("system_fingerprint")),
        `${id}: ${JSON.stringify(row.problems)}`,
      );
      assert.notEqual(row.status, "FAIL", `${id}: ${row.detail}`);
    }
  });
});

describe("GET /v1/models/{model} is asked only about a model /v1/models lists", () => {
  let listless: ScriptedServer;
  let listing: ScriptedServer;
  const retrieveOnly = /^\/v1\/models(\/\{model\})?$/;
  before(async () => {
    // openai-api-mock 0.4.0: no /v1/models at all, so the model comes from --model.
    listless = await startScripted({});
    // A list that lacks the --model id; retrieve answers for listed ids only, as OpenAI does.
    listing = await startScripted({
      "GET /v1/models": (_q, res) => json(res, 200, modelsList("listed-model")),
      "GET /v1/models/listed-model": (_q, res) =>
        json(res, 200, { id: "listed-model", object: "model", created, owned_by: "me" }),
    });
  });
  after(async () => {
    await listless.close();
    await listing.close();
  });

  test("no list: SKIP, not 'answers 404 for a model that /v1/models lists'", async () => {
    const report = await probe(listless, retrieveOnly, "from-flag");
    assert.equal(byId(report, "/v1/models").status, "FAIL");
    const retrieve = byId(report, "/v1/models/{model}");
    assert.equal(retrieve.status, "SKIP", retrieve.detail);
    assert.equal(retrieve.detail, "/v1/models listed no model to retrieve");
    assert.ok(!listless.requests.some((r) => r.path.startsWith("/v1/models/")));
  });

  test("--model missing from the list: the listed model is retrieved", async () => {
    const report = await probe(listing, retrieveOnly, "not-listed");
    const retrieve = byId(report, "/v1/models/{model}");
    assert.equal(retrieve.status, "PASS", retrieve.detail);
    assert.deepEqual(
      listing.requests.filter((r) => r.path.startsWith("/v1/models/")).map((r) => r.path),
      ["/v1/models/listed-model"],
    );
  });
});
