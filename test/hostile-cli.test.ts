/**
 * The built CLI (`npm run build` first) against hostile servers, as a child process: memory stays bounded
 * whatever the server sends, the key never reaches any output in any spelling, and server-chosen strings
 * cannot drive the terminal.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Report } from "../src/report/types.js";
import {
  AIOC_BIN,
  type ChildRun,
  type Mode,
  prepareBombs,
  runAiocChild,
  startHostile,
  type Target,
} from "./helpers/hostile-server.js";

const ONLY = "^/v1/(models(/\\{model\\})?|chat/completions(\\[stream\\])?)$";
const MAX_RSS_MB = 150;
const scratch = mkdtempSync(join(tmpdir(), "aioc-hostile-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function help(command: string): { ok: boolean; text: string } {
  const run = spawnSync(process.execPath, [AIOC_BIN, command, "--help"], { encoding: "utf8" });
  return { ok: run.status === 0, text: run.stdout };
}

function parseReport(text: string): Report {
  return JSON.parse(text) as Report;
}

/** The CLI neither crashed nor printed an internal error, and kept stderr to aioc's own lines. */
function assertNoCrash(run: ChildRun, label: string) {
  assert.equal(run.signal, null, `${label}: killed by ${run.signal}`);
  assert.ok(run.code === 0 || run.code === 1, `${label}: exit ${run.code}; stderr: ${run.stderr}`);
  assert.doesNotMatch(run.stderr, /internal error|Error:|\n\s+at /, `${label}: ${run.stderr}`);
}

before(() => prepareBombs());

describe("peak memory of the CLI stays bounded", { concurrency: 2 }, () => {
  const cases: [Mode, Target, string, RegExp][] = [
    ["none", "chat", "", /^200 · shape valid$/],
    ["big-body", "chat", "/v1/chat/completions", /^body exceeds 16 MB \(--max-body\)/],
    [
      "big-body-declared",
      "chat",
      "/v1/chat/completions",
      /^body exceeds 16 MB \(--max-body; Content-Length 1 GB\)/,
    ],
    ["gzip-bomb", "chat", "/v1/chat/completions", /^body exceeds 16 MB \(--max-body\)/],
    ["br-bomb", "chat", "/v1/chat/completions", /^body exceeds 16 MB \(--max-body\)/],
    ["sse-flood", "stream", "/v1/chat/completions[stream]", /^stream sent more than \d+ events/],
    ["sse-long-line", "stream", "/v1/chat/completions[stream]", /^body exceeds 16 MB \(--max-body\)/],
  ];
  for (const [mode, target, row, detail] of cases) {
    test(`${mode}: peak RSS ≤ ${MAX_RSS_MB} MB, the row fails, the others pass`, async () => {
      const server = await startHostile({ mode, target });
      try {
        const run = await runAiocChild([
          "probe",
          server.url,
          "--only",
          ONLY,
          "--depth",
          "quick",
          "--timeout",
          "10",
          "--format",
          "json",
        ]);
        assertNoCrash(run, mode);
        // None of these stalls: well inside one request deadline (10 s), start-up included.
        assert.ok(run.wallMs < 10_000, `took ${Math.round(run.wallMs)} ms`);
        assert.equal(run.stderr, "");
        const report = parseReport(run.stdout);
        for (const r of report.results) {
          if (r.id === row) {
            assert.equal(r.status, "FAIL", `${r.id}: ${r.detail}`);
            assert.match(r.detail, detail);
          } else assert.equal(r.status, "PASS", `${r.id}: ${r.status} — ${r.detail}`);
        }
        assert.equal(run.code, row ? 1 : 0);
        assert.ok(run.peakRssMb !== null, "could not measure peak RSS");
        assert.ok(run.peakRssMb <= MAX_RSS_MB, `peak RSS ${run.peakRssMb.toFixed(0)} MB`);
      } finally {
        await server.close();
      }
    });
  }

  test("100,000 models: fast, bounded, and the table does not list them", async () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `model-${String(i).padStart(6, "0")}`);
    const server = await startHostile({ mode: "none", models: () => ids });
    try {
      const run = await runAiocChild([
        "probe",
        server.url,
        "--only",
        ONLY,
        "--depth",
        "quick",
        "--format",
        "table",
      ]);
      assertNoCrash(run, "100k models");
      assert.equal(run.code, 0, run.stdout);
      assert.ok(run.wallMs < 8000, `took ${Math.round(run.wallMs)} ms`);
      assert.ok(run.stdout.length < 20_000, `table is ${run.stdout.length} bytes`);
      assert.ok(run.peakRssMb !== null && run.peakRssMb <= MAX_RSS_MB, `peak RSS ${run.peakRssMb} MB`);
    } finally {
      await server.close();
    }
  });
});

