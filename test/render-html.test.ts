import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { renderHtml } from "../src/render/html.js";
import { STATUSES } from "../src/report/types.js";
import { HOSTILE, hostileReport, sampleReport } from "./helpers/sample-report.js";

const count = (s: string, needle: string | RegExp) =>
  typeof needle === "string" ? s.split(needle).length - 1 : [...s.matchAll(needle)].length;

const embedded = (html: string) =>
  html.match(/<script type="application\/json" id="aioc-report">([\s\S]*?)<\/script>/)![1]!;

describe("renderHtml", () => {
  const report = sampleReport();
  const html = renderHtml(report);

  it("is one self-contained page, readable on a phone", () => {
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.ok(!/\s(src|href|action|srcset)="(?!#)/i.test(html), "no external resources or links");
    assert.ok(!/<link\b|@import|url\(/i.test(html), "no stylesheets, imports or CSS urls");
  });

  it("locks the page down with a CSP whose hashes match its own style and script", () => {
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)![1]!;
    assert.match(csp, /default-src 'none'/);
    const hash = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;
    const style = html.match(/<style>([\s\S]*?)<\/style>/)![1]!;
    const script = html.match(/<script>([\s\S]*?)<\/script>/)![1]!;
    assert.ok(csp.includes(`style-src ${hash(style)}`));
    assert.ok(csp.includes(`script-src ${hash(script)}`));
  });

  it("shows the summary counts, a donut and status filters", () => {
    for (const s of STATUSES) {
      assert.ok(html.includes(`<dd id="count-${s}">${report.summary[s]}</dd>`), s);
      assert.ok(html.includes(`data-filter="${s}"`), s);
    }
    assert.match(html, /<svg class="donut"[^>]*aria-label="4 PASS, 2 WARN, 3 FAIL, 5 SKIP"/);
    assert.equal(count(html, /<circle class="seg /g), 4);
  });

  it("has one expandable row per result, grouped, with exchanges, problems, deviations and metrics", () => {
    assert.equal(count(html, /<details class="result" /g), report.results.length);
    for (const s of STATUSES) assert.equal(count(html, `data-status="${s}"`), report.summary[s], s);
    assert.equal(count(html, /<section class="group" /g), new Set(report.results.map((r) => r.group)).size);
    const stream = html.slice(html.indexOf('data-id="/v1/chat/completions[stream]"'));
    const row = stream.slice(0, stream.indexOf('<details class="result"'));
    assert.match(row, /TTFT 212 ms · Tokens\/s 48\.3/);
    assert.match(row, /<td><code>\/choices\/0\/delta\/role<\/code><\/td><td>string \| null<\/td>/);
    assert.match(
      row,
      /<code class="request-line">POST http:\/\/127\.0\.0\.1:8000\/v1\/chat\/completions<\/code>/,
    );
    assert.match(row, /<pre class="response-body">data: \{&quot;id&quot;:&quot;chatcmpl-2&quot;/);
    assert.match(
      html,
      /<pre class="response-body">\{\n {2}&quot;object&quot;: &quot;list&quot;/,
      "JSON pretty-printed",
    );
    assert.match(html, /<article class="deviation" data-deviation="model-retrieve-404">/);
    assert.match(html, /<span class="chip">vLLM &lt; 0\.6<\/span>/);
    assert.match(html, /<a href="#r-v1-models-model"><code>\/v1\/models\/\{model\}<\/code><\/a>/);
    assert.match(html, /id="r-v1-models-model"/);
    assert.match(html, /class="no-response"/, "an exchange without a response says so");
  });

  it("embeds the report JSON, which parses back to the report", () => {
    assert.deepEqual(JSON.parse(embedded(html)), report);
  });

  it("escapes everything a hostile server sent", () => {
    const hostile = hostileReport();
    const out = renderHtml(hostile);
    assert.equal(count(out, /<script\b/gi), 2, "only our two script elements");
    assert.equal(count(out, /<\/script/gi), 2);
    assert.ok(!/<img\b|<injected|<b>evil|<!\[CDATA\[/i.test(out), "no injected element");
    assert.ok(!/\son\w+="/i.test(out.replace(/&quot;/g, "")), "no event handler attribute");
    assert.ok(
      !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(out),
      "no raw control characters",
    );
    const json = embedded(out);
    assert.ok(
      !/[<>\u2028\u2029]/.test(json),
      "embedded JSON cannot close its script element or break parsers",
    );
    assert.deepEqual(JSON.parse(json), hostile, "and still round-trips exactly");
    assert.ok(out.includes("evil&lt;img src=&quot;http://evil.invalid/p.png&quot;"));
    assert.ok(out.includes("\\x1b[2J\\x1b]0;owned\\x07gpt&lt;img"), "model id escaped");
    assert.ok(HOSTILE.script.includes("</script>"));
  });
});
