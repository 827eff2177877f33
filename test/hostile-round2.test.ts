/**
 * Issue #13 through the built CLI (`npm run build` first): no silent exit, the TLS hint, bounded memory after
 * the body arrived, bidi controls, short or common-word keys that must not rewrite aioc's own fields, the cap
 * on saved reports, and the exit guard. (In-process cases are in hostile.test.ts, redaction in
 * hostile-secrets.test.ts, option bounds in bad-input.test.ts.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { diffReports } from "../src/gap/diff.js";
import type { Report } from "../src/report/types.js";
import { startServer } from "../src/serve/server.js";
import { BIDI_SAMPLE, prepareBombs, runAiocChild, startHostile } from "./helpers/hostile-server.js";

const ONLY = "^/v1/(models(/\\{model\\})?|chat/completions(\\[stream\\])?)$";
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const scratch = mkdtempSync(join(tmpdir(), "aioc-round2-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
before(() => prepareBombs());

describe("every probe ends with a report and a summary line", { concurrency: 2 }, () => {
  test("a server answering 101 Switching Protocols and holding the socket: a report, not a silent exit 13", async () => {
    const server = await startHostile({ mode: "upgrade-101", target: "all" });
    try {
      const run = await runAiocChild([
        "probe",
        server.url,
        "--only",
        ONLY,
        "--format",
        "table",
        "--timeout",
        "5",
      ]);
      assert.equal(run.code, 1, `exit ${run.code}; stderr: ${run.stderr}`);
      assert.match(run.stdout, /answered 101 Switching Protocols \(upgrade: websocket\)/);
      assert.match(run.stdout, /\d+ PASS · \d+ WARN · \d+ FAIL · \d+ SKIP in [\d.]+ s/);
    } finally {
      await server.close();
    }
  });

  test("the exit guard: a command that runs out of things to wait for still writes a line and exits 2", () => {
    const guard = fileURLToPath(new URL("../src/cli/exit-guard.ts", import.meta.url));
    const script = `import { guardExit } from ${JSON.stringify(guard)}; guardExit("the probe"); await new Promise(() => {});`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^aioc: internal error: the probe stopped before writing its report/m);
  });
});

test("TLS bytes on an http:// URL: one line, 'the server speaks TLS: use https://', exit 2", async () => {
  const server = await startHostile({ mode: "tls-bytes", target: "all" });
  try {
    const run = await runAiocChild(["probe", server.url, "--timeout", "5"]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.match(
      run.stderr,
      /^aioc: cannot reach http:\/\/127\.0\.0\.1:\d+\/v1: the server speaks TLS: use https:\/\/\n$/,
    );
  } finally {
    await server.close();
  }
});

describe("CPU and memory after the body arrived stay bounded", { concurrency: 2 }, () => {
  for (const mode of ["million-keys", "body-15mb"] as const) {
    test(`${mode}: the row settles and peak RSS stays under 250 MB`, async () => {
      const server = await startHostile({ mode, target: "chat" });
      try {
        const run = await runAiocChild(
          [
            "probe",
            server.url,
            "--only",
            ONLY,
            "--depth",
            "quick",
            "--format",
            "json",
            "--api-key",
            "sk-test-0123456789abcdef",
          ],
          { killAfterMs: 120_000 },
        );
        assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
        const report = JSON.parse(run.stdout) as Report;
        const chat = report.results.find((r) => r.id === "/v1/chat/completions")!;
        if (mode === "million-keys") assert.match(chat.detail, /^body too complex to analyse/);
        else assert.equal(chat.status, "PASS", chat.detail);
        if (run.peakRssMb !== null) assert.ok(run.peakRssMb < 250, `peak RSS ${run.peakRssMb.toFixed(0)} MB`);
      } finally {
        await server.close();
      }
    });
  }

  test("render refuses a report over 64 MB with one line (exit 2), before reading it", async () => {
    const file = join(scratch, "huge.json");
    const fd = openSync(file, "w");
    writeSync(fd, "{}", 65 * 1024 * 1024);
    closeSync(fd);
    for (const args of [
      ["render", file],
      ["gap", file, file],
      ["matrix", file],
    ]) {
      const run = await runAiocChild(args);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^aioc: report .*huge\.json is 65 MB; aioc reads reports up to 64 MB\n$/);
    }
  });
});

test("bidi controls in server text never reach an output raw", async () => {
  const server = await startHostile({ mode: "none", models: () => [BIDI_SAMPLE] });
  try {
    for (const format of ["table", "json", "markdown", "html", "junit"]) {
      const run = await runAiocChild([
        "probe",
        server.url,
        "--only",
        ONLY,
        "--depth",
        "quick",
        "--format",
        format,
      ]);
      if (format !== "junit") assert.ok(run.stdout.includes("202e"), `${format}: the model id is not shown`);
      assert.doesNotMatch(run.stdout, BIDI, `${format} carries a raw bidi control`);
    }
  } finally {
    await server.close();
  }
});

describe("short or common-word keys never rewrite aioc's own fields", { concurrency: 2 }, () => {
  let url = "";
  let close = async () => {};
  let baseline: Report;
  before(async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1" });
    url = server.url;
    close = server.close;
    const run = await runAiocChild(["probe", url, "--format", "json", "--depth", "quick"]);
    baseline = JSON.parse(run.stdout) as Report;
  });
  after(() => close());

  for (const key of [
    "wrong",
    "chat",
    "model",
    "aioc",
    "EMPTY",
    "ollama",
    "completions",
    "/v1/chat/completions",
  ]) {
    test(`--api-key ${key}`, async () => {
      const run = await runAiocChild([
        "probe",
        url,
        "--api-key",
        key,
        "--format",
        "json",
        "--depth",
        "quick",
      ]);
      const report = JSON.parse(run.stdout) as Report;
      const shape = (r: Report) => r.results.map((x) => [x.id, x.path, x.group, x.kind, x.label].join(" "));
      assert.deepEqual(shape(report), shape(baseline));
      assert.equal(report.target.url, baseline.target.url);
      // A short key is not matched at all: nothing is redacted but the Authorization header aioc records as
      // "Bearer [REDACTED]". (A longer one is redacted where the server's own text contains it, never in ids.)
      if (key.length < 8) {
        assert.doesNotMatch(run.stdout.replaceAll('"authorization": "Bearer [REDACTED]"', ""), /REDACTED/);
      }
      const diff = diffReports(baseline, report);
      assert.equal(diff.rows.filter((r) => r.change === "only-in-a" || r.change === "only-in-b").length, 0);
      const warnings = run.stderr.split("\n").filter((l) => /cannot be redacted reliably/.test(l));
      assert.equal(warnings.length, key.length < 8 ? 1 : 0, run.stderr);
    });
  }
});

test("the report's JSON is the bytes a file gets (bidi-safe JSON parses back to the same value)", async () => {
  const { renderJson } = await import("../src/render/json.js");
  const value = { s: `${BIDI_SAMPLE}\u0085\u2028` };
  const text = renderJson(value as never);
  assert.doesNotMatch(text, BIDI);
  assert.deepEqual(JSON.parse(text), value);
});
