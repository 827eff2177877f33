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
const LINE = /^aioc serve listening on http:\/\/127\.0\.0\.1:(\d+)\/v1\n$/;
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
    test(`prints exactly one listening line, serves, and exits 0 on ${signal}`, async () => {
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
      [],
    ]) {
      const err = (await run(process.execPath, [BIN, "serve", ...args], { cwd: REPO }).catch((e) => e)) as {
        code: number;
        stderr: string;
      };
      assert.equal(err.code, 2, args.join(" "));
      assert.match(err.stderr, /^(aioc: |error: )/, err.stderr);
    }
  });
});
