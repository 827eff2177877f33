/**
 * Issue #10 §2-§4 (and #13 item 8): false PASSes and wrong reasons on media, vectors and moderation, each shown by
 * `aioc serve` behind a proxy that changes exactly one answer; the status AND the reason are asserted.
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { describe, test } from "node:test";
import { silentMp3, silentWav } from "../src/fixtures/media.js";
import { runProbe } from "../src/probe/run.js";
import type { Report } from "../src/report/types.js";
import { byId } from "./helpers/results.js";
import { json } from "./helpers/scripted-server.js";
import { type Intercept, type ProxiedRequest, startServeProxy } from "./helpers/serve-proxy.js";

/** Probes `aioc serve` with one answer replaced: `when` picks the request, `answer` writes the reply. */
async function probeWith(
  when: (req: ProxiedRequest) => boolean,
  answer: (res: ServerResponse, req: ProxiedRequest) => void,
  only: RegExp,
): Promise<Report> {
  const intercept: Intercept = (req, res) => {
    if (!when(req)) return false;
    answer(res, req);
    return true;
  };
  const proxy = await startServeProxy(intercept);
  try {
    return await runProbe({
      baseUrl: proxy.url,
      only,
      timeoutMs: 5000,
      concurrency: 4,
      depth: "standard",
      maxBodyBytes: 1 << 20,
    });
  } finally {
    await proxy.close();
  }
}

const images = (data: object[]) => ({ created: 1_700_000_000, data });
const isGenerate = (r: ProxiedRequest) => r.path === "/v1/images/generations" && r.json?.prompt !== undefined;
const IMAGES = /^(\/v1\/images\/generations|client:openai-node\/images\.generate)$/;

describe("images (§3)", () => {
  test("b64_json that decodes to no image FAILs, on the row and the SDK row alike", async () => {
    const notPng = Buffer.from("this is not an image at all").toString("base64");
    const report = await probeWith(
      isGenerate,
      (res) => json(res, 200, images([{ b64_json: notPng }])),
      IMAGES,
    );
    const row = byId(report, "/v1/images/generations");
    assert.equal(row.status, "FAIL");
    assert.equal(
      row.detail,
      "data[0].b64_json decodes to 27 bytes that are not PNG, JPEG or WebP: not an image",
    );
    const sdk = byId(report, "client:openai-node/images.generate");
    assert.equal(sdk.status, "FAIL");
    assert.equal(
      sdk.detail,
      "data[0].b64_json decodes to 27 bytes that are not PNG, JPEG or WebP: not an image",
    );
  });

  test("a url where b64_json was asked: response_format ignored, on both rows", async () => {
    const report = await probeWith(
      isGenerate,
      (res) => json(res, 200, images([{ url: "http://127.0.0.1:1/x.png" }])),
      IMAGES,
    );
    for (const id of ["/v1/images/generations", "client:openai-node/images.generate"]) {
      const r = byId(report, id);
      assert.equal(r.status, "FAIL", id);
      assert.equal(r.detail, "response_format b64_json ignored: data[0] has a url and no b64_json", id);
    }
  });

  test("a real JPEG in b64_json PASSes", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]).toString(
      "base64",
    );
    const report = await probeWith(isGenerate, (res) => json(res, 200, images([{ b64_json: jpeg }])), IMAGES);
    assert.equal(byId(report, "/v1/images/generations").status, "PASS");
    assert.match(byId(report, "client:openai-node/images.generate").detail, /12-byte jpeg$/);
  });
});

const isSpeech = (r: ProxiedRequest) => r.path === "/v1/audio/speech" && r.json?.input !== undefined;
const SPEECH = /^(\/v1\/audio\/speech|client:openai-node\/audio\.speech)$/;
const audio = (contentType: string, bytes: Uint8Array) => (res: ServerResponse) => {
  res.writeHead(200, { "content-type": contentType });
  res.end(bytes);
};

describe("speech (§3, §4)", () => {
  test("a WAV with zero samples is not audio", async () => {
    const report = await probeWith(isSpeech, audio("audio/wav", silentWav(0)), SPEECH);
    for (const id of ["/v1/audio/speech", "client:openai-node/audio.speech"]) {
      const r = byId(report, id);
      assert.equal(r.status, "FAIL", `${id}: ${r.detail}`);
      assert.match(r.detail, /a 44-byte wav with no audio samples: not audio/, id);
    }
  });

  test("an MP3 that is only an ID3 tag is not audio", async () => {
    const id3 = Uint8Array.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);
    const report = await probeWith(isSpeech, audio("audio/mpeg", id3), /^\/v1\/audio\/speech$/);
    const r = byId(report, "/v1/audio/speech");
    assert.equal(r.status, "FAIL");
    assert.equal(r.detail, "a 10-byte mp3 with no audio samples: not audio");
  });

  test("MP3 with a truthful Content-Type when WAV was asked: format ignored, not a wrong Content-Type", async () => {
    const report = await probeWith(isSpeech, audio("audio/mpeg", silentMp3()), SPEECH);
    const r = byId(report, "/v1/audio/speech");
    assert.equal(r.status, "WARN");
    assert.equal(
      r.detail,
      "response_format wav ignored: mp3 audio came back (Content-Type audio/mpeg says so)",
    );
    assert.deepEqual(r.deviations, []);
    assert.ok(!r.problems.some((p) => p.pointer === "header:content-type"));
    const sdk = byId(report, "client:openai-node/audio.speech");
    assert.equal(sdk.status, "WARN");
    assert.match(sdk.detail, /^response_format wav ignored: mp3 audio came back/);
  });

  test("WAV bytes labelled audio/mpeg keep the wrong-Content-Type deviation", async () => {
    const report = await probeWith(isSpeech, audio("audio/mpeg", silentWav()), /^\/v1\/audio\/speech$/);
    const r = byId(report, "/v1/audio/speech");
    assert.equal(r.status, "WARN");
    assert.deepEqual(
      r.deviations.map((d) => d.id),
      ["speech-wrong-audio-type"],
    );
  });
});

