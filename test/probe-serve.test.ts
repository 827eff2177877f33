/** The prober against the reference server: every row PASSes, with and without a key on both sides. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { runProbe } from "../src/probe/run.js";
import type { Report } from "../src/report/types.js";
import { type RunningServer, startServer } from "../src/serve/server.js";

const run = promisify(execFile);
const KEY = "sk-test-aioc-0123456789abcdef";

/** Every row PASSes; auth rows may SKIP when no key was given (there is nothing to check then). */
function assertAllPass(report: Report, authSkips = false) {
  const bad = report.results
    .filter((r) => r.status !== "PASS" && !(authSkips && r.status === "SKIP" && /\[auth-/.test(r.id)))
    .map((r) => `${r.id}: ${r.status} ${r.detail}`);
  assert.deepEqual(bad, [], "every row should PASS against the reference server");
}

const options = {
  timeoutMs: 10_000,
  concurrency: 4,
  maxBodyBytes: 16 << 20,
  // clients (issue #14): the python rows run against aioc serve in clients-sdks.test.ts (they need the venv).
  skip: /^client:openai-python\//,
} as const;

describe("probe against aioc serve", () => {
  let open: RunningServer;
  let locked: RunningServer;
  before(async () => {
    open = await startServer({ port: 0, host: "127.0.0.1" });
    locked = await startServer({ port: 0, host: "127.0.0.1", apiKey: KEY });
  });
  after(async () => {
    await open.close();
    await locked.close();
  });

  test("deep depth: every catalog row PASSes and is reported in catalog order", async () => {
    const report = await runProbe({ baseUrl: open.url, depth: "deep", ...options });
    assertAllPass(report, true);
    assert.deepEqual(
      report.results.map((r) => r.id),
      ENDPOINTS.filter((e) => !options.skip.test(e.id)).map((e) => e.id),
    );
  });

  test("with --api-key on both sides every row PASSes (auth rows included)", async () => {
    const report = await runProbe({ baseUrl: locked.url, apiKey: KEY, depth: "deep", ...options });
    assertAllPass(report);
    assert.ok(!JSON.stringify(report).includes(KEY), "the report never contains the key");
  });

  test("a key-protected server without a key: rows are SKIP 'auth required', never FAIL", async () => {
    const report = await runProbe({ baseUrl: locked.url, depth: "quick", ...options });
    assert.equal(report.summary.FAIL, 0);
    assert.ok(report.results.every((r) => r.status === "SKIP"));
    assert.match(report.results[0]!.detail, /auth required; pass --api-key/);
  });

  test("CLI: probe --report writes the report contract and exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aioc-"));
    const file = join(dir, "r.json");
    const { stdout, stderr } = await run("node", [
      "bin/aioc.js",
      "probe",
      locked.url.replace(/\/v1$/, ""),
      "--api-key",
      KEY,
      "--report",
      file,
      "--format",
      "table",
      "--depth",
      "quick",
    ]);
    assert.match(stdout, /\d+ PASS · 0 WARN · 0 FAIL · 0 SKIP in \d+\.\d s/);
    const text = readFileSync(file, "utf8");
    assert.ok(!text.includes(KEY) && !stdout.includes(KEY) && !stderr.includes(KEY));
    const report = JSON.parse(text) as Report;
    assert.equal(report.tool, "aioc");
    assert.equal(report.target.url, locked.url, "the base URL was normalised by adding /v1");
    for (const key of ["version", "target", "startedAt", "durationMs", "summary", "results"])
      assert.ok(key in report, key);
    for (const r of report.results) {
      for (const key of [
        "id",
        "path",
        "method",
        "group",
        "kind",
        "status",
        "detail",
        "httpStatus",
        "latencyMs",
        "phase",
        "problems",
      ]) {
        assert.ok(key in r, `${r.id} lacks ${key}`);
      }
    }
  });

  test("CLI: --fail-on warn exits 1 on a WARN; a missing core row exits 1", async () => {
    const server = await startServer({
      port: 0,
      host: "127.0.0.1",
      missing: ["/v1/embeddings", "/v1/files"],
    });
    try {
      const args = ["bin/aioc.js", "probe", server.url, "--depth", "quick", "--format", "json"];
      const failed = await run("node", args).catch((e: { code: number; stdout: string }) => e);
      assert.equal((failed as { code?: number }).code, 1);
      const report = JSON.parse((failed as { stdout: string }).stdout) as Report;
      assert.equal(report.results.find((r) => r.id === "/v1/embeddings")?.detail, "404 — endpoint absent");
      assert.equal(report.results.find((r) => r.id === "/v1/files")?.status, "WARN");
      const never = await run("node", [...args, "--fail-on", "never"]);
      assert.ok(never.stdout.length > 0);
    } finally {
      await server.close();
    }
  });

  test("CLI: --verbose prints one line per exchange with the key redacted; --out-dir writes every format", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aioc-"));
    const { stdout, stderr } = await run("node", [
      "bin/aioc.js",
      "probe",
      locked.url,
      "--api-key",
      KEY,
      "--only",
      "^/v1/(models|embeddings)$",
      "--verbose",
      "--format",
      "json",
      "--out-dir",
      dir,
    ]);
    const lines = stderr
      .trim()
      .split("\n")
      .filter((l) => / → /.test(l));
    const report = JSON.parse(stdout) as Report;
    assert.equal(lines.length, report.requests, "one line per request");
    assert.ok(
      lines.some((l) => /^POST http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings → 200 application\/json/.test(l)),
    );
    assert.ok(!stderr.includes(KEY));
    for (const f of ["report.json", "report.md", "report.html", "report.junit.xml"]) {
      const text = readFileSync(join(dir, f), "utf8");
      assert.ok(text.length > 0 && !text.includes(KEY), f);
    }
  });
});
