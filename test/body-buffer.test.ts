import assert from "node:assert/strict";
import { test } from "node:test";
import { BodyBuffer } from "../src/http/body-buffer.js";
import { parseJson } from "../src/http/json.js";

test("a body collected chunk by chunk comes out byte for byte, growing past its first allocation", () => {
  const b = new BodyBuffer(1 << 20);
  const expected: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const part = Uint8Array.from({ length: (i % 97) + 1 }, (_, j) => (i + j) & 0xff);
    b.push(part);
    expected.push(...part);
  }
  assert.equal(b.size, expected.length);
  assert.deepEqual([...b.bytes()], expected);
  assert.deepEqual([...b.head(10)], expected.slice(0, 10));
});

test("Content-Length sizes the buffer at once; a bogus one beyond the cap is ignored", () => {
  const exact = new BodyBuffer(1000, 3);
  exact.push(Uint8Array.of(1, 2, 3));
  assert.deepEqual([...exact.bytes()], [1, 2, 3]);
  assert.equal(exact.bytes().buffer.byteLength, 3);
  const lying = new BodyBuffer(1000, 10 ** 12);
  lying.push(Uint8Array.of(7));
  assert.deepEqual([...lying.bytes()], [7]);
  assert.ok(lying.bytes().buffer.byteLength <= 1000);
});

test("a buffer much larger than its body is trimmed, so the spare room is not kept", () => {
  const b = new BodyBuffer(1 << 24, 4 << 20);
  b.push(new Uint8Array(100_000));
  assert.equal(b.bytes().buffer.byteLength, 100_000);
});

test("one body is parsed once: every reader gets the same value", () => {
  const body = new TextEncoder().encode('{"a":[1,2]}');
  const first = parseJson(body);
  assert.ok(first.ok);
  assert.equal(parseJson(body), first);
  assert.notEqual(parseJson(new TextEncoder().encode('{"a":[1,2]}')), first);
});
