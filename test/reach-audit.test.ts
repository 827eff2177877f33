/**
 * The reach audit (session 2026-12-02b): deployments that still could not be reached, each over real loopback
 * HTTP through the built CLI, plus the pure helpers behind them.
 */

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fixUrl } from "../src/cli/input-hints.js";
import { apiPath, catalogPath } from "../src/http/connection.js";
import { withNotices } from "../src/probe/notices.js";
import { normalizeTarget } from "../src/probe/target.js";
import type { Report } from "../src/report/types.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { runAiocChild } from "./helpers/hostile-server.js";
import { azureGuard, type Front, makeCa, prefixGuard, startFront } from "./helpers/reach.js";

const KEY = "sk-reach-audit-0123456789abcdef";
let backend: RunningServer;
before(async () => {
  backend = await startServer({ port: 0, host: "127.0.0.1", apiKey: KEY });
});
after(() => backend.close());

async function probe(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = await runAiocChild(["probe", ...args, "--format", "json"], {
    env: {
      AIOC_API_KEY: "",
      OPENAI_API_KEY: "",
      HTTP_PROXY: "",
      HTTPS_PROXY: "",
      http_proxy: "",
      https_proxy: "",
      ...env,
    },
  });
  const report = run.stdout ? (JSON.parse(run.stdout) as Report) : undefined;
  return { ...run, report };
}

describe("a base URL whose path does not end in /v1 is the SDKs' base_url: endpoints go right under it", () => {
  test("catalog paths under any base path; paths outside /v1 under the base minus /v1", () => {
    assert.equal(apiPath("/v1", "/v1/chat/completions"), "/v1/chat/completions");
    assert.equal(apiPath("/api/v1/", "/v1/models"), "/api/v1/models");
    assert.equal(apiPath("/v1beta/openai", "/v1/chat/completions"), "/v1beta/openai/chat/completions");
    assert.equal(apiPath("/v1/acct/gw/openai", "/v1/models"), "/v1/acct/gw/openai/models");
    assert.equal(apiPath("/v1", "/openapi.json"), "/openapi.json");
    assert.equal(apiPath("/api/v1", "/openapi.json"), "/api/openapi.json");
    assert.equal(apiPath("/v1beta/openai", "/v1"), "/v1beta/openai");
    assert.equal(apiPath("/", "/v1/models"), "/v1/models", "a bare origin serves at /v1");
    assert.equal(catalogPath("/", "/v1/models"), "/v1/models");
    for (const base of ["/v1", "/api/v1", "/v1beta/openai", "/models"]) {
      for (const p of ["/v1/models", "/v1/chat/completions", "/v1/files/f-1?x=1"])
        assert.equal(catalogPath(base, apiPath(base, p)), p, `${base} ${p}`);
    }
    assert.equal(normalizeTarget("http://h/v1beta/openai/").baseUrl, "http://h/v1beta/openai");
    assert.equal(normalizeTarget("http://h:8080").baseUrl, "http://h:8080/v1");
    assert.equal(normalizeTarget("http://h/api/v1").baseUrl, "http://h/api/v1");
  });

  test("an Azure resource root is its v1 API (/openai/v1), not /v1", () => {
    for (const root of ["https://r.openai.azure.com", "https://r.openai.azure.com/openai/"]) {
      assert.deepEqual(normalizeTarget(root), {
        baseUrl: "https://r.openai.azure.com/openai/v1",
        note: "Azure resource: using its v1 API (/openai/v1); pass the deployment name as --model",
      });
    }
    assert.equal(
      normalizeTarget("https://r.openai.azure.com/openai/v1/").baseUrl,
      "https://r.openai.azure.com/openai/v1",
    );
    assert.equal(
      normalizeTarget("https://r.services.ai.azure.com/models?api-version=2024-05-01-preview").baseUrl,
      "https://r.services.ai.azure.com/models?api-version=2024-05-01-preview",
    );
  });

  test("pasted endpoints after a provider's OpenAI surface are cut back; Foundry's /models is a base", () => {
    assert.equal(
      fixUrl("https://generativelanguage.googleapis.com/v1beta/openai/chat/completions").url,
      "https://generativelanguage.googleapis.com/v1beta/openai",
    );
    assert.equal(
      fixUrl("https://gateway.ai.cloudflare.com/v1/a/g/compat/chat/completions").url,
      "https://gateway.ai.cloudflare.com/v1/a/g/compat",
    );
    const foundry = "https://r.services.ai.azure.com/models?api-version=2024-05-01-preview";
    assert.deepEqual(fixUrl(foundry), { url: foundry, notes: [] });
    assert.equal(
      fixUrl("https://r.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview").url,
      foundry,
    );
    assert.equal(fixUrl("http://h/models").url, "http://h", "elsewhere /models is still the endpoint");
  });

  for (const prefix of ["/v1beta/openai", "/v1/acct-1/gw-1/openai"]) {
    describe(prefix, () => {
      let front: Front;
      before(async () => {
        front = await startFront(backend.url, prefixGuard(prefix));
      });
      after(() => front.close());

      test("every request (SDK rows too) goes under the prefix, and the rows pass as on a direct server", async () => {
        const seen = front.seen.length;
        const r = await probe([
          `${front.url}${prefix}/`,
          "--api-key",
          KEY,
          "--only",
          "^/v1/(models|chat/completions|embeddings)|^client:openai-node/",
        ]);
        assert.ok(r.report, r.stderr);
        assert.equal(r.code, 0, JSON.stringify(r.report.results.filter((x) => x.status === "FAIL")));
        assert.equal(r.report.target.url, `${front.url}${prefix}`);
        const urls = front.seen.slice(seen).map((s) => s.url);
        assert.ok(urls.includes(`${prefix}/chat/completions`), urls.join("\n"));
        assert.ok(
          urls.every((u) => u.startsWith(`${prefix}/`) && !u.startsWith(`${prefix}/v1/`)),
          urls.join("\n"),
        );
        assert.ok(
          r.report.results.some((x) => x.id.startsWith("client:openai-node/") && x.status === "PASS"),
        );
      });
    });
  }
});

