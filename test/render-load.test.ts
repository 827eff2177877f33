import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { UsageError } from "../src/cli/errors.js";
import { FORMAT_NAMES, FORMATS, renderReport } from "../src/render/index.js";
import { loadReport } from "../src/report/load.js";
import { runAioc, scratchDir } from "./helpers/report-cli.js";
import { sampleReport } from "./helpers/sample-report.js";

const report = sampleReport();

describe("loadReport", () => {
  const dir = scratchDir({
    "ok.json": report,
    "bad.json": "{ not json",
    "other.json": { tool: "something-else", results: [] },
    "no-results.json": { tool: "aioc" },
    "bad-status.json": { tool: "aioc", results: [{ id: "/v1/models", status: "GREAT" }] },
    "minimal.json": {
      tool: "aioc",
      results: [
        { id: "/v1/models", status: "PASS" },
        { id: "/v1/x", status: "FAIL" },
      ],
    },
  });

  it("reads a report as written", () => {
    assert.deepEqual(loadReport(join(dir, "ok.json")), report);
  });

  it("fills what renderers need into a minimal report", () => {
    const minimal = loadReport(join(dir, "minimal.json"));
    assert.deepEqual(minimal.summary, { PASS: 1, WARN: 0, FAIL: 1, SKIP: 0 });
    assert.deepEqual(minimal.results[0]!.problems, []);
    for (const format of FORMAT_NAMES) assert.ok(renderReport(minimal, format).length > 0, format);
  });

  it("throws a one-line UsageError naming the file", () => {
    const cases: [string, RegExp][] = [
      ["missing.json", /^cannot read report .*missing\.json: ENOENT$/],
      ["bad.json", /^report .*bad\.json is not valid JSON: /],
      ["other.json", /other\.json is not an aioc report: no "tool": "aioc" field$/],
      ["no-results.json", /no-results\.json is not an aioc report: no "results" array$/],
      ["bad-status.json", /bad-status\.json is not an aioc report: results\[0\] lacks/],
      [".", /^cannot read report : EISDIR$/],
    ];
    for (const [file, message] of cases) {
      assert.throws(
        () => loadReport(file === "." ? dir : join(dir, file)),
        (err: unknown) =>
          err instanceof UsageError &&
          !err.message.includes("\n") &&
          message.test(err.message.replace(dir, "")),
        file,
      );
    }
  });
});

describe("FORMATS and renderReport", () => {
  it("registers every format", () => {
    assert.deepEqual(Object.keys(FORMATS).sort(), [...FORMAT_NAMES].sort());
    assert.deepEqual([...FORMAT_NAMES], ["table", "markdown", "html", "junit", "json"]);
  });

  it("renders JSON that reads back as the report", () => {
    assert.deepEqual(JSON.parse(renderReport(report, "json")), report);
  });

  it("refuses an unknown format with a UsageError", () => {
    assert.throws(() => renderReport(report, "pdf"), UsageError);
  });
});

describe("aioc render", () => {
  const dir = scratchDir({ "report.json": report, "bad.json": "[1," });

  it("renders every format to stdout, or to a file with -o", () => {
    for (const format of FORMAT_NAMES) {
      const run = runAioc(["render", "report.json", "--format", format], dir);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, renderReport(report, format, { color: false }), format);
    }
    const run = runAioc(["render", "report.json", "-f", "html", "-o", "out.html"], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(readFileSync(join(dir, "out.html"), "utf8"), renderReport(report, "html"));
  });

  it("exits 2 with one line and no stack trace on a bad report or format", () => {
    for (const args of [
      ["render", "missing.json"],
      ["render", "bad.json"],
      ["render", "report.json", "-f", "pdf"],
    ]) {
      const run = runAioc(args, dir);
      assert.equal(run.code, 2, args.join(" "));
      assert.equal(run.stdout, "");
      const lines = run.stderr.trimEnd().split("\n");
      assert.ok(!/\n\s+at /.test(run.stderr), "no stack trace");
      if (args[1] !== "report.json") {
        assert.equal(lines.length, 1, run.stderr);
        assert.match(lines[0]!, new RegExp(`^aioc: .*${args[1]!.replace(".", "\\.")}`));
      }
    }
  });
});
