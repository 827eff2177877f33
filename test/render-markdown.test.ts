import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GROUP_TITLES } from "../src/catalog/endpoints.js";
import { headingAnchor } from "../src/deviations/docs.js";
import { escapeMarkdown } from "../src/render/escape.js";
import { renderMarkdown } from "../src/render/markdown.js";
import { hostileReport, sampleReport } from "./helpers/sample-report.js";

/** Cells of a Markdown table row, splitting on unescaped pipes only. */
const cells = (line: string) => line.split(/(?<!\\)\|/).slice(1, -1);
const tableLines = (md: string) => md.split("\n").filter((l) => l.startsWith("|"));
/** The text outside code spans, where Markdown and HTML would be interpreted. */
const outsideCode = (md: string) => md.replace(/(`+)[^`]*?\1/g, "");

describe("renderMarkdown", () => {
  const report = sampleReport();
  const md = renderMarkdown(report);

  it("starts with the summary line", () => {
    assert.ok(md.includes("**4 PASS · 2 WARN · 3 FAIL · 5 SKIP in 12.3 s**"), md);
  });

  it("has one table per group, titled from GROUP_TITLES, with a row per result", () => {
    const groups = [...new Set(report.results.map((r) => r.group))];
    for (const group of groups) {
      const title = GROUP_TITLES[group].replace(/[()]/g, "\\$&");
      const at = md.indexOf(`## ${GROUP_TITLES[group]}`);
      assert.ok(at >= 0 || md.includes(`## ${title}`), `section for ${group}`);
    }
    const headers = md.split("\n").filter((l) => l === "| Status | Endpoint | Check | Detail | Latency |");
    assert.equal(headers.length, groups.length);
    const rows = tableLines(md).filter((l) => /^\| [✔▲✖○] (PASS|WARN|FAIL|SKIP) \|/.test(l));
    assert.equal(rows.length, report.results.length);
    for (const row of rows) assert.equal(cells(row).length, 5, row);
    assert.ok(rows.some((l) => l.includes("`/v1/chat/completions[stream]`") && l.includes("TTFT 212 ms")));
  });

  it("lists each deviation with summary, implementations and rows", () => {
    const section = md.slice(md.indexOf("## Deviations"), md.indexOf("## Problems"));
    assert.match(section, /### model-retrieve-404\n\nGET \/v1\/models\/\{model\} returns 404/);
    assert.match(section, /Implementations: vLLM &lt; 0\.6, llama\.cpp server/);
    assert.match(section, /Rows: `\/v1\/models\/\{model\}`/);
    assert.match(section, /### stream-missing-done/);
  });

  it("has a problems section per failing row with field-level problems", () => {
    const section = md.slice(md.indexOf("## Problems"));
    for (const r of report.results.filter((x) => x.status === "FAIL")) {
      assert.ok(section.includes(`### ✖ FAIL ${r.id.replace(/[[\]]/g, "\\$&")}`), r.id);
    }
    assert.ok(
      section.includes("| `stream` | a final \\`data: \\[DONE\\]\\` event | EOF after 12 chunks | fail |"),
    );
    assert.ok(section.includes("string \\| null"), "pipes in cells are escaped");
  });

  it("keeps hostile text inside its cell and out of HTML and links", () => {
    const hostile = renderMarkdown(hostileReport());
    for (const line of tableLines(hostile)) {
      const n = cells(line).length;
      assert.ok(n === 4 || n === 5, `row keeps its cells: ${line}`);
    }
    const live = outsideCode(hostile);
    assert.ok(!/<(?!br>)[a-z/!]/i.test(live), "no raw HTML tags outside code spans");
    // The fix-first list's own links to headings of this document are the only ones.
    assert.ok(!/(?<!\\)\]\((?!#[a-z0-9_-]+\))/.test(live), "no links or images but in-page anchors");
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(hostile), "no raw control characters");
    const headings = hostile.split("\n").filter((l) => l.startsWith("#"));
    assert.ok(
      headings.every((h) => /^(# aioc report: |## |### )/.test(h)),
      "no heading injected by a newline",
    );
    assert.ok(hostile.includes("\\| fake \\| cells \\|<br>\\# heading"));
  });
});

describe("renderMarkdown fix-first list", () => {
  it("opens with the findings that break clients, most severe first, each linking to its Problems heading", () => {
    const r = sampleReport();
    const md = renderMarkdown(r);
    const start = md.indexOf("## Fix first");
    assert.ok(start > 0 && start < md.indexOf(`## ${GROUP_TITLES.models}`), "before the first group");
    const items = md.slice(start).split("\n\n")[1]!.split("\n");
    const fails = r.results.filter((x) => x.status === "FAIL");
    assert.equal(items.length, Math.min(fails.length, 8));
    const order = items.map((l) => /^\d+\. \[(.+?)\]\(#([a-z0-9_-]+)\)/.exec(l)!);
    const ranks = order.map((m) => {
      const row = fails.find((f) => escapeMarkdown(f.id) === m[1])!;
      return row.id.startsWith("client:") ? 0 : row.kind === "core" ? 1 : 3;
    });
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
      "client breakage, then core, then the rest",
    );
    for (const m of order) {
      const row = fails.find((f) => escapeMarkdown(f.id) === m[1])!;
      assert.equal(m[2], headingAnchor(`✖ FAIL ${row.id}`));
      assert.ok(md.includes(`### ✖ FAIL ${escapeMarkdown(row.id)}`), "the heading it links to exists");
    }
  });

  it("says nothing when no row FAILs", () => {
    const r = sampleReport();
    r.results = r.results.filter((x) => x.status !== "FAIL");
    assert.ok(!renderMarkdown(r).includes("Fix first"));
  });
});
