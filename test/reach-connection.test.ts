/**
 * Issue #12, connection options over real loopback HTTP through the built CLI: -H against a Portkey-style gateway
 * (end to end, SDK rows included), --auth, the base URL's query string, an Azure OpenAI deployment URL.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Report } from "../src/report/types.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { runAiocChild } from "./helpers/hostile-server.js";
import { azureGuard, type Front, PORTKEY_400, portkeyGuard, startFront } from "./helpers/reach.js";

const KEY = "sk-reach-test-0123456789abcdef";
const PORTKEY_KEY = "pk-portkey-secret-abcdef012345";
let backend: RunningServer;
before(async () => {
  backend = await startServer({ port: 0, host: "127.0.0.1", apiKey: KEY });
});
after(() => backend.close());

async function probe(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = await runAiocChild(["probe", ...args, "--format", "json"], {
    env: { AIOC_API_KEY: "", ...env },
  });
  const report = run.stdout ? (JSON.parse(run.stdout) as Report) : undefined;
  return { ...run, report };
}

describe("a Portkey-style gateway that routes only with its headers", () => {
  let gw: Front;
  before(async () => {
    gw = await startFront(backend.url, portkeyGuard);
  });
  after(() => gw.close());

  test("without -H every row sees the gateway's 400, and the report says so", async () => {
    const r = await probe([gw.url, "--api-key", KEY, "--depth", "quick"]);
    assert.ok(r.report, r.stderr);
    const models = r.report.results.find((x) => x.id === "/v1/models")!;
    assert.equal(models.httpStatus, 400);
    // Every route answers like a path that cannot exist: said once (issue #10 §5), the rows inconclusive, exit 1.
    assert.match(r.report.notices?.[0]?.message ?? "", /^every route rejects requests with: 400 /);
    assert.equal(r.code, 1);
    assert.match(JSON.stringify(models.exchanges), new RegExp(PORTKEY_400.message));
  });

  test("with -H: every request (SDK client rows too) carries the headers, every row passes, secrets redacted", async () => {
    const before = gw.seen.length;
    const r = await probe([
      gw.url,
      "--api-key",
      KEY,
      "-H",
      "x-portkey-provider: openai",
      "--header",
      `x-portkey-api-key: ${PORTKEY_KEY}`,
      "--only",
      "^/v1/(models|chat/completions)|^client:",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.report);
    assert.equal(
      r.report.summary.FAIL,
      0,
      JSON.stringify(r.report.results.filter((x) => x.status === "FAIL")),
    );
    assert.ok(r.report.results.some((x) => x.id.startsWith("client:openai-node/") && x.status === "PASS"));
    assert.ok(r.report.results.some((x) => x.id.startsWith("client:ai-sdk/") && x.status === "PASS"));
    const seen = gw.seen.slice(before);
    assert.ok(seen.length > 10);
    for (const s of seen) {
      assert.equal(s.headers["x-portkey-provider"], "openai", s.url);
      assert.equal(s.headers["x-portkey-api-key"], PORTKEY_KEY, s.url);
    }
    assert.deepEqual(r.report.connection?.headers, ["x-portkey-api-key", "x-portkey-provider"]);
    assert.ok(!r.stdout.includes(PORTKEY_KEY), "the credential header's value never appears");
    const sent = r.report.results[0]!.exchanges![0]!.request.headers;
    assert.equal(sent["x-portkey-api-key"], "[REDACTED]");
    assert.equal(
      sent["x-portkey-provider"],
      "openai",
      "a routing header that is no credential stays readable",
    );
  });

  test("a credential header's value echoed back by the server is redacted too", async () => {
    const r = await probe(
      [gw.url, "-H", `Authorization: Bearer ${KEY}`, "-H", "x-portkey-provider: openai"].concat([
        "--only",
        "^/v1/models$",
      ]),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.report?.options.authenticated, true, "a key in -H Authorization counts as authenticated");
    assert.ok(!r.stdout.includes(KEY));
  });

  test("a malformed -H is one line, exit 2, and does not echo the argument", async () => {
    const r = await runAiocChild(["probe", gw.url, "-H", "Authorization Bearer sk-secret-value-1234"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^aioc: -H\/--header #1: expected 'Name: value'/);
    assert.ok(!r.stderr.includes("sk-secret-value-1234"));
  });
});

describe("--auth and the base URL's query string", () => {
  let front: Front;
  before(async () => {
    front = await startFront(backend.url, (req) =>
      new URL(req.url ?? "/", "http://x").searchParams.get("tenant") === "t1"
        ? undefined
        : { status: 404, body: { error: { message: "tenant?" } } },
    );
  });
  after(() => front.close());

  test("the query string is on every request, the SDK rows' too, and in the report's target URL", async () => {
    const before = front.seen.length;
    const r = await probe([
      `${front.url}/v1?tenant=t1`,
      "--api-key",
      KEY,
      "--only",
      "^/v1/models|^client:openai-node/chat$",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.report?.target.url, `${front.url}/v1?tenant=t1`);
    const seen = front.seen.slice(before);
    assert.ok(seen.length >= 3);
    for (const s of seen) assert.match(s.url, /[?&]tenant=t1(&|$)/, s.url);
    assert.ok(
      seen.some((s) => s.url.startsWith("/v1/chat/completions?")),
      "the SDK row went through",
    );
  });

  test("--auth api-key sends `api-key:` and no Authorization", async () => {
    const before = front.seen.length;
    const r = await probe([
      `${front.url}/v1?tenant=t1`,
      "--api-key",
      KEY,
      "--auth",
      "api-key",
      "--only",
      "^/v1/models($|\\[auth)",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.report?.connection?.auth, "api-key");
    // The auth rows too: no key, then a deliberately wrong one, in the same header.
    const keys = front.seen.slice(before).map((s) => s.headers["api-key"]);
    // (…plus the run's one existence-calibration request, which carries the key like every request.)
    assert.deepEqual(keys.sort(), [KEY, KEY, "sk-aioc-deliberately-wrong-key", undefined].sort());
    for (const s of front.seen.slice(before)) assert.equal(s.headers.authorization, undefined);
  });

  test("--auth none sends no key; with a key it is refused up front", async () => {
    const before = front.seen.length;
    const r = await probe([`${front.url}/v1?tenant=t1`, "--auth", "none", "--only", "^/v1/models$"], {
      AIOC_API_KEY: "",
    });
    assert.ok(r.report, r.stderr);
    for (const s of front.seen.slice(before)) assert.equal(s.headers.authorization, undefined);
    const bad = await runAiocChild(["probe", front.url, "--auth", "none", "--api-key", KEY]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^aioc: --auth none with an API key/);
  });

  test("a credential in the query string (?key=) is redacted from the report", async () => {
    const r = await probe([
      `${front.url}/v1?tenant=t1&key=query-secret-98765`,
      "--api-key",
      KEY,
      "--only",
      "^/v1/models$",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes("query-secret-98765"));
    assert.match(r.report!.target.url, /key=\[REDACTED\]/);
  });
});

describe("an Azure OpenAI deployment URL", () => {
  let azure: Front;
  const deployment = "aioc-chat";
  before(async () => {
    azure = await startFront(backend.url, azureGuard(deployment, KEY));
  });
  after(() => azure.close());

  test("recognised: api-key header, api-version on every call, deployment routes, the deployment is the model", async () => {
    const url = `${azure.url}/openai/deployments/${deployment}?api-version=2024-10-21`;
    const before = azure.seen.length;
    const r = await probe([url, "--api-key", KEY, "--group", "chat"]);
    assert.ok(r.report, r.stderr);
    assert.equal(
      r.report.summary.FAIL,
      0,
      JSON.stringify(r.report.results.filter((x) => x.status === "FAIL")),
    );
    assert.equal(r.report.target.url, url);
    assert.equal(r.report.models.chat, deployment);
    assert.equal(r.report.connection?.auth, "api-key");
    assert.equal(r.report.connection?.azureDeployment, deployment);
    const seen = azure.seen.slice(before);
    for (const s of seen) {
      assert.match(s.url, /api-version=2024-10-21/);
      assert.equal(s.headers["api-key"], KEY);
    }
    assert.ok(seen.some((s) => s.url.startsWith(`/openai/deployments/${deployment}/chat/completions?`)));
    assert.ok(seen.some((s) => s.url.startsWith("/openai/models?")));
    assert.ok(r.report.results.some((x) => x.id.startsWith("client:openai-node/") && x.status === "PASS"));
  });

  test("a pasted endpoint URL works too; a missing api-version is one line", async () => {
    const r = await probe([
      `${azure.url}/openai/deployments/${deployment}/chat/completions?api-version=2024-10-21`,
      "--api-key",
      KEY,
      "--only",
      "^/v1/chat/completions$",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const bad = await runAiocChild(["probe", `${azure.url}/openai/deployments/${deployment}`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^aioc: an Azure OpenAI deployment URL needs \?api-version=/);
  });
});
