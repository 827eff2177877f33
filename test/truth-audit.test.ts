/**
 * Verdicts against `aioc serve` with exactly one defect (or one correct-but-unusual habit) each, as real servers
 * have them: every row names the real cause with the status the rules give it (README: FAIL when clients break,
 * WARN when they cope, never the model's fault for a server's defect).
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { test } from "node:test";
import { runProbe } from "../src/probe/run.js";
import type { Report } from "../src/report/types.js";
import { byId } from "./helpers/results.js";
import { type ProxiedRequest, startServeProxy } from "./helpers/serve-proxy.js";

// biome-ignore lint/suspicious/noExplicitAny: the tests rewrite answers field by field
type Json = Record<string, any>;

/** Forwards the request to `aioc serve` and answers with its JSON changed by `change` (2xx JSON answers only). */
function altered(
  upstream: string,
  path: string,
  change: (body: Json, req: ProxiedRequest) => Json,
  when: (req: ProxiedRequest) => boolean = () => true,
) {
  return async (req: ProxiedRequest, res: ServerResponse) => {
    if (req.path !== path || req.json?.stream || !when(req)) return false;
    const answer = await fetch(new URL(req.path, upstream), {
      method: req.method,
      headers: { "content-type": "application/json" },
      body: req.method === "GET" ? undefined : new Uint8Array(req.body),
    });
    const text = await answer.text();
    const type = answer.headers.get("content-type") ?? "";
    if (answer.status >= 300 || !type.includes("json")) return false;
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(change(JSON.parse(text), req)));
    return true;
  };
}

/** Forwards a streamed request and answers with every JSON data frame changed by `change`. */
function alteredStream(upstream: string, path: string, change: (chunk: Json) => Json) {
  return async (req: ProxiedRequest, res: ServerResponse) => {
    if (req.path !== path || !req.json?.stream) return false;
    const answer = await fetch(new URL(req.path, upstream), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Uint8Array(req.body),
    });
    const frames = (await answer.text()).split("\n\n").filter((f) => f.trim());
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "" });
    for (const f of frames) {
      const data = f.replace(/^data: /, "");
      res.write(`data: ${data.trim() === "[DONE]" ? data : JSON.stringify(change(JSON.parse(data)))}\n\n`);
    }
    res.end();
    return true;
  };
}

/** The first intercept that answers. */
const first =
  (...intercepts: ((req: ProxiedRequest, res: ServerResponse) => Promise<boolean>)[]) =>
  async (req: ProxiedRequest, res: ServerResponse) => {
    for (const i of intercepts) if (await i(req, res)) return true;
    return false;
  };

/** Probes `aioc serve` behind a proxy whose intercept `make(upstream)` builds; only the rows `only` matches. */
async function probeWith(
  make: (upstream: string) => (req: ProxiedRequest, res: ServerResponse) => Promise<boolean> | boolean,
  only: RegExp,
): Promise<Report> {
  let intercept: ReturnType<typeof make> = () => false;
  const proxy = await startServeProxy((req, res) => intercept(req, res));
  intercept = make(proxy.upstream.replace(/\/v1$/, ""));
  try {
    return await runProbe({
      baseUrl: proxy.url,
      only,
      timeoutMs: 5000,
      concurrency: 4,
      depth: "standard",
      maxBodyBytes: 1 << 22,
    });
  } finally {
    await proxy.close();
  }
}

test('[max_tokens]: a one-token answer that says finish_reason "stop" is WARN (LocalAI #3533), not PASS', async () => {
  const report = await probeWith(
    (up) =>
      altered(
        up,
        "/v1/chat/completions",
        (body) => {
          body.choices[0].finish_reason = "stop";
          return body;
        },
        (req) => req.json?.max_tokens === 1 || req.json?.max_completion_tokens === 1,
      ),
    /^\/v1\/chat\/completions\[max_tokens\]$/,
  );
  const row = byId(report, "/v1/chat/completions[max_tokens]");
  assert.equal(row.status, "WARN");
  assert.match(
    row.detail,
    /^an answer cut by the token limit says finish_reason "stop", not "length" — known: LocalAI/,
  );
  assert.deepEqual(
    row.deviations?.map((d) => d.id),
    ["finish-reason-stop-when-cut"],
  );
});

test("tool arguments sent as an object (not a JSON string) are the server's FAIL, never '(model behaviour)', in the SDK rows too", async () => {
  const report = await probeWith(
    (up) =>
      altered(up, "/v1/chat/completions", (body) => {
        for (const call of body.choices[0].message.tool_calls ?? [])
          call.function.arguments = JSON.parse(call.function.arguments);
        return body;
      }),
    /^(\/v1\/chat\/completions\[tools\]|client:openai-node\/tools)$/,
  );
  const why =
    "the tool call's function.arguments is an object, not a JSON string: clients JSON.parse it and fail";
  const sdk = byId(report, "client:openai-node/tools");
  assert.equal(sdk.status, "FAIL");
  assert.equal(sdk.detail, why);
  const row = byId(report, "/v1/chat/completions[tools]");
  assert.equal(row.status, "FAIL");
  assert.equal(row.detail, `${why} (+1 more)`);
});

test("[embeddings batch]: embeddings without index are placed by position (WARN missing-index), not FAIL 'indexes [null,null]'", async () => {
  const report = await probeWith(
    (up) =>
      altered(up, "/v1/embeddings", (body) => {
        for (const d of body.data) delete d.index;
        return body;
      }),
    /^\/v1\/embeddings(\[batch\])?$/,
  );
  const row = byId(report, "/v1/embeddings[batch]");
  assert.equal(row.status, "WARN");
  assert.match(row.detail, /omit the spec-required `index` — known: LocalAI$/);
});

