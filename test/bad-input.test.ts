/**
 * Bad input to aioc itself, through the built CLI (`npm run build` first): every mistake is exactly one line
 * on stderr, exit 2, nothing on stdout and no stack trace; `--debug` adds the stack.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AIOC_BIN, runAiocChild } from "./helpers/hostile-server.js";

const STACK = /\n\s+at .+\(?.*:\d+:\d+\)?/;
const scratch = mkdtempSync(join(tmpdir(), "aioc-bad-input-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

let plain: Server;
let plainPort = 0;
let closedPort = 0;

before(async () => {
  // A plain-HTTP server, to be spoken TLS to.
  plain = createServer((_q, res) => res.end("plain http"));
  await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
  plainPort = (plain.address() as AddressInfo).port;
  // A loopback port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
});
after(() => new Promise<void>((r) => plain.close(() => r())));

/** A self-signed certificate for 127.0.0.1 (null without openssl). */
function selfSigned(): { key: string; cert: string; certFile: string } | null {
  const keyFile = join(scratch, "key.pem");
  const certFile = join(scratch, "cert.pem");
  const run = spawnSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    keyFile,
    "-out",
    certFile,
    "-days",
    "1",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
  ]);
  if (run.status !== 0) return null;
  return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8"), certFile };
}

describe("https", () => {
  const tls = selfSigned();
  let url = "";
  let close = async () => {};
  before(async () => {
    if (!tls) return;
    const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (_q, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ object: "list", data: [{ id: "m", object: "model", created: 1, owned_by: "x" }] }),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    close = () => new Promise<void>((r) => server.close(() => r()));
  });
  after(() => close());

  test("an untrusted certificate: one line naming the cause and the fix, exit 2", async (t) => {
    if (!tls) return t.skip("no openssl to make a certificate");
    const run = await runAiocChild(["probe", url, "--only", "^/v1/models$"], {
      env: { NODE_EXTRA_CA_CERTS: "" },
    });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, "");
    assert.match(
      run.stderr,
      /^aioc: cannot reach https:\/\/127\.0\.0\.1:\d+\/v1: TLS failure: certificate not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\); trust its CA with --ca-file PEM \(or NODE_EXTRA_CA_CERTS\), or --insecure\n$/,
    );
  });

  test("the same server, its CA trusted: probed over TLS", async (t) => {
    if (!tls) return t.skip("no openssl to make a certificate");
    const run = await runAiocChild(["probe", url, "--only", "^/v1/models$", "--format", "json"], {
      env: { NODE_EXTRA_CA_CERTS: tls.certFile },
    });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { results: { status: string; detail: string }[] };
    assert.equal(report.results[0]?.status, "PASS", report.results[0]?.detail);
  });
});

function commandExists(command: string): boolean {
  return spawnSync(process.execPath, [AIOC_BIN, command, "--help"]).status === 0;
}

const notJson = join(scratch, "not-json.json");
const notReport = join(scratch, "not-report.json");
writeFileSync(notJson, "this is { not json");
writeFileSync(notReport, JSON.stringify({ hello: "world" }));

interface Case {
  name: string;
  args: () => string[];
  message: RegExp;
  /** Only when this command exists yet. */
  needs?: string;
}

