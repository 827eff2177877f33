/** `probe --record` and `serve --replay`: a recording reproduces the server it was made from, row for row. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { bodyBytes, Recorder, type Recording } from "../src/http/record.js";
import { runProbe } from "../src/probe/run.js";
import type { Report } from "../src/report/types.js";
import { startReplay } from "../src/serve/replay.js";
import { bodySignature } from "../src/serve/replay-match.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { json, startScripted } from "./helpers/scripted-server.js";

const run = promisify(execFile);
const KEY = "sk-field-record-0123456789abcdef";
// A recording holds HTTP exchanges; a WebSocket session (/v1/realtime) is not replayed.
const options = {
  timeoutMs: 10_000,
  concurrency: 4,
  maxBodyBytes: 16 << 20,
  depth: "standard",
  skip: /^\/v1\/realtime$/,
} as const;

async function record(baseUrl: string, apiKey?: string, maxBodyBytes?: number) {
  const recorder = new Recorder({ url: baseUrl }, { secrets: [apiKey], maxBodyBytes });
  const report = await runProbe({
    baseUrl,
    apiKey,
    ...options,
    onRaw: (raw) => recorder.add(raw, raw.req.row ?? ""),
  });
  return { report, recording: recorder.recording() };
}

function verdicts(report: Report) {
  // Timing figures (TTFT, tokens/s) are measurements of this run, not verdicts.
  const untimed = (d: string) => d.replace(/ · TTFT \d+ ms/, "").replace(/ · [\d.]+ tok\/s/, "");
  return report.results.map((r) => `${r.id}: ${r.status} ${untimed(r.detail)}`);
}

function writeRecording(recording: Recording): string {
  const file = join(mkdtempSync(join(tmpdir(), "aioc-replay-")), "recording.json");
  writeFileSync(file, JSON.stringify(recording));
  return file;
}

/** One raw request to a replay server: status, body, and how many chunks the body came in. */
function send(url: string, body: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; chunks: number }>((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", ...headers } });
    req.on("response", (res) => {
      let text = "";
      let chunks = 0;
      res.on("data", (c: Buffer) => {
        chunks++;
        text += c.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, chunks }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("record, then replay aioc serve", () => {
  let origin: RunningServer;
  let replay: RunningServer;
  let original: Report;
  let recording: Recording;
  before(async () => {
    origin = await startServer({ apiKey: KEY });
    ({ report: original, recording } = await record(origin.url, KEY));
    replay = await startReplay({ file: writeRecording(recording) });
  });
  after(async () => {
    await origin.close();
    await replay.close();
  });

  test("the replay yields the same verdict and detail on every row, with any key", async () => {
    const replayed = await runProbe({ baseUrl: replay.url, apiKey: "sk-some-other-key-42", ...options });
    assert.deepEqual(verdicts(replayed), verdicts(original));
  });

  test("every exchange is kept, named by its row, the key in no spelling", () => {
    assert.equal(recording.exchanges.length, original.requests);
    assert.ok(recording.exchanges.every((e) => original.results.some((r) => r.id === e.row) || e.row));
    const text = JSON.stringify(recording);
    assert.ok(!text.includes(KEY), "the key must not be in the recording");
    assert.ok(!text.includes(Buffer.from(KEY).toString("base64").slice(0, 20)));
    const keyed = recording.exchanges.find((e) => e.request.auth === "key")!;
    assert.equal(keyed.request.headers.authorization, "Bearer [REDACTED]");
    assert.ok(recording.exchanges.some((e) => e.request.auth === "none"));
    assert.ok(recording.exchanges.some((e) => e.request.auth === "wrong"));
  });

  test("a stream is replayed as a stream: one write per event", async () => {
    const streamed = recording.exchanges.find(
      (e) => e.row === "/v1/chat/completions[stream]" && bodyBytes(e.request.body).includes('"stream":true'),
    )!;
    const res = await send(`${replay.url}/chat/completions`, bodyBytes(streamed.request.body).toString(), {
      authorization: "Bearer whatever",
    });
    assert.equal(res.status, 200);
    assert.equal(res.body, bodyBytes(streamed.response!.body).toString());
    assert.ok(res.chunks > 3, `${res.chunks} chunks`);
  });

  test("an unrecorded request: 404 with an OpenAI error envelope that says so", async () => {
    const res = await send(
      `${replay.url}/chat/completions`,
      JSON.stringify({ model: "m", messages: [], n: 7 }),
      {
        authorization: "Bearer whatever",
      },
    );
    assert.equal(res.status, 404);
    const error = JSON.parse(res.body).error;
    assert.equal(error.code, "not_recorded");
    assert.equal(error.type, "invalid_request_error");
    assert.match(error.message, /no recorded exchange for POST \/v1\/chat\/completions matches/);
    const other = await send(`${replay.url}/nowhere`, "{}");
    assert.match(JSON.parse(other.body).error.message, /no exchange for POST \/v1\/nowhere was recorded/);
  });

  test("`aioc probe --record` and `aioc serve --replay` on the command line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aioc-record-cli-"));
    const file = join(dir, "rec.json");
    await run(
      process.execPath,
      [
        "bin/aioc.js",
        "probe",
        origin.url,
        "--api-key",
        KEY,
        "--only",
        "^/v1/models$",
        "--record",
        file,
        "-q",
      ],
      { env: { ...process.env, AIOC_API_KEY: "" } },
    );
    const saved = JSON.parse(readFileSync(file, "utf8")) as Recording;
    assert.equal(saved.format, "aioc-recording");
    assert.ok(saved.exchanges.some((e) => e.row === "/v1/models"));
    assert.ok(!readFileSync(file, "utf8").includes(KEY));
    const bad = await run(process.execPath, [
      "bin/aioc.js",
      "serve",
      "--port",
      "0",
      "--replay",
      join(dir, "x"),
    ]).catch((e: { code: number; stderr: string }) => e);
    assert.equal((bad as { code: number }).code, 2);
    assert.match((bad as { stderr: string }).stderr, /cannot read .*x: ENOENT/);
  });
});

describe("recording: redaction and caps", () => {
  test("a key echoed in headers, text and binary bodies is redacted before the body is cut", async () => {
    const echo = `{"echo":"${KEY}","pad":"${"x".repeat(5000)}"}`;
    const server = await startScripted({
      "GET /v1/models": (_q, res) => json(res, 200, { object: "list", data: [] }, { "x-echo": KEY }),
      "/v1/chat/completions": (_q, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(echo);
      },
      "/v1/audio/speech": (_q, res) => {
        res.writeHead(200, { "content-type": "audio/mpeg" });
        res.end(Buffer.concat([Buffer.from([0xff, 0xf3, 0x00, 0x01]), Buffer.from(KEY), Buffer.alloc(64)]));
      },
    });
    try {
      const { recording } = await record(server.url, KEY, 1024);
      const text = JSON.stringify(recording);
      assert.ok(!text.includes(KEY));
      const models = recording.exchanges.find((e) => e.row === "/v1/models")!;
      assert.equal(models.response!.headers["x-echo"], "[REDACTED]");
      const chat = recording.exchanges.find(
        (e) => e.response?.body && "text" in e.response.body && e.response.body.text.startsWith('{"echo"'),
      )!;
      assert.ok(chat, "the chat body is kept as text");
      assert.equal(chat.response!.body.truncated, true);
      assert.match(bodyBytes(chat.response!.body).toString(), /^\{"echo":"\[REDACTED\]"/);
      assert.equal(bodyBytes(chat.response!.body).length, 1024);
      const speech = recording.exchanges.find((e) => e.response && "base64" in e.response.body)!;
      assert.ok(speech, "binary bodies are kept as base64");
      assert.ok(!bodyBytes(speech.response!.body).includes(KEY));
      assert.ok(bodyBytes(speech.response!.body).includes("[REDACTED]"));
    } finally {
      await server.close();
    }
  });

  test("the salient signature ignores the prober's wording and aioc's random ids, not protocol fields", () => {
    const sig = (v: unknown) => bodySignature("application/json", Buffer.from(JSON.stringify(v)));
    const chat = (content: string, extra = {}) => ({
      model: "m",
      messages: [{ role: "user", content }],
      ...extra,
    });
    assert.equal(sig(chat("Say hi.")), sig(chat("Say hello, please.")));
    assert.notEqual(sig(chat("hi")), sig(chat("hi", { stream: true })));
    assert.notEqual(sig(chat("hi")), sig(chat("hi", { tools: [] })));
    assert.notEqual(sig(chat("hi", { max_tokens: 1 })), sig(chat("hi", { max_tokens: 16 })));
    assert.notEqual(sig(chat("hi")), sig({ ...chat("hi"), messages: [{ role: "system", content: "hi" }] }));
    assert.equal(
      sig({ model: "aioc-no-such-model-0a1b2c3d" }),
      sig({ model: "aioc-no-such-model-99887766" }),
    );
    assert.notEqual(sig({ model: "a" }), sig({ model: "b" }));
    assert.equal(
      bodySignature("application/json", Buffer.from("{not json")),
      bodySignature("", Buffer.from("{not json")),
    );
    const form = (boundary: string, model: string) =>
      bodySignature(
        `multipart/form-data; boundary=${boundary}`,
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\n${model}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF\r\n--${boundary}--\r\n`,
        ),
      );
    assert.equal(form("b1", "whisper"), form("other-boundary", "whisper"));
    assert.notEqual(form("b1", "whisper"), form("b1", "tiny"));
  });
});
