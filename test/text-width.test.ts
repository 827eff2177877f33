import assert from "node:assert/strict";
import { test } from "node:test";
import stringWidth from "string-width";
import { ENDPOINTS, GROUP_TITLES } from "../src/catalog/endpoints.js";
import { DEVIATIONS } from "../src/deviations/catalog.js";
import { isNarrowText, visibleWidth } from "../src/render/text-table.js";

const NARROW_RANGES: [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0xac],
  [0xae, 0x2ff],
  [0x2010, 0x2027],
  [0x2030, 0x205e],
  [0x2190, 0x21ff],
  [0x2500, 0x257f],
];

test("the fast path agrees with string-width on every character it claims is narrow", () => {
  for (const [from, to] of NARROW_RANGES) {
    for (let cp = from; cp <= to; cp++) {
      const c = String.fromCodePoint(cp);
      assert.ok(isNarrowText(c), `U+${cp.toString(16)} should be on the fast path`);
      assert.equal(stringWidth(c), 1, `U+${cp.toString(16)}`);
    }
  }
  assert.equal(
    visibleWidth("\u001b[32mPASS\u001b[39m · 3 → ok…"),
    stringWidth("\u001b[32mPASS\u001b[39m · 3 → ok…"),
  );
});

test("text outside the fast path needs the full tables", async () => {
  for (const s of ["日本語", "✓", "e\u0301", "a\u00adb", "\u200b", "👍🏽"])
    assert.equal(isNarrowText(s), false, s);
  await import("../src/render/text-width-full.js");
  assert.equal(visibleWidth("日本語"), 6);
  assert.equal(visibleWidth("e\u0301"), 1);
});

// `aioc spec` and `aioc deviations` do not load string-width (80 ms of regex compilation): everything they print
// must be on the fast path.
test("the catalog and the deviation catalog print only narrow text", () => {
  for (const e of ENDPOINTS) for (const s of [e.id, e.notes, e.kind]) assert.ok(isNarrowText(s), s);
  for (const t of Object.values(GROUP_TITLES)) assert.ok(isNarrowText(t), t);
  for (const d of DEVIATIONS) {
    for (const s of [d.id, d.summary, d.verdict, ...d.rows, ...d.implementations.map((i) => i.name)]) {
      assert.ok(isNarrowText(s), `${d.id}: ${s}`);
    }
  }
});