describe("Azure OpenAI: a deployment the resource does not have", () => {
  let azure: Front;
  before(async () => {
    azure = await startFront(backend.url, azureGuard("aioc-chat", KEY));
  });
  after(() => azure.close());

  test("Azure's 404 DeploymentNotFound is the model (the deployment) not found, not an absent endpoint", async () => {
    const r = await probe([
      `${azure.url}/openai/deployments/nope?api-version=2024-10-21`,
      "--api-key",
      KEY,
      "--only",
      "^/v1/chat/completions(\\[stream\\])?$",
    ]);
    assert.ok(r.report, r.stderr);
    for (const row of r.report.results) {
      assert.equal(row.status, "FAIL");
      assert.match(
        row.detail,
        /^model nope not found: 404 — The API deployment for this resource does not exist/,
      );
    }
  });
});

describe("TLS: a certificate that is trusted but wrong says what is wrong and names --insecure", () => {
  test("expired: not 'trust its CA with --ca-file' (the CA is trusted); one line, exit 2", async (t) => {
    const ca = makeCa({ expired: true });
    if (!ca) return t.skip("no openssl");
    const front = await startFront(backend.url, () => undefined, ca);
    try {
      const r = await probe([`${front.url}/v1`, "--api-key", KEY, "--ca-file", ca.caFile]);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /^aioc: cannot reach https:\/\/127\.0\.0\.1:\d+\/v1: TLS failure: the server's certificate has expired \(CERT_HAS_EXPIRED\); renew it on the server \(or check this machine's clock\), or --insecure\n$/,
      );
      assert.doesNotMatch(r.stderr, /--ca-file/);
    } finally {
      await front.close();
    }
  });

  test("wrong host: the names the certificate was issued for, and --insecure", async (t) => {
    const ca = makeCa();
    if (!ca) return t.skip("no openssl");
    const front = await startFront(backend.url, () => undefined, ca);
    try {
      const url = `https://localhost:${front.port}/v1`;
      const r = await probe([url, "--api-key", KEY, "--ca-file", ca.caFile]);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /^aioc: cannot reach https:\/\/localhost:\d+\/v1: TLS failure: the certificate does not name this host \(ERR_TLS_CERT_ALTNAME_INVALID; it names IP Address:127\.0\.0\.1, DNS:gateway\.aioc\.test\); use the host name it was issued for, or --insecure\n$/,
      );
    } finally {
      await front.close();
    }
  });
});

test("an Azure deployment missing from /models (which lists base models) gets no 'not among the models' notice", () => {
  const listed = ["gpt-4o-2024-08-06", "text-embedding-3-small"];
  const azure = withNotices(
    [],
    { chat: "my-deployment" },
    listed,
    "https://r.openai.azure.com/openai",
    "my-deployment",
  );
  assert.deepEqual(azure.notices, []);
  const plain = withNotices([], { chat: "my-deployment" }, listed, "http://127.0.0.1:1/v1");
  assert.equal(plain.notices[0]?.kind, "model-not-listed");
});
