/** The reference server's building blocks: schema sampler, tokenizer, audio files, router, store, quirks. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { UsageError } from "../src/cli/errors.js";
import { silentWav, sniffAudio } from "../src/fixtures/media.js";
import {
  SPEECH_FORMATS,
  silentAac,
  silentFlac,
  silentOpus,
  wavDuration,
} from "../src/serve/audio-formats.js";
import { REPLY, shapeText, tokenize } from "../src/serve/generate.js";
import { PROFILES, profileQuirks, resolveQuirks } from "../src/serve/quirks.js";
import { Router } from "../src/serve/router.js";
import { embed, toBase64 } from "../src/serve/routes/embeddings.js";
import { sampleFromSchema } from "../src/serve/schema-sample.js";
import { ROUTES } from "../src/serve/server.js";
import { type Video, VideoStore } from "../src/serve/video-store.js";

describe("schema sampler", () => {
  const schemas: Record<string, unknown> = {
    "plain object": { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
    "optional only": { type: "object", properties: { a: { type: "string" } } },
    "numbers with bounds": {
      type: "object",
      properties: {
        big: { type: "integer", minimum: 10 },
        small: { type: "number", maximum: 0.5 },
        open: { type: "integer", exclusiveMinimum: 1 },
      },
      required: ["big", "small", "open"],
    },
    "strings with length and format": {
      type: "object",
      properties: {
        long: { type: "string", minLength: 5 },
        none: { type: "string", maxLength: 0 },
        when: { type: "string", format: "date-time" },
        mail: { type: "string", format: "email" },
      },
      required: ["long", "none", "when", "mail"],
    },
    "enum, const, nullable types": {
      type: "object",
      properties: {
        e: { enum: [3, "x"] },
        c: { const: "fixed" },
        n: { type: ["null", "boolean"] },
      },
      required: ["e", "c", "n"],
    },
    "arrays and tuples": {
      type: "object",
      properties: {
        list: { type: "array", items: { type: "integer" }, minItems: 3 },
        tuple: { type: "array", prefixItems: [{ type: "string" }, { type: "boolean" }] },
      },
      required: ["list", "tuple"],
    },
    "refs, anyOf, allOf": {
      type: "object",
      $defs: { point: { type: "object", properties: { x: { type: "number" } }, required: ["x"] } },
      properties: {
        p: { $ref: "#/$defs/point" },
        either: { anyOf: [{ type: "null" }, { $ref: "#/$defs/point" }] },
        both: {
          allOf: [{ $ref: "#/$defs/point" }, { properties: { y: { type: "string" } }, required: ["y"] }],
        },
      },
      required: ["p", "either", "both"],
    },
    "top-level array": { type: "array", items: { type: "object", properties: {}, required: [] } },
    "recursive ref": {
      $ref: "#/$defs/node",
      $defs: {
        node: {
          type: "object",
          properties: { children: { type: "array", items: { $ref: "#/$defs/node" } } },
          required: ["children"],
        },
      },
    },
  };
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  for (const [name, schema] of Object.entries(schemas)) {
    if (name === "recursive ref") continue;
    test(name, () => {
      const value = sampleFromSchema(schema);
      const validate = ajv.compile(schema as object);
      assert.ok(validate(value), `${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`);
    });
  }

  test("the brief's defaults: strings x, numbers 1, booleans true, required only, first enum", () => {
    const value = sampleFromSchema({
      type: "object",
      properties: {
        s: { type: "string" },
        n: { type: "number" },
        b: { type: "boolean" },
        e: { type: "string", enum: ["first", "second"] },
        skip: { type: "string" },
      },
      required: ["s", "n", "b", "e"],
    });
    assert.deepEqual(value, { s: "x", n: 1, b: true, e: "first" });
  });

  test("a recursive schema terminates", () => {
    assert.doesNotThrow(() => JSON.stringify(sampleFromSchema(schemas["recursive ref"])));
  });
});

describe("generation", () => {
  test("tokens join back to the text; a token is a word or punctuation", () => {
    assert.equal(tokenize(REPLY).join(""), REPLY);
    assert.deepEqual(tokenize("Hi, you."), ["Hi", ",", " you", "."]);
    assert.equal(tokenize('{"a": 1}').join(""), '{"a": 1}');
  });

  test("stop cuts before the earliest stop string; max tokens cuts with finish length", () => {
    assert.deepEqual(shapeText(REPLY, { stop: ["server", "aioc"] }), {
      text: "Hello from the ",
      tokens: ["Hello", " from", " the", " "],
      finish: "stop",
    });
    const cut = shapeText(REPLY, { maxTokens: 2 });
    assert.equal(cut.text, "Hello from");
    assert.equal(cut.finish, "length");
    assert.equal(shapeText(REPLY, { maxTokens: 100 }).finish, "stop");
  });

  test("embeddings: deterministic unit vectors, dimensions truncate, base64 is float32 LE", () => {
    const full = embed("hello");
    assert.deepEqual(full, embed("hello"));
    assert.notDeepEqual(full, embed("hello!"));
    const short = embed("hello", 4);
    const prefixNorm = Math.hypot(...full.slice(0, 4));
    short.forEach((v, i) => {
      assert.ok(Math.abs(v - full[i]! / prefixNorm) < 1e-6);
    });
    const decoded = new Float32Array(new Uint8Array(Buffer.from(toBase64(full), "base64")).buffer);
    assert.deepEqual([...decoded], full);
    assert.equal(embed("x", 3072).length, 3072);
  });
});

describe("speech audio files", () => {
  test("each format has its magic bytes", () => {
    assert.equal(sniffAudio(SPEECH_FORMATS.mp3!.bytes()), "mp3");
    assert.equal(sniffAudio(SPEECH_FORMATS.wav!.bytes()), "wav");
    assert.equal(sniffAudio(silentOpus()), "ogg");
    assert.equal(sniffAudio(silentAac()), "aac");
    assert.equal(sniffAudio(silentFlac()), "flac");
    assert.ok(SPEECH_FORMATS.pcm!.bytes().length > 0);
  });

  test("Ogg Opus: three pages, OpusHead first, EOS last", () => {
    const ogg = Buffer.from(silentOpus());
    const pages: number[] = [];
    for (let at = ogg.indexOf("OggS"); at >= 0; at = ogg.indexOf("OggS", at + 4)) pages.push(at);
    assert.equal(pages.length, 3);
    assert.equal(ogg.toString("ascii", 28, 36), "OpusHead");
    assert.equal(ogg[5], 2, "first page has the BOS flag");
    assert.equal(ogg[pages[2]! + 5], 4, "last page has the EOS flag");
  });

  test("ADTS frame length and FLAC STREAMINFO fields", () => {
    const aac = silentAac();
    const len = ((aac[3]! & 0x03) << 11) | (aac[4]! << 3) | (aac[5]! >> 5);
    assert.equal(len, aac.length);
    const flac = Buffer.from(silentFlac());
    const info = flac.readBigUInt64BE(18);
    assert.equal(Number(info >> 44n), 24000);
    assert.equal(Number((info >> 41n) & 7n) + 1, 1);
    assert.equal(Number((info >> 36n) & 31n) + 1, 16);
  });

  test("WAV duration comes from the header", () => {
    assert.equal(wavDuration(silentWav(2)), 2);
    assert.equal(wavDuration(silentWav(0.5, 8000)), 0.5);
    assert.equal(wavDuration(new Uint8Array(10)), undefined);
  });
});

describe("routing, store, quirks", () => {
  test("every catalog path has a route with the catalog method", () => {
    const router = new Router(ROUTES);
    for (const e of ENDPOINTS) {
      const path = e.path.replace("{model}", "aioc-chat").replace("{id}", "video_x");
      const match = router.match(path);
      assert.equal(match?.template, e.path, e.id);
      assert.ok(
        match.routes.some((r) => r.method === e.method),
        e.id,
      );
    }
  });

  test("templates bind parameters and literal paths win", () => {
    const router = new Router(ROUTES);
    assert.equal(router.match("/v1/models")?.template, "/v1/models");
    assert.deepEqual(router.match("/v1/models/a%2Fb")?.params, { model: "a/b" });
    assert.deepEqual(router.match("/v1/videos/v1/content")?.params, { id: "v1" });
    assert.equal(router.match("/v1/videos/v1/other"), undefined);
  });

  test("the video store drops the oldest job past its cap", () => {
    const store = new VideoStore(2);
    const video = (id: string): Video => ({
      id,
      object: "video",
      model: "m",
      status: "queued",
      progress: 0,
      created_at: 0,
      completed_at: null,
      expires_at: null,
      prompt: null,
      size: "1x1",
      seconds: "4",
      remixed_from_video_id: null,
      error: null,
    });
    for (const id of ["a", "b", "c"]) store.add(video(id));
    assert.equal(store.size, 2);
    assert.equal(store.get("a"), undefined);
    assert.equal(store.poll("b", 100)?.status, "completed");
    assert.equal(store.get("b")?.completed_at, 100);
  });

  test("resolveQuirks expands profiles and rejects unknown names", () => {
    assert.deepEqual(Object.keys(PROFILES).sort(), [
      "litellm",
      "llama.cpp",
      "lm-studio",
      "localai",
      "ollama",
      "sglang",
      "tabbyapi",
      "vllm",
    ]);
    const union = new Set(["llama.cpp", "vllm", "ollama"].flatMap(profileQuirks));
    assert.deepEqual([...resolveQuirks(["llama.cpp", " vllm ", "ollama", ""])].sort(), [...union].sort());
    assert.throws(() => resolveQuirks(["bogus"]), UsageError);
    assert.throws(() => resolveQuirks(["dev:not-a-deviation"]), /unknown quirk "dev:not-a-deviation"/);
    assert.throws(() => resolveQuirks(["toString"]), UsageError);
  });
});
