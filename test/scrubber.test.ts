/** The secret scrubber (src/secrets/): spellings, fragments, whole streams, and what it must leave alone. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Redactor } from "../src/cli/redact.js";
import type { SseEvent } from "../src/http/types.js";
import { Scrubber } from "../src/secrets/scrubber.js";
import { scrubStream } from "../src/secrets/stream.js";
import { ENCODINGS, spell } from "./helpers/key-echo-server.js";

const KEY = "sk-proj-Ab3/Cd+Ef=Gh0123456789WxYzQ-secretTail";
const scrubber = new Scrubber([KEY]);

describe("Scrubber", () => {
  test("every spelling, anywhere in the text, is replaced", () => {
    for (const encoding of ENCODINGS) {
      const text = `before ${spell(KEY, encoding)} after`;
      const out = scrubber.text(text);
      assert.match(out, /^before .*\[REDACTED\].* after$/, `${encoding}: ${out}`);
      assert.ok(!out.includes(spell(KEY, encoding)), encoding);
    }
  });

  test("redact first, then clip: any piece of 8 or more characters counts as the key", () => {
    for (let cut = 16; cut < KEY.length; cut++) {
      assert.ok(!scrubber.text(`x ${KEY.slice(0, cut)}`).includes(KEY.slice(8, cut)), `prefix of ${cut}`);
      assert.ok(!scrubber.text(`${KEY.slice(-cut)} y`).includes(KEY.slice(-cut)), `suffix of ${cut}`);
    }
    // The public prefix alone, or 7 characters of the secret, are not the key.
    assert.equal(scrubber.text("sk-proj- and Ab3/Cd+"), "sk-proj- and Ab3/Cd+");
  });

  test("a key at a window boundary of a long text is still found", () => {
    for (const at of [(1 << 20) - 20, 1 << 20, (1 << 20) + 5]) {
      const text = `${"a".repeat(at)}${KEY}${"b".repeat(100)}`;
      assert.ok(!scrubber.text(text).includes("0123456789"), String(at));
    }
  });

  test("bytes: binary bodies keep every other byte", () => {
    const body = Buffer.concat([Buffer.from([0, 255, 128]), Buffer.from(KEY), Buffer.from([1, 2])]);
    const out = Buffer.from(scrubber.bytes(body));
    assert.deepEqual([...out.subarray(0, 3)], [0, 255, 128]);
    assert.equal(out.subarray(3, -2).toString("latin1"), "[REDACTED]");
    const clean = Buffer.from("no secret here");
    assert.equal(scrubber.bytes(clean), clean);
  });

  test("ordinary text and short keys are left alone; short keys are reported as unreliable", () => {
    const text = "/v1/chat/completions model aioc wrong EMPTY ollama chat";
    for (const key of ["wrong", "chat", "model", "aioc", "EMPTY", "ollama"]) {
      const s = new Scrubber([key]);
      assert.equal(s.text(text), text, key);
      assert.deepEqual(s.unreliable, [key]);
      assert.match(new Redactor([key]).warning() ?? "", /cannot be redacted reliably/);
    }
    assert.equal(new Redactor([KEY]).warning(), undefined);
  });

  test("several secrets (a key and credential headers)", () => {
    const s = new Scrubber([KEY, "x-header-secret-value-42"]);
    assert.equal(s.text(`${KEY} X-HEADER-SECRET-VALUE-42`), "[REDACTED] [REDACTED]");
  });
});

describe("scrubStream", () => {
  const frame = (content: string) =>
    JSON.stringify({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content } }] });

  test("a key split across deltas, a few characters each, is redacted in every piece and in the raw body", () => {
    const pieces = KEY.match(/.{1,4}/g)!;
    const events: SseEvent[] = [
      ...pieces.map((p) => ({ data: frame(p), atMs: 0 })),
      { data: "[DONE]", atMs: 0 },
    ];
    const body = Buffer.from(events.map((e) => `data: ${e.data}\n\n`).join(""));
    const out = scrubStream(scrubber, events, body);
    const content = out.events
      .slice(0, -1)
      .map(
        (e) =>
          (JSON.parse(e.data) as { choices: { delta: { content: string } }[] }).choices[0]!.delta.content,
      )
      .join("");
    assert.ok(!content.includes("Ab3/"), content);
    assert.match(content, /^(\[REDACTED\])+$/);
    const raw = Buffer.from(out.body).toString("utf8");
    assert.ok(!raw.includes("Ab3/") && !raw.includes("0123"), raw);
    // Framing intact: the same number of events, [DONE] last.
    assert.equal(raw.split("\n\n").filter(Boolean).length, events.length);
    assert.ok(raw.endsWith("data: [DONE]\n\n"));
  });

  test("a stream without the key is returned as it was", () => {
    const events: SseEvent[] = [{ data: frame("hello"), atMs: 1 }];
    const body = Buffer.from(`data: ${events[0]!.data}\n\n`);
    const out = scrubStream(scrubber, events, body);
    assert.equal(out.events, events);
    assert.equal(out.body, body);
  });
});
