/** Scope: --expect, the server's own word about itself, the kind rule; multi --group, --only/--skip by row id. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { selectRows } from "../src/probe/plan.js";
import { runProbe } from "../src/probe/run.js";
import {
  applyScope,
  capabilityOf,
  claimsFromModels,
  parseExpect,
  pathsFromOpenapi,
} from "../src/probe/scope.js";
import { renderTable } from "../src/render/table.js";
import type { Report, Result } from "../src/report/types.js";
import { resolveQuirkList } from "../src/serve/quirks.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { runAiocAsync } from "./helpers/report-cli.js";
import { json, type ScriptedServer, startScripted } from "./helpers/scripted-server.js";

const options = { timeoutMs: 10_000, concurrency: 4, maxBodyBytes: 16 << 20, depth: "standard" } as const;
const row = (report: Report, id: string): Result => report.results.find((r) => r.id === id)!;

describe("--expect against the llama.cpp profile", () => {
  let llama: RunningServer;
  before(async () => {
    const { quirks, missing, openapi } = resolveQuirkList(["llama.cpp"]);
    llama = await startServer({ port: 0, host: "127.0.0.1", quirks, missing, openapi });
  });
  after(() => llama.close());

  test("without --expect, absent speech and image routes FAIL by kind, and the table says which rule", async () => {
    const report = await runProbe({ baseUrl: llama.url, ...options });
    assert.equal(row(report, "/v1/audio/speech").status, "FAIL");
    assert.equal(row(report, "/v1/images/generations").status, "FAIL");
    assert.equal(report.scope?.rule, "kind");
    assert.match(renderTable(report, { color: false }), /scope: by row kind/);
  });

  test("--expect llm: absent routes outside it are SKIP 'not offered', only the server's own findings FAIL", async () => {
    const report = await runProbe({ baseUrl: llama.url, ...options, expect: parseExpect("llm") });
    for (const id of ["/v1/audio/speech", "/v1/images/generations", "/v1/images/edits", "/v1/videos"]) {
      const r = row(report, id);
      assert.equal(r.status, "SKIP", `${id}: ${r.detail}`);
      assert.equal(r.detail, "not offered (404); outside --expect");
    }
    assert.equal(
      row(report, "client:openai-node/audio.speech").detail,
      "base row /v1/audio/speech not offered",
    );
    // What still FAILs is about routes the server has: none is an absence.
    const failing = report.results.filter((r) => r.status === "FAIL");
    assert.ok(failing.some((r) => r.id === "/v1/chat/completions[error-invalid-json]"));
    for (const r of failing)
      assert.ok(r.httpStatus !== 404 && !/absent/.test(r.detail), `${r.id}: ${r.detail}`);
    assert.equal(report.scope?.rule, "expect");
    assert.deepEqual(report.scope?.capabilities, ["chat", "completions", "embeddings"]);
    assert.match(renderTable(report, { color: false }), /scope: --expect chat,completions,embeddings/);
  });

  test("absent rows inside --expect FAIL, even ext ones", async () => {
    const report = await runProbe({
      baseUrl: llama.url,
      ...options,
      expect: parseExpect("chat,tts,moderations"),
    });
    assert.equal(row(report, "/v1/audio/speech").status, "FAIL");
    assert.match(row(report, "/v1/audio/speech").detail, /but --expect includes tts/);
    const mod = row(report, "/v1/moderations");
    assert.equal(mod.kind, "ext");
    assert.equal(mod.status, "FAIL", mod.detail);
  });
});

describe("the server's word about itself", () => {
  let scripted: ScriptedServer;
  let openapi: ScriptedServer;
  before(async () => {
    const chat = { id: "c", object: "chat.completion", created: 1, model: "m", choices: [] };
    // A llama.cpp-like list: `models[].capabilities` says it only completes text.
    scripted = await startScripted({
      "/v1/models": (_q, res) =>
        json(res, 200, {
          object: "list",
          data: [{ id: "m", object: "model", created: 1, owned_by: "x" }],
          models: [{ name: "m", model: "m", capabilities: ["completion"] }],
        }),
      "/v1/chat/completions": (_q, res) => json(res, 400, { error: { message: "bad", type: "x" } }),
      "/v1/embeddings": (_q, res) => json(res, 200, chat),
    });
    openapi = await startScripted({
      "/v1/models": (_q, res) =>
        json(res, 200, { object: "list", data: [{ id: "m", object: "model", created: 1, owned_by: "x" }] }),
      "/openapi.json": (_q, res) =>
        json(res, 200, {
          openapi: "3.1.0",
          paths: { "/v1/models": {}, "/v1/chat/completions": {}, "/v1/audio/speech": {} },
        }),
    });
  });
  after(async () => {
    await scripted.close();
    await openapi.close();
  });

  test("/v1/models capability fields: unclaimed absent routes are not offered, claimed ones keep the kind rule", async () => {
    const report = await runProbe({ baseUrl: scripted.url, ...options, depth: "quick", clients: false });
    assert.equal(report.scope?.rule, "server");
    const speech = row(report, "/v1/audio/speech");
    assert.equal(speech.status, "SKIP");
    assert.equal(speech.detail, "not offered (404); the server claims no tts capability");
    assert.equal(row(report, "/v1/responses").status, "WARN", "claimed (completion) ext row keeps its WARN");
    assert.ok(
      !scripted.requests.some((r) => r.path === "/openapi.json"),
      "no extra request when /v1/models says",
    );
    assert.match(
      renderTable(report, { color: false }),
      /scope: from \/v1\/models \(chat, completions, responses\)/,
    );
  });

  test("its /openapi.json: routes it lists yet 404 FAIL, routes it does not list are not offered", async () => {
    const report = await runProbe({ baseUrl: openapi.url, ...options, depth: "quick", clients: false });
    assert.equal(report.scope?.rule, "server");
    assert.match(row(report, "/v1/audio/speech").detail, /although its \/openapi\.json lists it/);
    assert.equal(row(report, "/v1/audio/speech").status, "FAIL");
    assert.equal(row(report, "/v1/embeddings").status, "SKIP");
    assert.equal(row(report, "/v1/embeddings").detail, "not offered (404); not in its /openapi.json");
    assert.equal(openapi.requests.filter((r) => r.path === "/openapi.json").length, 1);
  });

  test("claims are read from the fields servers use; names alone are no claim", () => {
    assert.equal(claimsFromModels({ data: [{ id: "whisper-1" }, { id: "tts-1" }] }), undefined);
    assert.deepEqual([...claimsFromModels({ data: [{ id: "a", type: "embeddings" }] })!], ["embeddings"]);
    assert.deepEqual(
      [...claimsFromModels({ data: [{ id: "a", model_info: { mode: "audio_speech" } }] })!],
      ["tts"],
    );
    assert.deepEqual(
      [...claimsFromModels({ data: [{ id: "a", architecture: { modality: "text+image->text" } }] })!],
      ["chat", "completions", "responses"],
    );
    assert.deepEqual(
      [
        ...claimsFromModels({ data: [{ id: "a", capabilities: { completion_chat: true, vision: false } }] })!,
      ].sort(),
      ["chat", "completions", "responses"],
    );
    assert.equal(
      pathsFromOpenapi({ paths: { "/items": {} } }),
      undefined,
      "a generic app's document says nothing",
    );
    assert.ok(
      pathsFromOpenapi({ paths: { "/v1/models/{model_id}": {}, "/v1/models": {} } })!.has("/v1/models/{}"),
    );
  });

  test("a route that exists is never re-graded", () => {
    const present = {
      id: "/v1/audio/speech",
      path: "/v1/audio/speech",
      phase: "B",
      httpStatus: 404,
      status: "FAIL",
      detail: "404 — model not found",
    };
    const out = applyScope([present as Result], { rule: "expect", expected: ["models", "chat"] });
    assert.equal(out[0], present);
  });
});

describe("selection", () => {
  test("--group takes several groups; --only and --skip match row ids", () => {
    const rows = selectRows({ depth: "standard", groups: ["chat", "embeddings"] });
    assert.deepEqual([...new Set(rows.map((r) => r.group))].sort(), ["chat", "embeddings"]);
    const noClients = selectRows({ depth: "standard", skip: /^client:/ });
    assert.ok(noClients.length > 0 && noClients.every((r) => !r.id.startsWith("client:")));
    // Matching ids, not paths: client rows carry their base row's path, yet `^/v1/embeddings` leaves them out.
    const emb = selectRows({ depth: "standard", only: /^\/v1\/embeddings/ });
    assert.ok(
      emb.length === 4 && emb.every((r) => r.id.startsWith("/v1/embeddings")),
      emb.map((r) => r.id).join(),
    );
  });

  test("every capability maps from a catalog path; unknown --expect words are one-line errors", () => {
    assert.equal(capabilityOf("/v1/videos/{id}/content"), "videos");
    assert.equal(capabilityOf("/v1/audio/translations"), "translations");
    assert.throws(() => parseExpect("chat,speach"), /unknown capability "speach"/);
    assert.deepEqual(parseExpect("speech"), ["models", "tts", "stt"]);
  });

  test("an empty selection exits 2 with one line, and multi --group works on the CLI", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1" });
    try {
      const none = await runAiocAsync(["probe", server.url, "--only", "nomatch", "-f", "json"]);
      assert.equal(none.code, 2);
      assert.equal(none.stderr, "aioc: no row matches --only nomatch\n");
      const bad = await runAiocAsync(["probe", server.url, "--group", "chat,chats"]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /unknown group "chats"/);
      const two = await runAiocAsync([
        "probe",
        server.url,
        "--group",
        "models,embeddings",
        "--skip",
        "^client:|\\[",
        "-f",
        "json",
      ]);
      assert.equal(two.code, 0, two.stderr);
      const ids = (JSON.parse(two.stdout) as Report).results.map((r) => r.id);
      assert.deepEqual(ids, [
        "/v1/models",
        "/v1/models/{model}",
        "/v1/embeddings",
        "openapi:declared",
        "/v1/rerank",
      ]);
    } finally {
      await server.close();
    }
  });
});