/** Undoes the escaping a renderer may apply (Markdown backslashes, HTML/XML entities) before looking for leaks. */
function unescapeMarkup(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\\(.)/g, "$1");
}

/**
 * Every way `key` (or its interior, two bytes shorter) could be recovered from `text`: as is, URL-encoded,
 * JSON-escaped, hex, and base64/base64url at any alignment (each run decoded from each of 4 offsets).
 */
function leaks(raw: string, key: string): string[] {
  const found = new Set<string>();
  const inner = key.slice(1, -1);
  for (const text of [raw, unescapeMarkup(raw)]) {
    if (text.includes(inner)) found.add("raw");
    if (text.includes(encodeURIComponent(inner))) found.add("url-encoded");
    if (text.includes(JSON.stringify(inner).slice(1, -1))) found.add("json-escaped");
    if (text.toLowerCase().includes(Buffer.from(inner).toString("hex"))) found.add("hex");
    for (const run of text.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []) {
      const std = run.replace(/-/g, "+").replace(/_/g, "/");
      for (let offset = 0; offset < 4; offset++) {
        if (Buffer.from(std.slice(offset), "base64").toString("latin1").includes(inner)) found.add("base64");
      }
    }
  }
  return [...found];
}

describe("a server that echoes the key back cannot make aioc print it", () => {
  // `+`, `/` and `=` make the URL-encoded spelling differ from the raw one.
  const KEY = "sk-hostile+Echo/Key=0123456789abcdefXYZ";
  const outputs = new Map<string, string>();

  before(async () => {
    const server = await startHostile({ mode: "echo", target: "chat" });
    try {
      const probeHelp = help("probe").text;
      const outDir = join(scratch, "echo-out");
      const extra = [
        ...(probeHelp.includes("--out-dir") ? ["--out-dir", outDir] : []),
        ...(probeHelp.includes("--verbose") ? ["--verbose"] : []),
      ];
      const reportFile = join(scratch, "echo.json");
      const common = ["probe", server.url, "--api-key", KEY, "--only", ONLY, "--depth", "quick"];
      const table = await runAiocChild([...common, "--format", "table", "--report", reportFile, ...extra]);
      assertNoCrash(table, "echo table");
      outputs.set("probe table stdout", table.stdout);
      outputs.set("probe table stderr", table.stderr);
      outputs.set("report file", readFileSync(reportFile, "utf8"));
      if (existsSync(outDir)) {
        for (const f of readdirSync(outDir))
          outputs.set(`--out-dir ${f}`, readFileSync(join(outDir, f), "utf8"));
      }
      const json = await runAiocChild([...common, "--format", "json"], { env: { AIOC_API_KEY: KEY } });
      assertNoCrash(json, "echo json");
      outputs.set("probe json stdout", json.stdout);
      outputs.set("probe json stderr", json.stderr);
      for (const format of ["markdown", "html", "junit"]) {
        const run = await runAiocChild([...common, "--format", format]);
        outputs.set(`probe --format ${format}`, run.stdout);
      }
      if (help("render").ok) {
        for (const format of ["table", "markdown", "html", "junit", "json"]) {
          const run = await runAiocChild(["render", reportFile, "--format", format]);
          assert.equal(run.code, 0, `render ${format}: ${run.stderr}`);
          outputs.set(`render --format ${format}`, run.stdout + run.stderr);
        }
      } else {
        // Until `aioc render` exists, render the saved report in-process.
        const { renderReport } = await import("../src/render/index.js");
        const report = parseReport(readFileSync(reportFile, "utf8"));
        for (const format of ["markdown", "html", "junit"]) {
          outputs.set(`renderReport ${format}`, renderReport(report, format));
        }
      }
    } finally {
      await server.close();
    }
  });

  test("the echo reached aioc (the test is not vacuous)", () => {
    const report = parseReport(outputs.get("probe json stdout")!);
    const chat = report.results.find((r) => r.id === "/v1/chat/completions")!;
    assert.equal(chat.status, "FAIL");
    assert.match(chat.detail, /^400 — echo: Bearer \[REDACTED\]/);
    assert.ok(JSON.stringify(report).includes("[REDACTED]"));
    assert.ok(
      Object.values(report.models).some((m) => m?.includes("[REDACTED]")),
      JSON.stringify(report.models),
    );
    assert.ok(outputs.size >= 10, [...outputs.keys()].join(", "));
  });

  test("no output holds the key in any spelling", () => {
    for (const [name, text] of outputs) {
      assert.ok(text.length > 0 || name.includes("stderr"), `${name} is empty`);
      assert.deepEqual(leaks(text, KEY), [], `${name} leaks the key`);
    }
  });

  test("the leak detector itself finds every spelling", () => {
    const bearer = `Bearer ${KEY}`;
    for (const sample of [
      KEY,
      encodeURIComponent(bearer),
      Buffer.from(bearer).toString("hex"),
      Buffer.from(bearer).toString("base64"),
      Buffer.from(`x${bearer}`).toString("base64url"),
      Buffer.from(`xy${KEY}`).toString("base64"),
    ]) {
      assert.notDeepEqual(leaks(`prefix ${sample} suffix`, KEY), [], sample);
    }
  });
});

