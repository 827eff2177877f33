import assert from "node:assert/strict";
import { test } from "node:test";
import { createProgress } from "../src/render/progress.js";

test("progress redraws one line with done/total, elapsed and the rows in flight, escaping hostile ids", () => {
  const out: string[] = [];
  const p = createProgress((t) => out.push(t), 80);
  p.active("/v1/models", 1);
  p.active("/v1/x\u001b[31m", 1);
  p.finish("/v1/models", 1, 2);
  const last = out.at(-1)!;
  assert.match(last, /^\r\u001b\[2K\[1\/2\] \d+\.\d s · \/v1\/x\\x1b\[31m$/);
  assert.ok(
    out.every((line) => line.length <= 80 + 5),
    "fits the terminal width",
  );
  p.clear();
  assert.equal(out.at(-1), "\r\u001b[2K");
});

test("only rows holding a slot are listed, a row with two requests until both end", () => {
  const out: string[] = [];
  const p = createProgress((t) => out.push(t), 200);
  p.active("a", 1);
  p.active("a", 1);
  p.active("b", 1);
  p.active("a", -1);
  assert.match(out.at(-1)!, / · a, b$/);
  p.active("a", -1);
  assert.match(out.at(-1)!, / · b$/);
  p.active("b", -1);
  assert.match(out.at(-1)!, /\d s$/, "nothing in flight: no list");
  p.clear();
});

test("the line redraws on a timer, so elapsed time moves while nothing starts or ends", async () => {
  const out: string[] = [];
  const p = createProgress((t) => out.push(t), 80, 20);
  p.active("slow", 1);
  const before = out.length;
  // Nothing starts or ends from here on: only the timer can draw (waited for, not timed: a loaded machine is slow).
  for (let waited = 0; out.length - before < 3 && waited < 10_000; waited += 20) {
    await new Promise((r) => setTimeout(r, 20));
  }
  p.clear();
  const redraws = out.slice(before, -1);
  assert.ok(redraws.length >= 3, `${redraws.length} timer redraws`);
  assert.ok(redraws.every((l) => l.includes("slow")));
  const n = out.length;
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(out.length, n, "no redraw after clear()");
});
