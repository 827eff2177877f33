/** `aioc serve` as a process (needs `npm run build`): one listening line, clean exit on SIGTERM and SIGINT. */
import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(REPO, "bin", "aioc.js");
const built = existsSync(join(REPO, "dist", "cli.js"));
const LINE =
  /^aioc serve listening on http:\/\/127\.0\.0\.1:(\d+)\/v1\n {2}profile canonical \(every row PASSes\) · no key required · latency 0 ms\n$/;
const KEY = "sk-aioc-cli-key-0123456789";

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
}

async function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, "serve", ...args], { cwd: REPO });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const url = await new Promise<string>((ok, fail) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = /listening on (\S+)\n/.exec(stdout);
      if (m) ok(m[1]!);
    });
    child.once("exit", (code) => fail(new Error(`exited ${code} before listening: ${stderr}`)));
  });
  return { child, url, stdout: () => stdout, stderr: () => stderr };
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((ok) => {
    if (child.exitCode !== null) ok(child.exitCode);
    else child.once("exit", (code) => ok(code));
  });

describe("aioc serve CLI", { skip: built ? false : "run `npm run build` first" }, () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`prints the listening line and what is active, serves, and exits 0 on ${signal}`, async () => {
      const s = await serve(["--port", "0"]);
      assert.match(s.stdout(), LINE);
      const res = await fetch(`${s.url}/models`);
      assert.equal(res.status, 200);
      s.child.kill(signal);
      assert.equal(await exited(s.child), 0);
      assert.match(s.stdout(), LINE, "nothing else is printed");
      assert.equal(s.stderr(), "");
    });
  }

  test("--api-key, --latency and --missing take effect and the key is never printed", async () => {
    const s = await serve(["--port", "0", "--api-key", KEY, "--latency", "5", "--missing", "/v1/files"]);
    try {
      assert.equal((await fetch(`${s.url}/models`)).status, 401);
      const auth = { authorization: `Bearer ${KEY}` };
      assert.equal((await fetch(`${s.url}/models`, { headers: auth })).status, 200);
      assert.equal((await fetch(`${s.url}/files`, { headers: auth })).status, 404);
    } finally {
      s.child.kill("SIGTERM");
      assert.equal(await exited(s.child), 0);
    }
    assert.ok(!s.stdout().includes(KEY) && !s.stderr().includes(KEY));
  });

  test("bad options exit 2 with a one-line message", async () => {
    const run = promisify(execFile);
    for (const args of [
      ["--port", "0", "--quirks", "bogus"],
      ["--port", "70000"],
      ["--port", "0", "--missing", "v1/files"],
    ]) {
      const err = (await run(process.execPath, [BIN, "serve", ...args], { cwd: REPO }).catch((e) => e)) as {
        code: number;
        stderr: string;
      };
      assert.equal(err.code, 2, args.join(" "));
      assert.match(err.stderr, /^(aioc: |error: )/, err.stderr);
    }
  });

  test("without --port: the default port, or a free one when it is taken, and the URL printed", async () => {
    // Hold 8080 if we can, so the fallback is what is tested; if someone else holds it, the fallback is tested too.
    const { createServer } = await import("node:net");
    const holder = createServer();
    await new Promise<void>((ok) => holder.once("error", () => ok()).listen(8080, "127.0.0.1", () => ok()));
    const s = await serve([]);
    try {
      const port = Number(new URL(s.url).port);
      assert.notEqual(port, 8080);
      assert.equal((await fetch(`${s.url}/models`)).status, 200);
    } finally {
      s.child.kill("SIGTERM");
      await exited(s.child);
      holder.close();
    }
  });

  test("the banner names the profile, whether a key is required and the latency, never the key", async () => {
    const s = await serve(["--port", "0", "--quirks", "llama.cpp", "--api-key", KEY, "--latency", "7"]);
    s.child.kill("SIGTERM");
    await exited(s.child);
    assert.match(
      s.stdout(),
      /^aioc serve listening on \S+\n {2}profile llama\.cpp · key required \(the one given with --api-key\) · latency 7 ms\n$/,
    );
    assert.ok(!s.stdout().includes(KEY));
  });

  test("every command's --help has an Examples section", async () => {
    const run = promisify(execFile);
    for (const cmd of ["probe", "serve", "demo", "spec", "deviations", "render", "gap", "matrix"]) {
      const { stdout } = await run(process.execPath, [BIN, cmd, "--help"], { cwd: REPO });
      assert.match(stdout, /\nExamples:\n {2}\$ aioc /, cmd);
    }
  });

  test("flags agree across commands: -f/--format, -o/--output on commands that write, --json where JSON is", async () => {
    const run = promisify(execFile);
    for (const cmd of ["probe", "demo", "spec", "deviations", "render", "gap", "matrix"]) {
      const { stdout } = await run(process.execPath, [BIN, cmd, "--help"], { cwd: REPO });
      assert.match(stdout, /-f, --format <format>/, `${cmd} -f`);
      assert.match(stdout, /-o, --output <file>/, `${cmd} -o`);
      if (cmd !== "matrix" && cmd !== "demo") assert.match(stdout, /--json/, `${cmd} --json`);
    }
    const spec = await run(process.execPath, [BIN, "spec", "-f", "json", "--group", "models,embeddings"], {
      cwd: REPO,
    });
    assert.deepEqual(
      [...new Set((JSON.parse(spec.stdout) as { group: string }[]).map((r) => r.group))],
      ["models", "embeddings"],
    );
  });
});
