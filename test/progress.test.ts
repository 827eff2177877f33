import assert from "node:assert/strict";
import { test } from "node:test";
import { createProgress } from "../src/render/progress.js";

test("progress redraws one line with done/total, elapsed and the rows in flight, escaping hostile ids", () => {
  const out: string[] = [];
  const p = createProgress((t) => out.push(t), 80);
  p.start("/v1/models");
  p.start("/v1/x\u001b[31m");
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
