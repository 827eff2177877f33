import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderJunit } from "../src/render/junit.js";
import type { Report } from "../src/report/types.js";
import { hostileReport, sampleReport } from "./helpers/sample-report.js";

const attrs = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/([\w.:-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#\d+);/g, (_, e: string) =>
    e.startsWith("#")
      ? String.fromCharCode(Number(e.slice(1)))
      : { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" }[e]!,
  );

/** A strict-enough XML 1.0 well-formedness check: legal characters, balanced tags, quoted attributes, escaped text. */
function assertWellFormed(xml: string): void {
  assert.ok(!/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\ud800-\udfff]/u.test(xml), "only XML 1.0 characters");
  assert.ok(
    !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(xml),
    "no lone surrogates",
  );
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, "");
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf("<", i);
    const text = body.slice(i, lt === -1 ? undefined : lt);
    assert.ok(
      !/&(?!(lt|gt|quot|apos|amp|#\d+);)/.test(text) && !text.includes(">"),
      `text is escaped: ${text}`,
    );
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    assert.ok(m, `a well-formed tag at ${body.slice(lt, lt + 60)}`);
    const [, close, name, , selfClose] = m;
    if (close) assert.equal(stack.pop(), name, "tags balance");
    else if (!selfClose) stack.push(name!);
    i = tag.lastIndex;
  }
  assert.deepEqual(stack, [], "every tag is closed");
}

function suites(xml: string) {
  return [...xml.matchAll(/<testsuite ([^>]*)>([\s\S]*?)<\/testsuite>/g)].map((m) => ({
    attrs: attrs(m[1]!),
    cases: [...m[2]!.matchAll(/<testcase ([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((c) => ({
      attrs: attrs(c[1]!),
      body: c[2] ?? "",
    })),
  }));
}

describe("renderJunit", () => {
  const report = sampleReport();
  const xml = renderJunit(report);

  it("is well-formed with one suite per group and correct counts", () => {
    assertWellFormed(xml);
    const groups = [...new Set(report.results.map((r) => r.group))];
    const parsed = suites(xml);
    assert.deepEqual(
      parsed.map((s) => s.attrs.name),
      groups,
    );
    for (const suite of parsed) {
      const rows = report.results.filter((r) => r.group === suite.attrs.name);
      assert.equal(Number(suite.attrs.tests), rows.length);
      assert.equal(Number(suite.attrs.failures), rows.filter((r) => r.status === "FAIL").length);
      assert.equal(Number(suite.attrs.skipped), rows.filter((r) => r.status === "SKIP").length);
      assert.equal(suite.cases.length, rows.length);
      const time = rows.reduce((t, r) => t + (r.latencyMs ?? 0), 0) / 1000;
      assert.equal(Number(suite.attrs.time), Number(time.toFixed(3)));
    }
    const top = attrs(xml.match(/<testsuites ([^>]*)>/)![1]!);
    assert.equal(Number(top.tests), report.results.length);
    assert.equal(Number(top.failures), report.summary.FAIL);
    assert.equal(Number(top.skipped), report.summary.SKIP);
  });

  it("maps each status to a testcase", () => {
    const cases = suites(xml).flatMap((s) => s.cases);
    for (const r of report.results) {
      const c = cases.find((x) => x.attrs.name === r.id)!;
      assert.equal(c.attrs.classname, `aioc.${r.group}`);
      assert.equal(Number(c.attrs.time), (r.latencyMs ?? 0) / 1000);
      if (r.status === "FAIL") assert.match(c.body, /<failure message="[^"]*" type="FAIL">/);
      else assert.ok(!c.body.includes("<failure"), r.id);
      assert.equal(c.body.includes("<skipped"), r.status === "SKIP", r.id);
      if (r.status === "WARN") assert.match(c.body, /<system-out>WARN: /);
    }
    const stream = cases.find((c) => c.attrs.name === "/v1/chat/completions[stream]")!;
    assert.equal(unescapeXml(stream.body.match(/message="([^"]*)"/)![1]!), report.results[3]!.detail);
    assert.match(stream.body, /stream: expected a final `data: \[DONE\]` event, got EOF after 12 chunks/);
    assert.match(stream.body, /deviation stream-missing-done/);
    const warn = cases.find((c) => c.attrs.name === "/v1/models/{model}")!;
    assert.match(warn.body, /deviation model-retrieve-404: .* \(seen in vLLM &lt; 0\.6, llama\.cpp server\)/);
  });

  it("stays well-formed against a hostile server and keeps what it said visible", () => {
    const hostile: Report = hostileReport();
    const out = renderJunit(hostile);
    assertWellFormed(out);
    assert.ok(!out.includes("]]>"));
    assert.ok(!out.includes("<script") && !out.includes("<img") && !out.includes("<injected"));
    assert.ok(out.includes("\\x1b[2J\\x1b]0;owned\\x07"), "control characters shown as escapes");
    assert.ok(out.includes("lone \ufffd and \ufffd"), "lone surrogates and U+FFFE replaced");
    const skipped = out.match(/<skipped message="([^"]*)"/)![1]!;
    assert.ok(skipped.includes("&#10;"), "newlines in attributes survive as character references");
    assert.equal(suites(out).flatMap((s) => s.cases).length, hostile.results.length);
  });
});
