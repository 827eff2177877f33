/** Every view renders from real reports: aioc serve canonical vs the llama.cpp profile (all four statuses). */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { diffReports } from "../src/gap/diff.js";
import { renderReport } from "../src/render/index.js";
import { renderMatrix } from "../src/render/matrix.js";
import type { Report } from "../src/report/types.js";
import { STATUSES } from "../src/report/types.js";
import { probeServe } from "./helpers/real-reports.js";

let canonical: Report;
let llama: Report;
before(async () => {
  [canonical, llama] = await Promise.all([probeServe(), probeServe("llama.cpp")]);
});

test("the llama.cpp profile report has all four statuses", () => {
  for (const s of STATUSES) assert.ok(llama.summary[s] > 0, `${s} present`);
});

test("JUnit: one testsuite per group, failures and skips match the summary", () => {
  const xml = renderReport(llama, "junit");
  const count = (re: RegExp) => (xml.match(re) ?? []).length;
  assert.equal(count(/<testcase /g), llama.results.length);
  assert.equal(count(/<failure /g), llama.summary.FAIL);
  assert.equal(count(/<skipped /g), llama.summary.SKIP);
  assert.equal(count(/<testsuite /g), new Set(llama.results.map((r) => r.group)).size);
});

test("Markdown: summary line, every row, and the deviations section naming llama.cpp", () => {
  const md = renderReport(llama, "markdown");
  assert.match(md, new RegExp(`${llama.summary.PASS} PASS`));
  for (const r of llama.results) assert.ok(md.includes(r.id.replace(/\|/g, "\\|")), r.id);
  assert.match(md, /model-retrieve-404/);
  assert.match(md, /llama\.cpp/);
});

test("HTML: self-contained, with the summary counts", () => {
  const html = renderReport(llama, "html");
  for (const s of STATUSES) assert.match(html, new RegExp(`id="count-${s}"[^>]*>${llama.summary[s]}<`));
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=["']https?:/i, "no network resources");
});

test("table: one line per row and the summary", () => {
  const table = renderReport(llama, "table", { color: false });
  assert.match(table, /\d+ PASS · \d+ WARN · \d+ FAIL · \d+ SKIP in \d+\.\d s/);
  for (const r of llama.results) assert.ok(table.includes(r.id), r.id);
  // llama.cpp serves no images at all: the table says why those core rows FAIL and how to narrow the probe.
  assert.match(table, /absent: every core row of images answered 404\. .*--expect CAPS/);
  assert.doesNotMatch(renderReport(canonical, "table", { color: false }), /absent:/);
});

test("gap: canonical → llama.cpp shows regressions and rows absent from the profile", () => {
  const gap = diffReports(canonical, llama);
  const regressions = gap.rows.filter((r) => r.change === "regression").map((r) => r.id);
  assert.ok(regressions.includes("/v1/models/{model}"));
  assert.ok(regressions.includes("/v1/audio/speech"));
  const fixes = diffReports(llama, canonical)
    .rows.filter((r) => r.change === "fix")
    .map((r) => r.id);
  assert.deepEqual(new Set(fixes), new Set(regressions));
});

test("matrix: one row per catalog id, one column per report", () => {
  const md = renderMatrix([canonical, llama], "markdown");
  assert.match(md, /aioc serve/);
  assert.match(md, /llama\.cpp/);
  for (const r of canonical.results) assert.ok(md.includes(r.id.replace(/\|/g, "\\|")), r.id);
});
