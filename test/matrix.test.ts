import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { renderMatrix } from "../src/render/matrix.js";
import { runAioc, scratchDir } from "./helpers/report-cli.js";
import { hostileReport, report, result, sampleReport } from "./helpers/sample-report.js";

const other = report(
  [
    result("/v1/batches", "PASS", "200"),
    result("/v1/chat/completions", "FAIL", "500"),
    result("/v1/models", "WARN", "no owned_by"),
    result("/v1/zzz-custom", "PASS", "ok", { group: "chat" }),
  ],
  { target: { url: "http://10.0.0.3/v1", name: "ollama" } },
);

describe("renderMatrix", () => {
  const reports = [sampleReport(), other, sampleReport()];

  it("has rows in catalog order then unknown ids, and a column per target", () => {
    const md = renderMatrix(reports, "markdown");
    const lines = md.split("\n").filter((l) => l.startsWith("| "));
    assert.equal(lines[0], "| Endpoint | local-vllm | ollama | local-vllm (2) |");
    const ids = lines.slice(2, -1).map((l) => l.match(/^\| `([^`]+)`/)![1]!);
    const catalog = ENDPOINTS.map((e) => e.id).filter((id) => ids.includes(id));
    assert.deepEqual(ids, [...catalog, "/v1/zzz-custom"]);
    assert.ok(lines.includes("| `/v1/models` | ✔ | ▲ | ✔ |"));
    assert.ok(lines.includes("| `/v1/chat/completions[stream]` | ✖ | — | ✖ |"));
    assert.ok(lines.includes("| `/v1/batches` | — | ✔ | — |"));
    assert.equal(lines.at(-1), "| **PASS** | **4/14** | **2/4** | **4/14** |");
  });

  it("renders a self-contained HTML matrix with escaped names and details", () => {
    const html = renderMatrix([sampleReport(), hostileReport()], "html");
    assert.match(html, /<meta name="viewport"/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.ok(!/<img\b|<script\b/i.test(html));
    assert.match(html, /<th scope="col" data-column="1" title="http:\/\/evil\.invalid\/v1\?&lt;\/script&gt;/);
    assert.match(
      html,
      /<td class="cell FAIL" data-column="0" data-status="FAIL" title="FAIL: timed out after 30 s">✖<\/td>/,
    );
    assert.equal((html.match(/<tr data-id=/g) ?? []).length, 15);
  });
});

describe("aioc matrix", () => {
  it("writes Markdown to stdout and HTML to a file", () => {
    const dir = scratchDir({ "a.json": sampleReport(), "b.json": other });
    const md = runAioc(["matrix", "a.json", "b.json"], dir);
    assert.equal(md.code, 0, md.stderr);
    assert.equal(md.stdout, renderMatrix([sampleReport(), other], "markdown"));
    const html = runAioc(["matrix", "a.json", "b.json", "--format", "html", "-o", "m.html"], dir);
    assert.equal(html.code, 0, html.stderr);
    assert.equal(readFileSync(join(dir, "m.html"), "utf8"), renderMatrix([sampleReport(), other], "html"));
    const bad = runAioc(["matrix", "a.json", "nope.json"], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^aioc: cannot read report nope\.json: ENOENT\n$/);
  });
});
