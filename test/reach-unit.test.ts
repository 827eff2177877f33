/** Issue #12, the pure parts: credential headers, header parsing, query credentials, Azure routes, the shard deal. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { applyAuth, withQuery } from "../src/http/connection.js";
import { headerSecrets, isCredentialHeader, parseHeaderArgs, querySecrets } from "../src/http/credentials.js";
import { azureDeployment } from "../src/probe/azure.js";
import { parseShard, unitFilter } from "../src/probe/split.js";
import { runAiocChild } from "./helpers/hostile-server.js";

test("credential-like header names", () => {
  for (const n of [
    "Authorization",
    "api-key",
    "X-API-Key",
    "cookie",
    "x-portkey-api-key",
    "cf-aig-authorization",
  ]) {
    assert.ok(isCredentialHeader(n), n);
  }
  for (const n of ["x-portkey-provider", "http-referer", "x-title", "keyboard"])
    assert.ok(!isCredentialHeader(n), n);
  assert.deepEqual(
    headerSecrets({ authorization: "Bearer tok-123456", cookie: "a=sess-98765; b=x" }).sort(),
    ["Bearer tok-123456", "a=sess-98765; b=x", "sess-98765", "tok-123456"],
  );
  assert.deepEqual(querySecrets("https://x/v1?api-version=2024&key=abcd1234&sig=zzzz9"), [
    "abcd1234",
    "zzzz9",
  ]);
});

test("-H parsing: names lower-cased, values trimmed, a later one wins; bad ones refused", () => {
  assert.deepEqual(parseHeaderArgs(["X-A: 1", "x-b:two words ", "x-a: 3"]), {
    "x-a": "3",
    "x-b": "two words",
  });
  assert.throws(() => parseHeaderArgs(["no colon"]), /expected 'Name: value'/);
  assert.throws(() => parseHeaderArgs(["bad name: v"]), /expected 'Name: value'/);
  assert.throws(() => parseHeaderArgs(["Host: evil"]), /set by aioc itself/);
});

test("auth schemes: the no-key and wrong-key rows drop whichever header carries the key", () => {
  const h = (auth: "key" | "none" | "wrong", scheme: "bearer" | "api-key" | "none", extra = {}) => {
    const headers: Record<string, string> = { ...extra };
    applyAuth(headers, auth, scheme, "K", "WRONG");
    return headers;
  };
  assert.deepEqual(h("key", "bearer"), { authorization: "Bearer K" });
  assert.deepEqual(h("key", "api-key"), { "api-key": "K" });
  assert.deepEqual(h("key", "none"), {});
  assert.deepEqual(h("wrong", "api-key", { authorization: "Bearer user" }), { "api-key": "WRONG" });
  assert.deepEqual(h("none", "bearer", { authorization: "Bearer user", "x-portkey-provider": "p" }), {
    "x-portkey-provider": "p",
  });
  assert.equal(
    withQuery("http://x/v1/models?limit=1", "?api-version=1"),
    "http://x/v1/models?limit=1&api-version=1",
  );
});

test("Azure routes: deployment-scoped endpoints under the deployment, account-wide ones under /openai", () => {
  const az = azureDeployment(
    new URL("https://n.openai.azure.com/openai/deployments/my-gpt/chat/completions?api-version=1"),
  );
  assert.ok(az);
  assert.equal(az.path, "/openai/deployments/my-gpt");
  assert.equal(az.deployment.kind, "chat");
  const r = az.deployment.routePath;
  assert.equal(r("/v1/chat/completions"), "/openai/deployments/my-gpt/chat/completions");
  assert.equal(r("/v1/audio/transcriptions"), "/openai/deployments/my-gpt/audio/transcriptions");
  assert.equal(r("/v1/models"), "/openai/models");
  assert.equal(r("/v1/responses"), "/openai/responses");
  const emb = azureDeployment(
    new URL("https://n.openai.azure.com/openai/deployments/text-embedding-3-small?api-version=1"),
  );
  assert.equal(emb?.deployment.kind, "embedding");
  assert.throws(
    () => azureDeployment(new URL("https://n.openai.azure.com/openai/deployments/x")),
    /api-version/,
  );
  assert.equal(azureDeployment(new URL("https://n.example/v1")), undefined);
});

test("the shard deal: every row in exactly one shard, whole chains together", () => {
  assert.deepEqual(parseShard("2/3"), { index: 2, count: 3 });
  for (const bad of ["0/2", "3/2", "x", "1/0"]) assert.throws(() => parseShard(bad), /--shard/);
  const n = 3;
  const filters = [1, 2, 3].map((i) => unitFilter(0, 0, { index: i, count: n })!);
  for (const row of ENDPOINTS) {
    const owners = filters.filter((f) => f(row)).length;
    assert.equal(owners, 1, row.id);
    const need = row.needs && ENDPOINTS.find((e) => e.id === row.needs);
    if (need)
      assert.equal(
        filters.findIndex((f) => f(row)),
        filters.findIndex((f) => f(need)),
        row.id,
      );
  }
  const counts = filters.map((f) => ENDPOINTS.filter(f).length);
  assert.ok(Math.min(...counts) > 0, `every shard has work: ${counts}`);
});

test("demo takes -H too", async () => {
  const r = await runAiocChild(["demo", "--depth", "quick", "--format", "json", "-H", "x-demo: 1"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).connection.headers, ["x-demo"]);
});
