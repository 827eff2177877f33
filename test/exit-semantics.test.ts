/**
 * Exit semantics and first lines: nothing checked, a key not sent, a model not listed, URL mistakes, --wait-ready,
 * report paths and EPIPE. The CLI runs as a child process against servers in this process (loopback only).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { fixUrl, unsentKeyNotice } from "../src/cli/input-hints.js";
import type { Report } from "../src/report/types.js";
import { resolveQuirkList } from "../src/serve/quirks.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { runAiocAsync } from "./helpers/report-cli.js";

const NO_KEYS = { AIOC_API_KEY: "", OPENAI_API_KEY: "" };
const scratch = mkdtempSync(join(tmpdir(), "aioc-exit-"));

describe("first lines and exit codes", () => {
  let open: RunningServer;
  let locked: RunningServer;
  let llama: RunningServer;
  before(async () => {
    open = await startServer({ port: 0, host: "127.0.0.1" });
    locked = await startServer({ port: 0, host: "127.0.0.1", apiKey: "sk-test-123456" });
    const { quirks, missing, openapi } = resolveQuirkList(["llama.cpp"]);
    llama = await startServer({ port: 0, host: "127.0.0.1", quirks, missing, openapi });
  });
  after(async () => {
    await open.close();
    await locked.close();
    await llama.close();
  });

  test("a keyed server probed without a key: exit 2, a top line saying why, and the key hint once", async () => {
    const run = await runAiocAsync(["probe", locked.url, "-f", "table"], {
      env: { ...NO_KEYS, OPENAI_API_KEY: "sk-from-env-abcdef" },
    });
    assert.equal(run.code, 2, run.stderr);
    const lines = run.stdout.split("\n");
    assert.equal(
      lines[2],
      "! nothing was checked: every request was refused with 401: pass --api-key (or set $AIOC_API_KEY)",
    );
    const keyLines = run.stderr.split("\n").filter((l) => l.includes("$OPENAI_API_KEY is set"));
    assert.deepEqual(keyLines, [
      "aioc: $OPENAI_API_KEY is set but aioc sends it only to api.openai.com; to send a key to 127.0.0.1, pass --api-key KEY or set $AIOC_API_KEY",
    ]);
    assert.ok(!`${run.stdout}${run.stderr}`.includes("sk-from-env-abcdef"));
    // JSON on stdout: the notice goes to stderr and into the report.
    const json = await runAiocAsync(["probe", locked.url, "-f", "json", "--depth", "quick"], {
      env: NO_KEYS,
    });
    assert.equal(json.code, 2);
    assert.match(json.stderr, /^aioc: nothing was checked: every request was refused with 401/m);
    assert.match((JSON.parse(json.stdout) as Report).notices![0]!.message, /^nothing was checked/);
  });

  test("no note about $OPENAI_API_KEY when a key is sent or none is set", () => {
    assert.equal(unsentKeyNotice("http://127.0.0.1:1/v1", true, { OPENAI_API_KEY: "x" }), undefined);
    assert.equal(unsentKeyNotice("http://127.0.0.1:1/v1", false, {}), undefined);
    assert.equal(unsentKeyNotice("https://api.openai.com/v1", false, { OPENAI_API_KEY: "x" }), undefined);
  });

  test("a --model /v1/models does not list: one line naming listed ones; its rows say 'model X not found'", async () => {
    const run = await runAiocAsync(["probe", open.url, "--model", "gpt-4o", "-f", "json"], { env: NO_KEYS });
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(report.notices, [
      {
        kind: "model-not-listed",
        message:
          "--model gpt-4o is not among the models /v1/models lists (aioc-chat, aioc-embedding, aioc-tts, aioc-whisper, … (7 in all))",
      },
    ]);
    const chat = report.results.find((r) => r.id === "/v1/chat/completions")!;
    assert.match(chat.detail, /^model gpt-4o not found: 404/);
    const tools = report.results.find((r) => r.id === "/v1/chat/completions[tools]")!;
    assert.equal(tools.detail, "model gpt-4o not found (base row /v1/chat/completions answered 404)");
    assert.ok(!report.results.some((r) => /absent \(404\)/.test(r.detail) && r.path.includes("chat")));
  });

  test("EPIPE (aioc … | head) ends quietly with the exit code the results call for", async () => {
    const BIN = fileURLToPath(new URL("../bin/aioc.js", import.meta.url));
    const child = spawn(process.execPath, [BIN, "probe", llama.url, "-f", "json"], {
      env: { ...process.env, ...NO_KEYS },
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on("close", r));
    assert.equal(stderr, "");
    assert.equal(code, 1, "the llama.cpp profile has a FAIL, so 1, not a crash");
  });
});

describe("URL mistakes", () => {
  test("a pasted endpoint is stripped to its base URL, and a missing scheme means http://, each said once", () => {
    assert.deepEqual(fixUrl("http://h:8080/v1/chat/completions"), {
      url: "http://h:8080/v1",
      notes: ["/chat/completions is an endpoint, not the base URL: probing http://h:8080/v1"],
    });
    assert.equal(fixUrl("http://h/api/v1/embeddings/").url, "http://h/api/v1");
    assert.equal(fixUrl("http://h/chat/completions").url, "http://h");
    assert.deepEqual(fixUrl("localhost:8080"), {
      url: "http://localhost:8080",
      notes: ["no scheme given: using http://localhost:8080"],
    });
    assert.equal(fixUrl("127.0.0.1:8080/v1").url, "http://127.0.0.1:8080/v1");
    assert.deepEqual(fixUrl("http://h/v1"), { url: "http://h/v1", notes: [] });
    assert.equal(fixUrl("http://h/app/completions").url, "http://h/app/completions", "not after a base URL");
    assert.equal(fixUrl("ftp://h").url, "ftp://h", "a scheme is never replaced");
  });

  test("on the CLI: both fixes, then the probe of the right URL", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1" });
    try {
      const hostPort = server.url.replace(/^http:\/\//, "");
      const run = await runAiocAsync(
        ["probe", `${hostPort}/chat/completions`, "--depth", "quick", "-f", "json"],
        {
          env: NO_KEYS,
        },
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as Report).target.url, server.url);
      assert.match(run.stderr, /no scheme given: using http:\/\//);
      assert.match(run.stderr, /\/chat\/completions is an endpoint, not the base URL/);
    } finally {
      await server.close();
    }
  });

  test("every route 404 or HTML: 'this does not look like an OpenAI API at URL; did you mean …/v1?'", async () => {
    const html = createServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/html" }).end("<html><body>Not here</body></html>");
    });
    await new Promise<void>((r) => html.listen(0, "127.0.0.1", r));
    const { port } = html.address() as AddressInfo;
    try {
      const run = await runAiocAsync(
        ["probe", `http://127.0.0.1:${port}/app/v1`, "--depth", "quick", "-f", "table"],
        { env: NO_KEYS },
      );
      assert.match(
        run.stdout,
        new RegExp(
          `^! this does not look like an OpenAI API at http://127.0.0.1:${port}/app/v1 \\(every route answered 404 or an HTML page\\); did you mean http://127.0.0.1:${port}/v1\\?$`,
          "m",
        ),
      );
    } finally {
      html.closeAllConnections();
      html.close();
    }
  });
});

describe("--wait-ready", () => {
  test("polls through connection refused and 503 'Loading model' until the server answers", async () => {
    let calls = 0;
    const server = createServer((req, res) => {
      calls++;
      if (calls <= 2) {
        res.writeHead(503, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ error: { message: "Loading model", type: "unavailable_error", code: 503 } }),
        );
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [] }));
      void req;
    });
    // Reserve a port, leave it closed for a while (connection refused), then listen on it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    // The port stays closed until aioc says it is waiting (it was refused), then the server comes up loading.
    const BIN = fileURLToPath(new URL("../bin/aioc.js", import.meta.url));
    const child = spawn(
      process.execPath,
      [
        BIN,
        "probe",
        `http://127.0.0.1:${port}`,
        "--wait-ready",
        "60",
        "--only",
        "^/v1/models$",
        "-f",
        "json",
      ],
      { env: { ...process.env, ...NO_KEYS, NO_COLOR: "1" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      if (stderr.includes("waiting for") && !server.listening) server.listen(port, "127.0.0.1");
    });
    try {
      const code = await new Promise<number | null>((r) => child.on("close", r));
      assert.equal(code, 0, stderr);
      assert.match(
        stderr,
        /^aioc: waiting for http:\/\/127\.0\.0\.1:\d+\/v1 \(.*(ECONNREFUSED|refused).*\)$/im,
      );
      assert.ok(calls >= 3, `${calls} requests: two 503s, then the ready answer and the probe`);
      assert.equal((JSON.parse(stdout) as Report).results[0]!.status, "PASS");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test("a server that never comes up: exit 2 with one line after the wait", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const run = await runAiocAsync(["probe", `http://127.0.0.1:${port}`, "--wait-ready", "1", "-q"], {
      env: NO_KEYS,
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^aioc: http:\/\/127\.0\.0\.1:\d+\/v1 not ready after 1 s \(--wait-ready\): /);
  });
});

describe("report paths", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0, host: "127.0.0.1" });
  });
  after(() => server.close());

  test("missing folders are created before probing", async () => {
    const path = join(scratch, "new", "deeper", "r.json");
    const md = join(scratch, "other", "r.md");
    const run = await runAiocAsync(
      ["probe", server.url, "--depth", "quick", "--report", path, "-o", md, "-q"],
      { env: NO_KEYS },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(readFileSync(path, "utf8")) as Report).tool, "aioc");
    assert.match(readFileSync(md, "utf8"), /^# /, "-o writes the format its extension names");
    assert.equal(run.stdout, "", "-o takes stdout's place");
  });

  test("a write that still fails: the table is printed anyway, then exit 2 with the reason", async () => {
    const dir = join(scratch, "is-a-dir");
    mkdirSync(dir);
    const run = await runAiocAsync(
      ["probe", server.url, "--depth", "quick", "--report", dir, "-f", "table"],
      {
        env: NO_KEYS,
      },
    );
    assert.equal(run.code, 2);
    assert.match(run.stdout, /\d+ PASS · 0 WARN · 0 FAIL/);
    assert.match(run.stderr, new RegExp(`^aioc: cannot write ${dir}: EISDIR$`, "m"));
  });

  test("a folder that cannot be created fails before any request", async () => {
    const run = await runAiocAsync(
      ["probe", "http://127.0.0.1:9/v1", "--report", join(scratch, "new", "deeper", "r.json", "x.json")],
      { env: NO_KEYS },
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^aioc: cannot write reports to .*r\.json: (EEXIST|ENOTDIR)$/m);
    assert.ok(!existsSync(join(scratch, "new", "deeper", "r.json", "x.json")));
  });
});