const CASES: Case[] = [
  { name: "invalid URL", args: () => ["probe", "not a url"], message: /^aioc: invalid URL "not a url"/ },
  {
    name: "unsupported scheme",
    args: () => ["probe", "ftp://127.0.0.1/v1"],
    message: /^aioc: unsupported scheme "ftp" in "ftp:\/\/127\.0\.0\.1\/v1"; use http or https$/,
  },
  {
    name: "unresolvable host",
    args: () => ["probe", "http://aioc-bad-input.invalid/v1", "--timeout", "10"],
    message:
      /^aioc: cannot reach http:\/\/aioc-bad-input\.invalid\/v1: cannot resolve host name \((ENOTFOUND|EAI_AGAIN)\)$/,
  },
  {
    name: "refused connection",
    args: () => ["probe", `http://127.0.0.1:${closedPort}/v1`, "--timeout", "5"],
    message: /^aioc: cannot reach http:\/\/127\.0\.0\.1:\d+\/v1: cannot connect \(ECONNREFUSED\)$/,
  },
  {
    name: "TLS to a plain-HTTP server",
    args: () => ["probe", `https://127.0.0.1:${plainPort}/v1`, "--timeout", "5"],
    message:
      /^aioc: cannot reach https:\/\/127\.0\.0\.1:\d+\/v1: TLS failure \(.+\): the server speaks plain HTTP; use http:\/\/$/,
  },
  {
    name: "an API key with a stray newline",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--api-key", "sk-with-newline\n"],
    message: /^aioc: the API key from --api-key contains spaces, control or non-ASCII characters$/,
  },
  {
    name: "invalid regex in --only",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--only", "(unclosed"],
    message: /^aioc: --only: invalid regular expression "\(unclosed"$/,
  },
  {
    name: "negative --timeout",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--timeout", "-1"],
    message: /^aioc: --timeout must be a number from 0\.001 to 86400 s, got "-1"$/,
  },
  {
    // Above 2^31-1 ms Node would clamp the timer to 1 ms, and a healthy server would look unreachable.
    name: "--timeout beyond what a timer can hold",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--timeout", "2147484"],
    message: /^aioc: --timeout must be a number from 0\.001 to 86400 s, got "2147484"$/,
  },
  {
    name: "--timeout Infinity",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--timeout", "Infinity"],
    message: /^aioc: --timeout must be a number from 0\.001 to 86400 s, got "Infinity"$/,
  },
  {
    name: "--max-body beyond 1 GiB",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--max-body", "4097"],
    message: /^aioc: --max-body must be a number from 0\.001 to 1024 MB, got "4097"$/,
  },
  {
    name: "--concurrency beyond 256",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--concurrency", "100000"],
    message: /^aioc: --concurrency must be a number from 1 to 256, got "100000"$/,
  },
  {
    name: "--concurrency 0",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--concurrency", "0"],
    message: /^aioc: --concurrency must be a number from 1 to 256, got "0"$/,
  },
  {
    name: "--max-body not a number",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--max-body", "lots"],
    message: /^aioc: --max-body must be a number/,
  },
  {
    name: "missing URL (no argument, no $AIOC_BASE_URL, no config)",
    args: () => ["probe"],
    message:
      /^aioc: missing URL: aioc probe URL \(or \$AIOC_BASE_URL, --config FILE, \$AIOC_CONFIG, .\/aioc.config.json\)$/,
  },
  {
    name: "unknown option (a commander usage error)",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--bogus"],
    message: /^aioc: unknown option '--bogus' \(see --help\)$/,
  },
  {
    name: "invalid choice (a commander usage error)",
    args: () => ["probe", "http://127.0.0.1:9/v1", "--depth", "abyssal"],
    message: /^aioc: option '--depth <depth>' argument 'abyssal' is invalid\./,
  },
  {
    name: "render: unreadable report (missing file)",
    needs: "render",
    args: () => ["render", join(scratch, "missing.json")],
    message: /^aioc: .*missing\.json/,
  },
  {
    name: "render: unreadable report (a directory)",
    needs: "render",
    args: () => ["render", scratch],
    message: /^aioc: .*aioc-bad-input-/,
  },
  {
    name: "render: malformed report (not JSON)",
    needs: "render",
    args: () => ["render", notJson],
    message: /^aioc: .*JSON/,
  },
  {
    name: "render: malformed report (JSON, not a report)",
    needs: "render",
    args: () => ["render", notReport],
    message: /^aioc: .*not-report\.json/,
  },
  {
    name: "gap: unreadable report",
    needs: "gap",
    args: () => ["gap", join(scratch, "missing.json"), notReport],
    message: /^aioc: .*missing\.json/,
  },
  {
    name: "gap: malformed report",
    needs: "gap",
    args: () => ["gap", notJson, notReport],
    message: /^aioc: .*JSON/,
  },
];

describe("bad input: one line on stderr, exit 2, no stack (with --debug: a stack)", {
  concurrency: 4,
}, () => {
  for (const c of CASES) {
    test(c.name, async (t) => {
      if (c.needs && !commandExists(c.needs)) {
        t.skip(`\`aioc ${c.needs}\` does not exist yet`);
        return;
      }
      const run = await runAiocChild(c.args(), { killAfterMs: 30_000 });
      assert.equal(run.code, 2, `exit ${run.code}; stderr: ${run.stderr}`);
      assert.equal(run.stdout, "");
      const lines = run.stderr.split("\n");
      assert.equal(lines.length, 2, `not exactly one line:\n${run.stderr}`);
      assert.equal(lines[1], "");
      assert.match(lines[0]!, c.message);
      assert.doesNotMatch(run.stderr, /internal error/);
      assert.doesNotMatch(run.stderr, STACK);

      const debug = await runAiocChild([...c.args(), "--debug"], { killAfterMs: 30_000 });
      assert.equal(debug.code, 2);
      assert.match(debug.stderr.split("\n")[0]!, c.message);
      // Commander's own usage errors have no stack worth showing; everything aioc throws does.
      if (!/commander usage error/.test(c.name)) assert.match(debug.stderr, STACK);
    });
  }
});

describe("error messages cannot leak the key or drive the terminal", () => {
  test("a key given on the command line never appears in an error line", async () => {
    const key = "sk-bad-input-secret-0123456789";
    const run = await runAiocChild(["probe", `ftp://127.0.0.1/${key}`, "--api-key", key]);
    assert.equal(run.code, 2);
    assert.ok(!run.stderr.includes(key), run.stderr);
    assert.match(run.stderr, /\[REDACTED\]/);
  });

  test("control characters in a message are shown, not obeyed", async () => {
    const run = await runAiocChild(["probe", "not a url \u001b[2J\u0007"]);
    assert.equal(run.code, 2);
    assert.doesNotMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    assert.match(run.stderr, /\\x1b\[2J\\x07/);
  });
});
