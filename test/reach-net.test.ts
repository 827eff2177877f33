/**
 * Issue #12, proxies and TLS over real loopback connections through the built CLI: a CONNECT forward proxy for
 * https (from --proxy and from $HTTPS_PROXY, honouring $NO_PROXY), absolute-form proxying for http, a proxy that
 * wants credentials, an HTTPS server whose CA is made here (--ca-file, --insecure), and the two scheme mix-ups.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { isLoopback, proxyFor } from "../src/http/agent.js";
import { exempt } from "../src/http/proxy-env.js";
import type { Report } from "../src/report/types.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { runAiocChild } from "./helpers/hostile-server.js";
import {
  type ForwardProxy,
  type Front,
  makeCa,
  startFront,
  startProxy,
  type TestCa,
} from "./helpers/reach.js";

const KEY = "sk-reach-net-0123456789abcdef";
const NO_PROXY_ENV = {
  HTTPS_PROXY: "",
  https_proxy: "",
  HTTP_PROXY: "",
  http_proxy: "",
  ALL_PROXY: "",
  all_proxy: "",
  NO_PROXY: "",
  no_proxy: "",
  AIOC_API_KEY: "",
  NODE_EXTRA_CA_CERTS: "",
};
let backend: RunningServer;
let ca: TestCa | null;
let tlsFront: Front | undefined;
let plainFront: Front;
let proxy: ForwardProxy;

before(async () => {
  backend = await startServer({ port: 0, host: "127.0.0.1", apiKey: KEY });
  ca = makeCa();
  if (ca) tlsFront = await startFront(backend.url, () => undefined, { key: ca.key, cert: ca.cert });
  plainFront = await startFront(backend.url, () => undefined);
  proxy = await startProxy();
});
after(async () => {
  await tlsFront?.close();
  await plainFront.close();
  await proxy.close();
  await backend.close();
});

async function probe(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = await runAiocChild(["probe", ...args, "--api-key", KEY, "--format", "json"], {
    env: { ...NO_PROXY_ENV, ...env },
  });
  let report: Report | undefined;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {}
  return { ...run, report };
}

describe("proxy rules (unit)", () => {
  const target = new URL("https://api.example.com/v1");
  test("--proxy wins; '' means direct", () => {
    assert.deepEqual(proxyFor(target, "http://p:1", { HTTPS_PROXY: "http://e:2" }), {
      url: "http://p:1",
      source: "--proxy",
    });
    assert.equal(proxyFor(target, "", { HTTPS_PROXY: "http://e:2" }), undefined);
  });
  test("scheme-specific variables as curl reads them; loopback never through an environment proxy", () => {
    const env = { HTTPS_PROXY: "http://e:2" };
    assert.deepEqual(proxyFor(target, undefined, env), { url: "http://e:2", source: "$HTTPS_PROXY" });
    assert.deepEqual(proxyFor(target, undefined, { https_proxy: "p:3", HTTPS_PROXY: "http://e:2" }), {
      url: "http://p:3",
      source: "$https_proxy",
    });
    assert.equal(
      proxyFor(new URL("http://api.example.com/v1"), undefined, env),
      undefined,
      "http needs HTTP_PROXY",
    );
    assert.equal(
      proxyFor(new URL("http://api.example.com/v1"), undefined, { ALL_PROXY: "http://a:1" })?.url,
      "http://a:1",
    );
    assert.equal(proxyFor(new URL("https://127.0.0.1:8080/v1"), undefined, env), undefined);
    assert.equal(
      proxyFor(new URL("http://localhost:8080/v1"), undefined, { HTTP_PROXY: "http://e:2" }),
      undefined,
    );
    assert.ok(isLoopback("[::1]") && isLoopback("127.9.0.1") && !isLoopback("10.0.0.1"));
  });

  test("NO_PROXY: *, a domain and its subdomains, a leading dot, host:port, IPs and CIDR ranges", () => {
    const url = (u: string) => new URL(u);
    assert.ok(exempt(url("https://api.example.com"), "example.com"), "subdomain, as curl");
    assert.ok(exempt(url("https://example.com"), ".example.com"));
    assert.ok(!exempt(url("https://notexample.com"), "example.com"));
    assert.ok(exempt(url("https://x.y"), "a.b, *"));
    assert.ok(exempt(url("https://gw.internal:8443"), "gw.internal:8443"));
    assert.ok(!exempt(url("https://gw.internal"), "gw.internal:8443"), "another port is not exempt");
    assert.ok(exempt(url("http://10.1.2.3:8000"), "10.0.0.0/8"));
    assert.ok(!exempt(url("http://11.1.2.3"), "10.0.0.0/8"));
    assert.ok(exempt(url("http://[fd00::1]"), "fd00::/8"));
    assert.ok(exempt(url("http://192.168.1.1"), "192.168.1.1"));
  });
});

describe("through a forward proxy", () => {
  test("https via --proxy: a CONNECT tunnel, TLS to the target, SDK rows through the same path", async (t) => {
    if (!ca || !tlsFront) return t.skip("no openssl");
    const before = proxy.connects.length;
    const r = await probe(
      [`${tlsFront.url}/v1`, "--proxy", proxy.url, "--ca-file", ca.caFile].concat([
        "--only",
        "^/v1/models$|^client:openai-node/chat$",
      ]),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(proxy.connects.length > before);
    assert.equal(proxy.connects.at(-1), `127.0.0.1:${tlsFront.port}`);
    assert.equal(r.report?.connection?.proxy, proxy.url);
    assert.equal(r.report?.connection?.proxySource, "--proxy");
    assert.ok(
      r.report?.results.every((x) => x.status === "PASS"),
      JSON.stringify(r.report?.results),
    );
  });

  test("https via $HTTPS_PROXY to a host only the proxy can resolve; $NO_PROXY exempts it", async (t) => {
    if (!ca || !tlsFront) return t.skip("no openssl");
    const url = `https://gateway.aioc.test:${tlsFront.port}/v1`;
    const r = await probe([url, "--ca-file", ca.caFile, "--only", "^/v1/models$"], {
      HTTPS_PROXY: proxy.url,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(proxy.connects.at(-1), `gateway.aioc.test:${tlsFront.port}`);
    assert.equal(r.report?.connection?.proxySource, "$HTTPS_PROXY");
    const direct = await probe([url, "--ca-file", ca.caFile, "--only", "^/v1/models$", "--timeout", "5"], {
      HTTPS_PROXY: proxy.url,
      NO_PROXY: "aioc.test",
    });
    assert.equal(direct.code, 2);
    assert.match(direct.stderr, /cannot resolve host name/);
    const off = await probe([url, "--no-proxy", "--only", "^/v1/models$", "--timeout", "5"], {
      HTTPS_PROXY: proxy.url,
    });
    assert.match(off.stderr, /cannot resolve host name/, "--no-proxy ignores the environment");
  });

  test("plain http via $HTTP_PROXY: absolute-form requests, headers and key kept", async () => {
    const url = `http://gateway.aioc.test:${plainFront.port}/v1`;
    const before = proxy.forwarded.length;
    const r = await probe([url, "--only", "^/v1/models$"], { HTTP_PROXY: proxy.url });
    assert.equal(r.code, 0, r.stderr);
    const seen = proxy.forwarded.slice(before);
    assert.ok(seen.length >= 1);
    // Every request of the run went through the proxy: the rows' and the one existence-calibration request.
    for (const u of seen)
      assert.ok(u.startsWith(`${url}/models`) || u.startsWith(`${url}/aioc-calibration-`), u);
  });

  test("a proxy that wants credentials: 407 is one line; credentials in its URL work and are redacted", async (t) => {
    if (!ca || !tlsFront) return t.skip("no openssl");
    const authed = await startProxy({ user: "u", pass: "proxy-pass-secret" });
    try {
      const args = [`${tlsFront.url}/v1`, "--ca-file", ca.caFile, "--only", "^/v1/models$"];
      const refused = await probe([...args, "--proxy", authed.url]);
      assert.equal(refused.code, 2);
      assert.match(
        refused.stderr,
        /^aioc: cannot reach .*: proxy http:\/\/127\.0\.0\.1:\d+ refused CONNECT: 407 .*credentials/,
      );
      const withCreds = authed.url.replace("http://", "http://u:proxy-pass-secret@");
      const ok = await probe([...args, "--proxy", withCreds]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.ok(!ok.stdout.includes("proxy-pass-secret"));
      assert.equal(ok.report?.connection?.proxy, authed.url.replace("http://", "http://…@"));
    } finally {
      await authed.close();
    }
  });
});

describe("TLS", () => {
  test("a private CA: untrusted without --ca-file (the error names the fix), trusted with it", async (t) => {
    if (!ca || !tlsFront) return t.skip("no openssl");
    const url = `${tlsFront.url}/v1`;
    const bad = await probe([url, "--only", "^/v1/models$"]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^aioc: cannot reach .*: TLS failure: certificate not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); trust its CA with --ca-file PEM/,
    );
    const good = await probe([url, "--ca-file", ca.caFile, "--only", "^/v1/models$"]);
    assert.equal(good.code, 0, good.stderr);
    assert.equal(good.report?.connection?.caFile, ca.caFile);
    const env = await probe([url, "--only", "^/v1/models$"], { NODE_EXTRA_CA_CERTS: ca.caFile });
    assert.equal(env.code, 0, "NODE_EXTRA_CA_CERTS is honoured");
  });

  test("--insecure connects without verification and every view says so", async (t) => {
    if (!tlsFront) return t.skip("no openssl");
    const r = await probe([`${tlsFront.url}/v1`, "--insecure", "--only", "^/v1/models$"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.report?.connection?.insecure, true);
    const table = await runAiocChild(
      ["probe", `${tlsFront.url}/v1`, "--insecure", "--api-key", KEY].concat([
        "--only",
        "^/v1/models$",
        "--format",
        "table",
      ]),
      { env: NO_PROXY_ENV },
    );
    assert.match(table.stdout, /TLS certificate verification is OFF \(--insecure\)/);
    const md = await runAiocChild(
      ["probe", `${tlsFront.url}/v1`, "--insecure", "--api-key", KEY].concat([
        "--only",
        "^/v1/models$",
        "--format",
        "markdown",
      ]),
      { env: NO_PROXY_ENV },
    );
    assert.match(md.stdout, /TLS certificate verification is OFF \(--insecure\)/);
  });

  test("an unreadable or non-PEM --ca-file is one line", async () => {
    const r = await probe([`${plainFront.url}/v1`, "--ca-file", "/nonexistent.pem"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^aioc: --ca-file: cannot read \/nonexistent\.pem \(ENOENT\)\n$/);
  });

  test("plain http to a TLS server: 'the server speaks TLS; use https://'", async (t) => {
    if (!tlsFront) return t.skip("no openssl");
    const r = await probe([`http://127.0.0.1:${tlsFront.port}/v1`, "--timeout", "5"]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^aioc: cannot reach http:\/\/127\.0\.0\.1:\d+\/v1: the server speaks TLS; use https:\/\/ \(https:\/\/127\.0\.0\.1:\d+\/v1\)\n$/,
    );
  });

  test("https to a plain-http server: 'the server speaks plain HTTP; use http://'", async () => {
    const r = await probe([`https://127.0.0.1:${plainFront.port}/v1`, "--timeout", "5"]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^aioc: cannot reach https:.*: TLS failure \(.+\): the server speaks plain HTTP; use http:\/\/\n$/,
    );
  });
});