const isFloatEmbedding = (r: ProxiedRequest) =>
  r.path === "/v1/embeddings" && r.json?.encoding_format === "float" && typeof r.json.input === "string";
const isBase64Embedding = (r: ProxiedRequest) =>
  r.path === "/v1/embeddings" && r.json?.encoding_format === "base64";
const embeddingList = (embedding: unknown) =>
  `{"object":"list","model":"m","data":[{"object":"embedding","index":0,"embedding":${embedding}}],"usage":{"prompt_tokens":1,"total_tokens":1}}`;
const rawJson = (text: string) => (res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(text);
};
const base64Of = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString("base64");

describe("embeddings (§3, §4; #13 item 8)", () => {
  test("1e400 in a float vector (Infinity once parsed) FAILs", async () => {
    const report = await probeWith(
      isFloatEmbedding,
      rawJson(embeddingList("[0.1,1e400,0.3]")),
      /^\/v1\/embeddings$/,
    );
    const r = byId(report, "/v1/embeddings");
    assert.equal(r.status, "FAIL");
    assert.equal(
      r.detail,
      "the embedding has non-finite components (Infinity or NaN; JSON 1e400 parses to Infinity)",
    );
  });

  test("an all-zero vector FAILs, in the float and the base64 path", async () => {
    const zeros = `[${new Array(16).fill(0).join(",")}]`;
    const float = await probeWith(isFloatEmbedding, rawJson(embeddingList(zeros)), /^\/v1\/embeddings$/);
    assert.equal(byId(float, "/v1/embeddings").status, "FAIL");
    assert.equal(byId(float, "/v1/embeddings").detail, "the embedding has all 16 components zero");
    const b64 = await probeWith(
      isBase64Embedding,
      rawJson(embeddingList(JSON.stringify(base64Of(new Array(16).fill(0))))),
      /^\/v1\/embeddings(\[base64\])?$/,
    );
    const r = byId(b64, "/v1/embeddings[base64]");
    assert.equal(r.status, "FAIL");
    assert.equal(r.detail, "the base64 embedding decodes to all 16 components zero");
  });

  test("the SDK row decodes what the server sent: a base64 of another length is said as such, not 'ignored'", async () => {
    // aioc serve's vector has 16 dimensions; this base64 holds 8 floats.
    const eight = base64Of([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    const report = await probeWith(
      isBase64Embedding,
      rawJson(embeddingList(JSON.stringify(eight))),
      /^(\/v1\/embeddings|client:openai-node\/embeddings)$/,
    );
    const r = byId(report, "client:openai-node/embeddings");
    assert.equal(r.status, "FAIL");
    assert.equal(r.detail, "the server's base64 embedding decodes to 8 floats; its float answer has 16");
    assert.doesNotMatch(r.detail, /ignored/);
  });
});

describe("moderations (§2)", () => {
  test("an extra non-boolean vendor key in categories is tolerated", async () => {
    const report = await probeWith(
      (r) => r.path === "/v1/moderations" && r.json?.input !== undefined,
      (res) =>
        json(res, 200, {
          id: "modr-1",
          model: "omni-moderation-latest",
          results: [
            {
              flagged: false,
              categories: {
                ...Object.fromEntries(
                  ["hate", "hate/threatening", "harassment", "harassment/threatening", "self-harm"].map(
                    (c) => [c, false],
                  ),
                ),
                ...Object.fromEntries(
                  ["self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors"].map((c) => [
                    c,
                    false,
                  ]),
                ),
                violence: false,
                "violence/graphic": false,
                illicit: null,
                "illicit/violent": null,
                "vendor/extra": { score: 0.1 },
              },
              category_scores: { hate: 0.01, violence: 0.02 },
              category_applied_input_types: { hate: ["text"], violence: ["text"] },
            },
          ],
        }),
      /^\/v1\/moderations$/,
    );
    const r = byId(report, "/v1/moderations");
    assert.equal(r.status, "PASS", r.detail);
  });

  test("a known category that is not a boolean still FAILs", async () => {
    const report = await probeWith(
      (r) => r.path === "/v1/moderations" && r.json?.input !== undefined,
      (res) =>
        json(res, 200, {
          id: "modr-1",
          model: "m",
          results: [{ flagged: false, categories: { hate: "no" }, category_scores: {} }],
        }),
      /^\/v1\/moderations$/,
    );
    assert.equal(byId(report, "/v1/moderations").status, "FAIL");
  });
});