test("[n]: choices [] is 'no answer to judge', not the n-ignored deviation's 'n 2 gives one choice'", async () => {
  const report = await probeWith(
    (up) =>
      altered(up, "/v1/chat/completions", (body) => {
        body.choices = [];
        return body;
      }),
    /^\/v1\/chat\/completions\[n\]$/,
  );
  const row = byId(report, "/v1/chat/completions[n]");
  assert.equal(row.status, "FAIL");
  assert.equal(row.detail, "200 with choices []: no answer to judge");
  assert.deepEqual(row.deviations ?? [], []);
});

test("null for fields an answer does not carry (openai-python's Optional fields dumped as null) is no FAIL: every SDK copes", async () => {
  const report = await probeWith(
    (up) =>
      first(
        altered(up, "/v1/chat/completions", (body) => {
          for (const c of body.choices) c.message.tool_calls ??= null;
          return body;
        }),
        alteredStream(up, "/v1/chat/completions", (chunk) => {
          for (const c of chunk.choices ?? []) {
            c.delta.role ??= null;
            c.delta.tool_calls ??= null;
            for (const t of c.delta.tool_calls ?? []) {
              t.id ??= null;
              t.type ??= null;
              t.function.name ??= null;
            }
          }
          return chunk;
        }),
        altered(up, "/v1/images/generations", (body) => {
          for (const d of body.data) Object.assign(d, { url: null, revised_prompt: null });
          return body;
        }),
      ),
    /^(\/v1\/chat\/completions(\[(stream|tools-stream|stream-forensics)\])?|\/v1\/images\/generations|client:openai-node\/(chat|chat\.stream))$/,
  );
  for (const id of [
    "/v1/chat/completions",
    "/v1/chat/completions[stream]",
    "/v1/chat/completions[tools-stream]",
    "/v1/chat/completions[stream-forensics]",
    "/v1/images/generations",
    "client:openai-node/chat",
    "client:openai-node/chat.stream",
  ]) {
    const row = byId(report, id);
    assert.equal(row.status, "PASS", `${id}: ${row.detail}`);
  }
});

test('[stream-forensics]: finish_reason "" on every chunk but the last is not "finish_reason sent N times"', async () => {
  const report = await probeWith(
    (up) =>
      alteredStream(up, "/v1/chat/completions", (chunk) => {
        for (const c of chunk.choices ?? []) c.finish_reason ??= "";
        return chunk;
      }),
    /^\/v1\/chat\/completions\[(stream|stream-forensics)\]$/,
  );
  const stream = byId(report, "/v1/chat/completions[stream]");
  assert.equal(stream.status, "FAIL");
  assert.match(stream.detail, /^finish_reason is not one of the spec values .* — known: Ollama/);
  const forensics = byId(report, "/v1/chat/completions[stream-forensics]");
  assert.equal(forensics.status, "PASS", forensics.detail);
});

test("speech answered with a JSON body names it (not 'N bytes that are not audio')", async () => {
  const report = await probeWith(
    () => async (req, res) => {
      if (req.path !== "/v1/audio/speech") return false;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ audio: "UklGRg==" }));
      return true;
    },
    /^(\/v1\/audio\/speech|client:openai-node\/audio\.speech)$/,
  );
  const row = byId(report, "/v1/audio/speech");
  assert.equal(row.status, "FAIL");
  assert.equal(row.detail, 'a JSON body instead of wav audio: "{\\"audio\\":\\"UklGRg==\\"}"');
  const sdk = byId(report, "client:openai-node/audio.speech");
  assert.equal(sdk.status, "FAIL");
  assert.match(sdk.detail, /a JSON body instead of wav audio/);
});

test("an embedding sent as nested arrays says so (not 'non-numeric components')", async () => {
  const report = await probeWith(
    (up) =>
      altered(up, "/v1/embeddings", (body) => {
        for (const d of body.data) if (Array.isArray(d.embedding)) d.embedding = [d.embedding];
        return body;
      }),
    /^\/v1\/embeddings$/,
  );
  const row = byId(report, "/v1/embeddings");
  assert.equal(row.status, "FAIL");
  assert.equal(
    row.detail,
    "the embedding has nested arrays (an array of vectors, not one vector of numbers)",
  );
});

test("[logprobs]: an empty answer has no tokens to describe (the model's), an answer without them is the server's", async () => {
  const probeLogprobs = (content: string) =>
    probeWith(
      (up) =>
        altered(
          up,
          "/v1/chat/completions",
          (body) => {
            body.choices[0].message.content = content;
            body.choices[0].logprobs = { content: [], refusal: null };
            return body;
          },
          (req) => req.json?.logprobs === true,
        ),
      /^\/v1\/chat\/completions(\[logprobs\])?$/,
    );
  const empty = byId(await probeLogprobs(""), "/v1/chat/completions[logprobs]");
  assert.equal(empty.status, "WARN", empty.detail);
  assert.match(
    empty.detail,
    /^the answer is empty, so logprobs\.content has no tokens to describe \(model behaviour\)/,
  );
  const said = byId(await probeLogprobs("Hi"), "/v1/chat/completions[logprobs]");
  assert.equal(said.status, "FAIL", said.detail);
  assert.equal(said.detail, "choices[0].logprobs.content has no tokens");
});
