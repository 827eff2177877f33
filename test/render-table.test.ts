import assert from "node:assert/strict";
import { describe, it } from "node:test";
import stringWidth from "string-width";
import { colorEnabled, renderTable } from "../src/render/table.js";
import { HOSTILE, hostileReport, report, result, sampleReport } from "./helpers/sample-report.js";

const ESC = "\u001b";

describe("renderTable", () => {
  const report = sampleReport();
  const plain = renderTable(report, { color: false });
  const lines = plain.split("\n");

  it("names the target in a header line", () => {
    assert.match(lines[0]!, /local-vllm/);
    assert.match(lines[0]!, /http:\/\/127\.0\.0\.1:8000\/v1/);
  });

  it("ends with the summary line", () => {
    assert.ok(lines.includes("4 PASS · 2 WARN · 3 FAIL · 5 SKIP in 12.3 s"), plain);
    const summary = lines.filter((l) => /^\d+ PASS · \d+ WARN · \d+ FAIL · \d+ SKIP in \d+\.\d s$/.test(l));
    assert.equal(summary.length, 1);
  });

  it("has one aligned row per result with symbol, word, id, latency and detail", () => {
    const rows = lines.filter((l) => /^ {2}[✔▲✖○] (PASS|WARN|FAIL|SKIP) /.test(l));
    assert.equal(rows.length, report.results.length);
    for (const r of report.results) {
      const row = rows.find((l) => l.includes(` ${r.id} `));
      assert.ok(row, `row for ${r.id}`);
      assert.ok(row.includes(r.status) && row.includes(r.detail), row);
    }
    assert.match(plain, /✔ PASS {2}\/v1\/models {2,}12 ms {2,}200 · 3 models/);
    assert.match(plain, /○ SKIP {2}\/v1\/audio\/speech {2,}— {2,}no tts model/);
    const latencyColumn = new Set(rows.map((l) => l.search(/(\d+ ms|—)/)));
    assert.equal(latencyColumn.size, 1, "latency starts in the same column on every row");
  });

  it("writes no escape codes without colour, and colours statuses with it", () => {
    assert.ok(!plain.includes(ESC));
    const coloured = renderTable(report, { color: true });
    assert.ok(coloured.includes(`${ESC}[32m✔ PASS`));
    assert.ok(coloured.includes(`${ESC}[31m✖ FAIL`));
    assert.ok(coloured.includes(`${ESC}[33m▲ WARN`));
    assert.equal(coloured.replace(/\u001b\[\d+m/g, ""), plain, "colour changes nothing but colour");
  });

  it("escapes terminal control sequences from a hostile server, in colour too", () => {
    for (const color of [false, true]) {
      const out = renderTable(hostileReport(), { color });
      const withoutOurColours = out.replace(/\u001b\[\d+m/g, "");
      assert.ok(!withoutOurColours.includes(ESC), "no raw ESC from the server");
      assert.ok(
        !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(withoutOurColours),
        "no raw controls",
      );
      assert.ok(out.includes("\\x1b[2J\\x1b]0;owned\\x07gpt"), "model id shown escaped");
      assert.ok(out.includes("nul\\x00 bel\\x07 del\\x7f c1\\x9b"));
      assert.ok(out.includes(`line\\u2028para\\u2029end`));
    }
    assert.ok(HOSTILE.ansi.includes(ESC));
  });
});

describe("colorEnabled", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it("follows the terminal by default", () => {
    assert.equal(colorEnabled(tty, {}), true);
    assert.equal(colorEnabled(pipe, {}), false);
    assert.equal(colorEnabled(tty, { TERM: "dumb" }), false);
  });
  it("honours NO_COLOR over everything", () => {
    assert.equal(colorEnabled(tty, { NO_COLOR: "1" }), false);
    assert.equal(colorEnabled(tty, { NO_COLOR: "1", FORCE_COLOR: "1" }), false);
    assert.equal(colorEnabled(tty, { NO_COLOR: "" }), true, "an empty NO_COLOR does not count");
  });
  it("honours FORCE_COLOR", () => {
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: "1" }), true);
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: "" }), true);
    assert.equal(colorEnabled(tty, { FORCE_COLOR: "0" }), false);
  });
});

describe("renderTable fitted to the terminal", () => {
  const long = "x".repeat(300);
  const cjk = "模型不存在：请检查名称 🚀🚀 ".repeat(10);
  const fitted = (columns: number) =>
    renderTable(
      report([
        result("/v1/models", "PASS", "200 · 3 models"),
        result("/v1/chat/completions[error-invalid-json]", "FAIL", long),
        result("/v1/embeddings", "WARN", cjk),
      ]),
      { color: true, columns },
    );

  for (const columns of [80, 160]) {
    it(`no line is wider than ${columns} columns, and rows stay aligned`, () => {
      const lines = fitted(columns)
        .replace(/\u001b\[\d+m/g, "")
        .split("\n");
      for (const line of lines) assert.ok(stringWidth(line) < columns, `${stringWidth(line)}: ${line}`);
      const rows = lines.filter((l) => /^ {2}[✔▲✖○] /.test(l));
      assert.equal(rows.length, 3);
      assert.equal(new Set(rows.map((l) => l.search(/\d+ ms/))).size, 1, "latency column aligned");
      assert.ok(rows[1]!.endsWith("…"), "a long detail ends in an ellipsis");
    });
  }

  it("measures CJK and emoji as two columns each", () => {
    const row = fitted(80)
      .replace(/\u001b\[\d+m/g, "")
      .split("\n")
      .find((l) => l.includes("模型"))!;
    assert.ok(stringWidth(row) <= 79 && stringWidth(row) >= 76, `${stringWidth(row)} columns: ${row}`);
    assert.ok([...row].length < 79, "fewer code points than columns: wide characters counted twice");
  });

  it("keeps the full text without a width (reports, pipes)", () => {
    const plain = renderTable(report([result("/v1/embeddings", "WARN", cjk)]), { color: false });
    assert.ok(plain.includes(cjk.trim()));
  });
});
