/** The GitHub Action's script, run as GitHub would run it (env, $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY) against aioc serve. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { type RunningServer, startServer } from "../src/serve/server.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "..");

/** The `run: |` block of the composite step, de-indented. */
function actionScript(): string {
  const lines = readFileSync(join(root, "action.yml"), "utf8").split("\n");
  const start = lines.findIndex((l) => /^\s+run: \|\s*$/.test(l));
  assert.ok(start > 0, "action.yml has a run block");
  const indent = (lines[start + 1] ?? "").match(/^\s*/)![0].length;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== "" && line.match(/^\s*/)![0].length < indent) break;
    body.push(line.slice(indent));
  }
  return body.join("\n");
}

let server: RunningServer;
before(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", missing: ["/v1/files"] });
});
after(() => server.close());

async function runAction(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "aioc-action-"));
  const script = join(dir, "step.sh");
  writeFileSync(script, actionScript());
  const env = {
    ...process.env,
    GITHUB_ACTION_PATH: root,
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
    INPUT_BASE_URL: server.url,
    INPUT_NAME: "ref",
    INPUT_MODEL: "",
    INPUT_DEPTH: "quick",
    INPUT_FAIL_ON: "fail",
    INPUT_ONLY: "",
    INPUT_OUT_DIR: join(dir, "out"),
    ...inputs,
  };
  writeFileSync(env.GITHUB_OUTPUT, "");
  const result = await run("bash", [script], { env, cwd: dir }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  const outputs = Object.fromEntries(
    readFileSync(env.GITHUB_OUTPUT, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split("=") as [string, string]),
  );
  return { ...result, outputs, dir, summary: readFileSync(env.GITHUB_STEP_SUMMARY, "utf8") };
}

test("the action probes, sets outputs, writes the job summary and the reports", async () => {
  const r = await runAction({});
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.outputs.fail, "0");
  assert.equal(r.outputs.warn, "1", "the missing ext row is WARN");
  assert.ok(Number(r.outputs.pass) > 10);
  assert.equal(r.outputs.report, join(r.dir, "out", "report.json"));
  assert.match(r.summary, /PASS/);
  for (const f of ["report.json", "report.md", "report.html", "report.junit.xml"]) {
    assert.ok(readFileSync(join(r.dir, "out", f), "utf8").length > 0, f);
  }
});

test("fail-on warn fails the step", async () => {
  const r = await runAction({ INPUT_FAIL_ON: "warn" });
  assert.equal(r.code, 1);
  assert.equal(r.outputs.warn, "1");
});
