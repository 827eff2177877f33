/** The prober's verdicts against purpose-built broken servers: each defect gets its documented status and detail. */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, test } from "node:test";
import { runProbe } from "../src/probe/run.js";
import { CREATED, chatCompletion, MODEL } from "./helpers/payloads.js";
import { byId } from "./helpers/results.js";
import { json, type ScriptedServer, sse, startScripted } from "./helpers/scripted-server.js";

const created = CREATED;
const completion = chatCompletion;

const chunk = (delta: object, finish: string | null = null) => ({
  id: "c1",
  object: "chat.completion.chunk",
  created,
  model: MODEL,
  choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
});

const modelsList = { object: "list", data: [{ id: MODEL, object: "model", created, owned_by: "me" }] };

/** The parsed chat request, or undefined after answering 400 (as OpenAI does) when it has no messages. */
function chatRequest(res: ServerResponse, body: Buffer): Record<string, unknown> | undefined {
  const req = body.length ? JSON.parse(body.toString()) : {};
  if (req.messages) return req;
  json(res, 400, {
    error: { message: "messages required", type: "invalid_request_error", param: "messages", code: null },
  });
  return undefined;
}

async function probe(server: ScriptedServer, only?: RegExp, apiKey?: string) {
  return runProbe({
    baseUrl: server.url,
    apiKey,
    only,
    models: { embedding: MODEL },
    timeoutMs: 3000,
    concurrency: 4,
    depth: "quick",
    maxBodyBytes: 1 << 20,
  });
}

describe("a chat-only server with defects", () => {
  let server: ScriptedServer;
  before(async () => {
    server = await startScripted({
      "GET /v1/models": (_q, res) => json(res, 200, modelsList),
      "/v1/chat/completions": (_q, res, body) => {
        const req = chatRequest(res, body);
        if (!req) return;
        if (req.stream)
          return sse(res, [chunk({ role: "assistant", content: "hi" }), chunk({}, "stop")], { done: false });
        return json(
          res,
          200,
          completion({
            choices: [{ index: 0, message: { role: "assistant" }, finish_reason: "stop", logprobs: null }],
          }),
        );
      },
      "/v1/completions": (_q, res) =>
        json(res, 500, { error: { message: "boom", type: "server_error", param: null, code: null } }),
      "/v1/embeddings": (_q, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html>oops</html>");
      },
      "/v1/moderations": (_q, res) =>
        json(res, 501, {
          error: { message: "not implemented", type: "server_error", param: null, code: null },
        }),
    });
  });
  after(() => server.close());

  test("verdicts and details", async () => {
    const report = await probe(server);
    assert.equal(byId(report, "/v1/models").status, "PASS");
    const retrieve = byId(report, "/v1/models/{model}");
    assert.equal(retrieve.status, "WARN");
    assert.match(retrieve.detail, /404 for a model that \/v1\/models lists/);
    assert.deepEqual(
      retrieve.deviations.map((d) => d.id),
      ["model-retrieve-404"],
    );

    const chat = byId(report, "/v1/chat/completions");
    assert.equal(chat.status, "FAIL");
    assert.match(chat.detail, /`choices\[0\]\.message\.content` missing/);
    assert.ok(chat.problems.some((p) => p.pointer === "/choices/0/message/content" && p.severity === "fail"));

    // openai-node copes with a stream that just ends, so a missing [DONE] is WARN, not FAIL.
    const stream = byId(report, "/v1/chat/completions[stream]");
    assert.equal(stream.status, "WARN");
    assert.ok(stream.problems.some((p) => p.severity === "warn" && /\[DONE\]/.test(p.got)));

    assert.equal(byId(report, "/v1/completions").status, "FAIL");
    assert.match(byId(report, "/v1/completions").detail, /^500 — boom/);

    const embeddings = byId(report, "/v1/embeddings");
    assert.equal(embeddings.status, "FAIL");
    assert.match(embeddings.detail, /HTML/);

    const speech = byId(report, "/v1/audio/speech");
    assert.equal(speech.status, "FAIL");
    assert.equal(speech.detail, "404 — endpoint absent");
    const translations = byId(report, "/v1/audio/translations");
    assert.equal(translations.status, "WARN");
    assert.equal(translations.detail, "404 — not implemented (optional)");

    const moderation = byId(report, "/v1/moderations");
    assert.equal(moderation.status, "WARN");
    assert.match(moderation.detail, /^501 — not implemented/);

    const videoStatus = byId(report, "/v1/videos/{id}");
    assert.equal(videoStatus.status, "SKIP");
    assert.equal(
      report.summary.PASS + report.summary.WARN + report.summary.FAIL + report.summary.SKIP,
      report.results.length,
    );
  });
});

