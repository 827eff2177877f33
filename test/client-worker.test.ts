// The client worker (src/clients/worker-pool.ts): SDK calls run on their own thread while every request they
// make comes back to the probe thread's row HTTP, which alone holds the key and the network.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { runClientCall } from "../src/clients/worker-pool.js";
import type { HttpOutcome, HttpRequest } from "../src/http/types.js";
import type { RowHttp } from "../src/probe/types.js";

const CHAT = JSON.stringify({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "hi there" }, finish_reason: "stop" }],
});

function fakeHttp(answer: (req: HttpRequest) => HttpOutcome): RowHttp & { sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  return {
    sent,
    send: async (req) => {
      sent.push(req);
      return answer(req);
    },
  };
}

const ok = (status: number, body: string, contentType = "application/json") =>
  ({
    ok: true,
    res: {
      status,
      headers: { "content-type": contentType },
      contentType,
      body: new TextEncoder().encode(body),
      truncated: false,
      ttfbMs: 1,
      latencyMs: 1,
    },
  }) as unknown as HttpOutcome;

test("an SDK call runs in the worker; its request reaches the row's HTTP without the SDK's Authorization", async () => {
  const http = fakeHttp(() => ok(200, CHAT));
  const run = await runClientCall({ sdk: "openai-node", call: "chat", model: "m" }, http);
  assert.equal(run.inWorker, true);
  assert.deepEqual(run.result, { status: "PASS", detail: 'content "hi there"' });
  assert.equal(run.status, 200);
  assert.equal(http.sent.length, 1);
  const [req] = http.sent;
  assert.equal(req!.method, "POST");
  assert.equal(req!.path, "/v1/chat/completions");
  assert.equal(req!.headers?.authorization, undefined);
  assert.equal(JSON.parse(req!.raw ?? "{}").model, "m");
});

test("a multipart upload crosses the thread boundary as a form with its file", async () => {
  const http = fakeHttp(() => ok(200, JSON.stringify({ text: "hello" })));
  const run = await runClientCall({ sdk: "openai-node", call: "audio.transcriptions", model: "m" }, http);
  assert.equal(run.result.status, "PASS", run.result.detail);
  const form = http.sent[0]!.form;
  assert.ok(form instanceof FormData);
  const file = form.get("file");
  assert.ok(file instanceof File);
  assert.equal(file.name, "probe.wav");
  assert.ok(file.size > 44, "the WAV bytes arrived");
  assert.equal(form.get("model"), "m");
});

test("a transport failure reaches the SDK as fetch's TypeError, and concurrent calls each get their own answers", async () => {
  const failing = fakeHttp(
    () =>
      ({
        ok: false,
        error: { kind: "timeout", message: "no response within 1.5 s" },
      }) as unknown as HttpOutcome,
  );
  const fine = fakeHttp(() => ok(200, CHAT));
  const [bad, good] = await Promise.all([
    runClientCall({ sdk: "openai-node", call: "chat", model: "m" }, failing),
    runClientCall({ sdk: "openai-node", call: "chat", model: "m" }, fine),
  ]);
  assert.equal(bad.result.status, "FAIL");
  assert.match(bad.result.detail, /^openai-node threw: APIConnectionError: .*\(in chat\)$/);
  assert.equal(bad.status, null);
  assert.equal(good.result.status, "PASS");
});

test("a worker started but never given a call does not keep the process alive", () => {
  const code = `
    const { preloadInWorker } = await import(${JSON.stringify(new URL("../src/clients/worker-pool.ts", import.meta.url).href)});
    preloadInWorker(["openai-node"]);
    console.log("started");
  `;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(child.signal, null, "the process did not exit by itself");
  assert.equal(child.stdout.trim(), "started");
});

test("an idle worker does not keep the process alive", () => {
  const code = `
    const { runClientCall } = await import(${JSON.stringify(new URL("../src/clients/worker-pool.js", import.meta.url).href)});
    const body = new TextEncoder().encode(${JSON.stringify(CHAT)});
    const http = { send: async () => ({ ok: true, res: { status: 200, headers: { "content-type": "application/json" }, body } }) };
    const run = await runClientCall({ sdk: "openai-node", call: "chat", model: "m" }, http);
    console.log(run.inWorker, run.result.status);
  `;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(child.signal, null, "the process did not exit by itself");
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), "true PASS");
});
