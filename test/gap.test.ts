import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classify, diffReports } from "../src/gap/diff.js";
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from "../src/gap/render.js";
import type { Report, Status } from "../src/report/types.js";
import { runAioc, scratchDir } from "./helpers/report-cli.js";
import { report, result, sampleReport } from "./helpers/sample-report.js";

/** A copy of `base` with some statuses changed, some rows dropped and some added. */
function variant(
  base: Report,
  changes: Record<string, Status | null>,
  extra: Report["results"] = [],
): Report {
  const results = base.results
    .filter((r) => changes[r.id] !== null)
    .map((r) => (changes[r.id] ? { ...r, status: changes[r.id]!, detail: `now ${changes[r.id]}` } : r));
  return report([...results, ...extra], { target: { url: "http://10.0.0.2:8000/v1", name: "candidate" } });
}

describe("classify", () => {
  it("orders PASS > WARN > FAIL and treats SKIP moves as changes", () => {
    const expect: Record<string, string> = {
      "PASS→WARN": "regression",
      "PASS→FAIL": "regression",
      "WARN→FAIL": "regression",
      "WARN→PASS": "fix",
      "FAIL→PASS": "fix",
      "FAIL→WARN": "fix",
      "PASS→SKIP": "changed",
      "SKIP→PASS": "changed",
      "SKIP→FAIL": "changed",
      "FAIL→SKIP": "changed",
    };
    for (const [pair, change] of Object.entries(expect)) {
      const [a, b] = pair.split("→") as [Status, Status];
      assert.equal(classify(a, b), change, pair);
    }
    for (const s of ["PASS", "WARN", "FAIL", "SKIP"] as Status[]) {
      assert.equal(classify(s, s), "unchanged");
      assert.equal(classify(s, null), "only-in-a");
      assert.equal(classify(null, s), "only-in-b");
    }
  });
});

describe("diffReports", () => {
  const a = sampleReport();
  const b = variant(
    a,
    { "/v1/models": "FAIL", "/v1/responses": "PASS", "/v1/audio/speech": "PASS", "/v1/moderations": null },
    [result("/v1/batches", "PASS", "200"), result("/v1/custom", "WARN", "odd", { group: "chat" })],
  );
  const diff = diffReports(a, b);

  it("classifies every id in either report, in catalog order", () => {
    const byId = Object.fromEntries(diff.rows.map((r) => [r.id, r]));
    assert.equal(byId["/v1/models"]!.change, "regression");
    assert.equal(byId["/v1/responses"]!.change, "fix");
    assert.equal(byId["/v1/audio/speech"]!.change, "changed");
    assert.equal(byId["/v1/moderations"]!.change, "only-in-a");
    assert.equal(byId["/v1/batches"]!.change, "only-in-b");
    assert.equal(byId["/v1/embeddings"]!.change, "unchanged");
    assert.deepEqual(diff.counts, {
      regression: 1,
      fix: 1,
      changed: 1,
      unchanged: 10,
      "only-in-a": 1,
      "only-in-b": 2,
    });
    const ids = diff.rows.map((r) => r.id);
    assert.ok(ids.indexOf("/v1/files") < ids.indexOf("/v1/batches"), "catalog order, not report order");
    assert.equal(ids.at(-1), "/v1/custom", "unknown ids last");
    assert.equal(diff.a.name, "local-vllm");
    assert.equal(diff.b.name, "candidate");
  });

  it("renders aligned text, a Markdown table and JSON", () => {
    const text = renderDiffText(diff);
    assert.match(text, /^REGRESSION {2}\/v1\/models {2,}✔ PASS {2}✖ FAIL {2}now FAIL$/m);
    assert.match(text, /^ONLY IN A {3}\/v1\/moderations {2,}○ SKIP {2}— {7}no moderation model listed$/m);
    assert.match(text, /^1 regression · 1 fix · 1 changed · 10 unchanged · 1 only in A · 2 only in B$/m);
    const md = renderDiffMarkdown(diff);
    assert.ok(md.includes("| REGRESSION | `/v1/models` | ✔ PASS | ✖ FAIL | now FAIL |"));
    assert.equal(
      md.split("\n").filter((l) => l.startsWith("| ")).length,
      diff.rows.length + 2,
      "header, separator, one row per id",
    );
    assert.deepEqual(JSON.parse(renderDiffJson(diff)), diff);
  });
});

describe("aioc gap", () => {
  const a = sampleReport();
  const dir = scratchDir({
    "a.json": a,
    "worse.json": variant(a, { "/v1/chat/completions": "WARN" }),
    "better.json": variant(a, { "/v1/files": "PASS", "/v1/audio/speech": "FAIL" }),
  });

  it("exits 1 on a regression only with --fail-on-regression", () => {
    const plain = runAioc(["gap", "a.json", "worse.json"], dir);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^REGRESSION {2}\/v1\/chat\/completions /m);
    const strict = runAioc(["gap", "a.json", "worse.json", "--fail-on-regression"], dir);
    assert.equal(strict.code, 1);
    assert.equal(strict.stdout, plain.stdout);
  });

  it("exits 0 with --fail-on-regression when B is no worse", () => {
    const run = runAioc(["gap", "a.json", "better.json", "--fail-on-regression", "--format", "json"], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).counts, {
      regression: 0,
      fix: 1,
      changed: 1,
      unchanged: 12,
      "only-in-a": 0,
      "only-in-b": 0,
    });
    const md = runAioc(["gap", "a.json", "better.json", "--format", "markdown"], dir);
    assert.match(md.stdout, /^# aioc gap/);
  });

  it("exits 2 with one line when a report cannot be loaded", () => {
    const run = runAioc(["gap", "a.json", "missing.json", "--fail-on-regression"], dir);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^aioc: cannot read report missing\.json: ENOENT\n$/);
  });
});
