/**
 * The reference server on the wire, without the SDK: SSE framing byte for byte, error envelopes,
 * --api-key, --missing, --latency and the body cap.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { silentWav } from "../src/fixtures/media.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { validateShape } from "../src/shapes/validate.js";

const KEY = "sk-aioc-test-key-0123456789";

interface Sent {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

async function send(url: string, init: RequestInit & { json?: unknown } = {}): Promise<Sent> {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    method: rest.method ?? (json !== undefined || rest.body !== undefined ? "POST" : "GET"),
    body: json !== undefined ? JSON.stringify(json) : rest.body,
    headers: { ...(json !== undefined ? { "content-type": "application/json" } : {}), ...rest.headers },
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** Asserts an OpenAI error envelope with the given status and (optionally) param / code. */
function assertError(
  res: Sent,
  status: number,
  expect: { param?: string | null; code?: string | null } = {},
) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(validateShape("Error", res.body), []);
  const error = (res.body as { error: { type: string; param: unknown; code: unknown } }).error;
  assert.equal(typeof error.type, "string");
  if ("param" in expect) assert.equal(error.param, expect.param);
  if ("code" in expect) assert.equal(error.code, expect.code);
}

const chat = (extra: Record<string, unknown> = {}) => ({
  model: "aioc-chat",
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});

/** Splits an SSE body into frames, asserting each is `[event: x\n]data: y` and the body ends with a blank line. */
function frames(text: string): { event?: string; data: string }[] {
  assert.ok(text.endsWith("\n\n"), "the stream ends with a blank line");
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((frame) => {
      const m = /^(?:event: (\S+)\n)?data: (.*)$/s.exec(frame);
      assert.ok(m, `malformed frame: ${JSON.stringify(frame)}`);
      assert.ok(!m[2]!.includes("\n"), "one data line per frame");
      return { event: m[1], data: m[2]! };
    });
}

