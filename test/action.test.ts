/**
 * The GitHub Action: action.yml's shape (the runner's Node unless too old, every input handed to the script), and
 * scripts/action.sh run as GitHub runs it (env, $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY) against `aioc serve`, from
 * a copy of the action laid out like a release tag (bin/, dist/, no node_modules) under NODE_ENV=production.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { type Front, portkeyGuard, startFront } from "./helpers/reach.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "aioc-action-"));

/** The action as a release tag carries it: the built CLI, no node_modules. */
function releaseCopy(withDist = true): string {
  const dir = mkdtempSync(join(scratch, "action-"));
  for (const part of ["bin", "scripts", "package.json", "package-lock.json", "action.yml"]) {
    cpSync(join(root, part), join(dir, part), { recursive: true });
  }
  if (withDist) cpSync(join(root, "dist"), join(dir, "dist"), { recursive: true });
  return dir;
}

let server: RunningServer;
let release: string;
before(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", missing: ["/v1/files"] });
  release = releaseCopy();
});
after(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function runAction(inputs: Record<string, string>, actionPath = release) {
  const dir = mkdtempSync(join(scratch, "job-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    GITHUB_ACTION_PATH: actionPath,
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
    INPUT_BASE_URL: server.url,
    INPUT_NAME: "ref",
    INPUT_DEPTH: "quick",
    INPUT_FAIL_ON: "fail",
    INPUT_OUT_DIR: join(dir, "out"),
    ...inputs,
  };
  writeFileSync(env.GITHUB_OUTPUT!, "");
  writeFileSync(env.GITHUB_STEP_SUMMARY!, "");
  const result = await run("bash", [join(actionPath, "scripts", "action.sh")], { env, cwd: dir }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  const outputs = Object.fromEntries(
    readFileSync(env.GITHUB_OUTPUT!, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split("=") as [string, string]),
  );
  return { ...result, outputs, dir, summary: readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8") };
}

test("action.yml: the runner's Node unless older than 20.19, and every input reaches the script", () => {
  const yml = readFileSync(join(root, "action.yml"), "utf8");
  const setup = yml.split("\n").findIndex((l) => l.includes("uses: actions/setup-node"));
  assert.ok(setup > 0);
  assert.match(
    yml.split("\n")[setup - 1]!,
    /if: steps\.node\.outputs\.ok != 'true'/,
    "setup-node is conditional",
  );
  assert.match(yml, /process\.versions\.node.*a>20\|\|\(a===20&&b>=19\)/);
  assert.match(yml, /run: bash "\$GITHUB_ACTION_PATH\/scripts\/action\.sh"/);
  const inputs = [...yml.split("outputs:")[0]!.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]!);
  for (const input of inputs) {
    const variable = input === "api-key" ? "AIOC_API_KEY" : `INPUT_${input.toUpperCase().replace(/-/g, "_")}`;
    assert.match(yml, new RegExp(`${variable}: \\$\\{\\{ inputs\\.${input} \\}\\}`), input);
    if (variable.startsWith("INPUT_")) {
      assert.ok(
        readFileSync(join(root, "scripts", "action.sh"), "utf8").includes(variable),
        `${variable} used`,
      );
    }
  }
  for (const wanted of [
    "headers",
    "only",
    "group",
    "models",
    "timeout",
    "concurrency",
    "config",
    "wait-ready",
  ]) {
    assert.ok(inputs.includes(wanted), wanted);
  }
});

test("a release copy under NODE_ENV=production: probes with no install, sets outputs, writes summary and reports", async () => {
  const r = await runAction({});
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /building it from source|esbuild/);
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

test("headers (one per line), scope, timeout and concurrency reach the probe", async () => {
  const gw: Front = await startFront(server.url, portkeyGuard);
  try {
    const r = await runAction({
      INPUT_BASE_URL: gw.url,
      INPUT_HEADERS: "x-portkey-provider: openai\r\nx-portkey-api-key: pk-action-secret-12345\n\n",
      INPUT_GROUP: "chat",
      INPUT_TIMEOUT: "20",
      INPUT_CONCURRENCY: "2",
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.outputs.fail, "0");
    const report = JSON.parse(readFileSync(r.outputs.report!, "utf8"));
    assert.equal(report.options.concurrency, 2);
    assert.equal(report.options.timeoutMs, 20000);
    assert.ok(
      report.results.every((x: { group: string; id: string }) => x.group === "chat" || x.id === "/v1/models"),
    );
    assert.ok(gw.seen.every((s) => s.headers["x-portkey-provider"] === "openai"));
    assert.ok(!readFileSync(r.outputs.report!, "utf8").includes("pk-action-secret-12345"));
  } finally {
    await gw.close();
  }
});

test("wait-ready waits out a server that is still loading (503), then probes", async () => {
  let loading = 3;
  const slow = await startFront(server.url, (req) =>
    req.url?.startsWith("/v1/models") && loading-- > 0
      ? { status: 503, body: { error: { code: 503, message: "Loading model" } } }
      : undefined,
  );
  try {
    const r = await runAction({
      INPUT_BASE_URL: slow.url,
      INPUT_WAIT_READY: "30",
      INPUT_ONLY: "^/v1/models$",
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.outputs.fail, "0");
    assert.ok(loading < 0, "the script polled until the server was ready");
  } finally {
    await slow.close();
  }
});

test("a ref without dist/ is built first (devDependencies asked for explicitly, so NODE_ENV=production cannot break it)", async () => {
  const branch = releaseCopy(false);
  symlinkSync(join(root, "node_modules"), join(branch, "node_modules"));
  // A real ref checks out the whole tree; the build reads src/ and the generated docs/report.schema.json.
  for (const part of ["src", "docs"]) cpSync(join(root, part), join(branch, part), { recursive: true });
  for (const f of ["tsconfig.json"]) cpSync(join(root, f), join(branch, f));
  const r = await runAction({ INPUT_ONLY: "^/v1/models$" }, branch);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /ships no built CLI \(use a release tag such as @v1\); building it from source/);
  assert.equal(r.outputs.fail, "0");
});