describe("auth", () => {
  let server: ScriptedServer;
  before(async () => {
    server = await startScripted({}, (q, res) => {
      if (q.headers.authorization !== "Bearer sekrit-key-123") {
        return json(res, 401, {
          error: { message: "bad key", type: "invalid_request_error", param: null, code: "invalid_api_key" },
        });
      }
      json(res, 200, modelsList);
    });
  });
  after(() => server.close());

  test("401 without a key is SKIP 'auth required', not FAIL", async () => {
    const report = await probe(server, /^\/v1\/models$/);
    const r = byId(report, "/v1/models");
    assert.equal(r.status, "SKIP");
    assert.match(r.detail, /auth required; pass --api-key/);
  });

  test("a wrong key is SKIP 'key rejected' with how to fix it: the user's key, not a server defect", async () => {
    const report = await probe(server, /^\/v1\/models$/, "wrong-key-456");
    assert.equal(byId(report, "/v1/models").status, "SKIP");
    assert.equal(
      byId(report, "/v1/models").detail,
      "401 — key rejected: bad key; check --api-key and how it is sent (--auth bearer|api-key, -H)",
    );
  });
});

test("an unreachable target is a usage error", async () => {
  const server = await startScripted({});
  const url = server.url;
  await server.close();
  await assert.rejects(
    runProbe({ baseUrl: url, timeoutMs: 2000, concurrency: 2, depth: "quick", maxBodyBytes: 1024 }),
    /cannot reach/,
  );
});

test("a catch-all deviation on an absent route is listed but does not replace the route's verdict", async () => {
  const server = await startScripted({
    "GET /v1/models": (_q, res) => json(res, 200, modelsList),
    "/v1/files": (_q, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("404 page not found");
    },
  });
  try {
    const report = await probe(server, /^\/v1\/files$/);
    const files = byId(report, "/v1/files");
    assert.equal(files.status, "WARN");
    assert.equal(files.detail, "404 — not implemented (optional)");
    assert.deepEqual(
      files.deviations.map((d) => d.id),
      ["error-not-envelope"],
    );
  } finally {
    await server.close();
  }
});

test("a 404 counts as 'the route exists' only when it complains about the model", async () => {
  const { mentionsModel } = await import("../src/probe/existence.js");
  const says = (text: string) => mentionsModel(new TextEncoder().encode(text));
  assert.ok(says('{"error":{"message":"model \\"\\" not found, try pulling it first"}}'));
  assert.ok(says('{"error":{"message":"The model `x` does not exist","code":"model_not_found"}}'));
  assert.ok(says("unknown model: x"));
  assert.ok(!says("404 page not found"));
  assert.ok(!says('{"detail":"Not Found"}'));
  assert.ok(!says("Cannot POST /v1/models/aioc-chat"), "an echoed URL is not a complaint");
});

test("deep depth repeats a behaviour row: a model that writes JSON arguments 2 of 3 times is WARN '2/3 runs passed'", async () => {
  let call = 0;
  const toolCall = {
    id: "call_1",
    type: "function",
    function: { name: "get_weather", arguments: '{"city":"x"}' },
  };
  const server = await startScripted({
    "GET /v1/models": (_q, res) => json(res, 200, modelsList),
    "/v1/chat/completions": (_q, res, body) => {
      const req = chatRequest(res, body);
      if (!req) return;
      if (!req.tools) return json(res, 200, completion());
      // The forced call always comes (the server enforces tool_choice); its arguments are the model's.
      const good = call++ % 3 !== 1;
      const tool_calls = [
        good ? toolCall : { ...toolCall, function: { ...toolCall.function, arguments: "x" } },
      ];
      const message = { role: "assistant", content: null, refusal: null, tool_calls };
      return json(
        res,
        200,
        completion({ choices: [{ index: 0, message, finish_reason: "tool_calls", logprobs: null }] }),
      );
    },
  });
  try {
    const report = await runProbe({
      baseUrl: server.url,
      only: /\[tools\]$/,
      timeoutMs: 3000,
      concurrency: 2,
      depth: "deep",
      maxBodyBytes: 1 << 20,
    });
    const tools = byId(report, "/v1/chat/completions[tools]");
    assert.equal(tools.status, "WARN");
    assert.match(tools.detail, /\(model behaviour\) · 2\/3 runs passed$/);
    assert.equal(tools.requests, 3);
  } finally {
    await server.close();
  }
});