describe("server-chosen strings cannot drive the terminal", () => {
  const EVIL = [
    "\u001b[31mred\u001b[0m",
    "\u001b]0;pwned title\u0007",
    "\u001b]8;;http://evil.example/\u001b\\link\u001b]8;;\u001b\\",
    "\u009b31mc1-csi",
    "nul\u0000byte",
    "back\bspace\rcarriage",
    "\u001b[2J\u001b[Hcleared",
  ];
  // Everything but tab and newline: C0 controls, DEL and C1 controls.
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

  test("model ids with escape sequences are escaped in the table (and every other text output)", async () => {
    const server = await startHostile({ mode: "none", models: () => [...EVIL, "tiny-chat"] });
    const reportFile = join(scratch, "evil.json");
    try {
      const table = await runAiocChild([
        "probe",
        server.url,
        "--only",
        ONLY,
        "--depth",
        "quick",
        "--format",
        "table",
        "--report",
        reportFile,
        "--model",
        EVIL[0]!,
      ]);
      assertNoCrash(table, "evil table");
      assert.ok(table.stdout.includes("\\x1b[31mred"), table.stdout);
      assert.doesNotMatch(table.stdout, CONTROL);
      assert.doesNotMatch(table.stderr, CONTROL);
      // The report keeps the ids exactly (JSON escapes them); views made from it escape them again.
      const report = parseReport(readFileSync(reportFile, "utf8"));
      assert.equal(report.models.chat, EVIL[0]);
      if (help("render").ok) {
        for (const format of ["table", "markdown", "html", "junit"]) {
          const run = await runAiocChild(["render", reportFile, "--format", format]);
          assert.equal(run.code, 0, run.stderr);
          assert.doesNotMatch(run.stdout, CONTROL, `render --format ${format}`);
        }
      }
    } finally {
      await server.close();
    }
  });
});