describe("aioc serve on the wire", () => {
  let server: RunningServer;
  let base: string;
  before(async () => {
    server = await startServer({ port: 0, host: "127.0.0.1" });
    base = server.url;
  });
  after(() => server.close());

  test("chat stream framing: data frames, one id, role first, one finish, usage chunk, [DONE] last", async () => {
    const res = await send(`${base}/chat/completions`, {
      json: chat({ stream: true, stream_options: { include_usage: true }, logprobs: true, top_logprobs: 1 }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    const all = frames(res.text);
    assert.equal(all.at(-1)?.data, "[DONE]");
    assert.ok(all.every((f) => f.event === undefined));
    const chunks = all.slice(0, -1).map((f) => JSON.parse(f.data));
    for (const c of chunks) assert.deepEqual(validateShape("ChatCompletionChunk", c), []);
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1);
    assert.equal(chunks[0].choices[0].delta.role, "assistant");
    assert.equal(chunks.filter((c) => c.choices[0]?.finish_reason).length, 1);
    const withLogprobs = chunks.filter((c) => c.choices[0]?.delta.content);
    assert.ok(withLogprobs.every((c) => c.choices[0].logprobs.content.length === 1));
    assert.deepEqual(chunks.at(-1).choices, []);
    assert.ok(chunks.at(-1).usage.total_tokens > 0);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
  });

  test("chat stream without include_usage has no usage chunk; n=2 gives one finish per choice", async () => {
    const res = await send(`${base}/chat/completions`, { json: chat({ stream: true, n: 2 }) });
    const chunks = frames(res.text)
      .slice(0, -1)
      .map((f) => JSON.parse(f.data));
    assert.ok(chunks.every((c) => !("usage" in c) && c.choices.length === 1));
    const finishes = chunks.filter((c) => c.choices[0].finish_reason).map((c) => c.choices[0].index);
    assert.deepEqual(finishes, [0, 1]);
  });

  test("completions stream ends with [DONE]; responses stream is typed events without [DONE]", async () => {
    const legacy = await send(`${base}/completions`, {
      json: { model: "aioc-chat", prompt: "hi", stream: true },
    });
    const legacyFrames = frames(legacy.text);
    assert.equal(legacyFrames.at(-1)?.data, "[DONE]");
    for (const f of legacyFrames.slice(0, -1))
      assert.deepEqual(validateShape("TextCompletion", JSON.parse(f.data)), []);

    const res = await send(`${base}/responses`, { json: { model: "aioc-chat", input: "hi", stream: true } });
    const events = frames(res.text);
    assert.ok(!res.text.includes("[DONE]"));
    let seq = -1;
    for (const f of events) {
      const data = JSON.parse(f.data);
      assert.equal(f.event, data.type, "event: line matches the payload type");
      assert.ok(data.sequence_number > seq);
      seq = data.sequence_number;
    }
    assert.equal(events.at(-1)?.event, "response.completed");
  });

  test("responses: max_output_tokens makes an incomplete response", async () => {
    const res = await send(`${base}/responses`, {
      json: { model: "aioc-chat", input: "Count from 1 to 200.", max_output_tokens: 16 },
    });
    assert.deepEqual(validateShape("Response", res.body), []);
    const body = res.body as {
      status: string;
      incomplete_details: unknown;
      usage: { output_tokens: number };
    };
    assert.equal(body.status, "incomplete");
    assert.deepEqual(body.incomplete_details, { reason: "max_output_tokens" });
    assert.equal(body.usage.output_tokens, 16);
  });

  test("error envelopes: invalid JSON, missing fields, unknown model, wrong method, unknown path", async () => {
    assertError(await send(`${base}/chat/completions`, { method: "POST", body: "{not json" }), 400, {
      param: null,
    });
    assertError(await send(`${base}/chat/completions`, { method: "POST", body: "[1,2]" }), 400);
    assertError(await send(`${base}/chat/completions`, { json: { messages: [] } }), 400, { param: "model" });
    assertError(await send(`${base}/chat/completions`, { json: { model: "aioc-chat" } }), 400, {
      param: "messages",
    });
    assertError(await send(`${base}/completions`, { json: { model: "aioc-chat" } }), 400, {
      param: "prompt",
    });
    assertError(await send(`${base}/responses`, { json: { model: "aioc-chat" } }), 400, { param: "input" });
    assertError(await send(`${base}/embeddings`, { json: { model: "aioc-embedding" } }), 400, {
      param: "input",
    });
    assertError(await send(`${base}/images/generations`, { json: { model: "aioc-image" } }), 400, {
      param: "prompt",
    });
    assertError(await send(`${base}/audio/speech`, { json: { model: "aioc-tts", input: "x" } }), 400, {
      param: "voice",
    });
    assertError(await send(`${base}/chat/completions`, { json: chat({ n: 0 }) }), 400, { param: "n" });
    assertError(await send(`${base}/chat/completions`, { json: chat({ model: "gpt-9" }) }), 404, {
      code: "model_not_found",
    });
    assertError(await send(`${base}/models/gpt-9`), 404, { code: "model_not_found" });
    const wrong = await send(`${base}/chat/completions`);
    assertError(wrong, 405);
    assert.equal(wrong.headers.get("allow"), "POST");
    assertError(await send(`${base}/nothing/here`), 404);
    assertError(await send(`${server.url.replace(/\/v1$/, "")}/`), 404);
  });

  test("multipart endpoints: JSON is rejected; file and model are required", async () => {
    assertError(
      await send(`${base}/images/edits`, { json: { model: "aioc-image", prompt: "x", image: "a.png" } }),
      400,
    );
    const form = (fields: Record<string, string>, file = true) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.append(k, v);
      if (file) f.append("file", new Blob([silentWav()], { type: "audio/wav" }), "a.wav");
      return f;
    };
    assertError(
      await send(`${base}/audio/transcriptions`, {
        method: "POST",
        body: form({ model: "aioc-whisper" }, false),
      }),
      400,
      {
        param: "file",
      },
    );
    assertError(await send(`${base}/audio/transcriptions`, { method: "POST", body: form({}) }), 400, {
      param: "model",
    });
    assertError(
      await send(`${base}/audio/translations`, { method: "POST", body: form({ model: "nope" }) }),
      404,
      {
        code: "model_not_found",
      },
    );
    const ok = await send(`${base}/audio/transcriptions`, {
      method: "POST",
      body: form({ model: "aioc-whisper" }),
    });
    assert.equal(ok.status, 200);
    assertError(
      await send(`${base}/images/variations`, { method: "POST", body: form({ model: "aioc-image" }) }),
      400,
      {
        param: "image",
      },
    );
  });

  test("videos: JSON create; content before completion is 409; unknown id is 404", async () => {
    const created = await send(`${base}/videos`, {
      json: { model: "aioc-video", prompt: "a wave", seconds: 8 },
    });
    assert.equal(created.status, 200);
    assert.deepEqual(validateShape("Video", created.body), []);
    const video = created.body as { id: string; seconds: string };
    assert.equal(video.seconds, "8");
    assertError(await send(`${base}/videos/${video.id}/content`), 409);
    assert.equal((await send(`${base}/videos/${video.id}`)).status, 200);
    const content = await fetch(`${base}/videos/${video.id}/content`);
    assert.equal(content.headers.get("content-type"), "video/mp4");
    assertError(await send(`${base}/videos/video_nope`), 404);
    assertError(await send(`${base}/videos/video_nope/content`), 404);
    assertError(await send(`${base}/videos`, { json: { model: "aioc-video" } }), 400, { param: "prompt" });
  });

  test("a body over 25 MB is a 413 envelope and the server keeps serving", async () => {
    const big = new Uint8Array(25 * 1024 * 1024 + 10).fill(0x20);
    assertError(await send(`${base}/chat/completions`, { method: "POST", body: big }), 413);
    assert.equal((await send(`${base}/models`)).status, 200);
  });
});

describe("aioc serve options", () => {
  test("--api-key: 401 without or with a wrong key, 200 with it, and the key is never echoed", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1", apiKey: KEY });
    try {
      const none = await send(`${server.url}/models`);
      assertError(none, 401, { code: "invalid_api_key" });
      const wrong = await send(`${server.url}/chat/completions`, {
        json: chat(),
        headers: { authorization: "Bearer sk-wrong" },
      });
      assertError(wrong, 401, { code: "invalid_api_key" });
      assert.equal((await send(`${server.url}/nothing`)).status, 401, "auth comes before routing");
      const ok = await send(`${server.url}/chat/completions`, {
        json: chat(),
        headers: { authorization: `Bearer ${KEY}` },
      });
      assert.equal(ok.status, 200);
      for (const res of [none, wrong, ok]) assert.ok(!res.text.includes(KEY));
      // Image URLs live outside /v1, like pre-signed links, and need no key.
      const images = await send(`${server.url}/images/generations`, {
        json: { prompt: "x" },
        headers: { authorization: `Bearer ${KEY}` },
      });
      const url = (images.body as { data: { url: string }[] }).data[0]!.url;
      assert.equal((await fetch(url)).status, 200);
    } finally {
      await server.close();
    }
  });

  test("--missing: listed templates answer 404, neighbours still work", async () => {
    const server = await startServer({
      port: 0,
      host: "127.0.0.1",
      missing: ["/v1/videos/{id}", "/v1/embeddings"],
    });
    try {
      assertError(
        await send(`${server.url}/embeddings`, { json: { model: "aioc-embedding", input: "x" } }),
        404,
      );
      const created = await send(`${server.url}/videos`, { json: { prompt: "x" } });
      assert.equal(created.status, 200);
      const { id } = created.body as { id: string };
      assertError(await send(`${server.url}/videos/${id}`), 404);
      assert.equal((await send(`${server.url}/models`)).status, 200);
    } finally {
      await server.close();
    }
  });

  test("--latency delays every response", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1", latencyMs: 150 });
    try {
      const started = performance.now();
      assert.equal((await send(`${server.url}/models`)).status, 200);
      assert.ok(performance.now() - started >= 140);
    } finally {
      await server.close();
    }
  });
});
