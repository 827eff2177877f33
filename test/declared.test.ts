/** Declared vs observed (issue #15): discovery, the bounded $ref reader, the diff, the row, the report section. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { locateSpec, openaiSurfaceSource } from "../scripts/gen-openai-surface.js";
import { readDocument } from "../src/declared/analyse.js";
import { OPENAI_PATHS } from "../src/declared/openai-surface.js";
import { propertyNames, RESOLVE_BUDGET, type Walk } from "../src/declared/resolve.js";
import { OPENAPI_PLACES } from "../src/probe/openapi-doc.js";
import { runProbe } from "../src/probe/run.js";
import { pathsFromOpenapi } from "../src/probe/scope.js";
import { renderHtml } from "../src/render/html.js";
import { renderMarkdown } from "../src/render/markdown.js";
import { renderTable } from "../src/render/table.js";
import type { Report, Result } from "../src/report/types.js";
import { resolveQuirkList } from "../src/serve/quirks.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { json, startScripted } from "./helpers/scripted-server.js";

const options = { timeoutMs: 10_000, concurrency: 4, maxBodyBytes: 16 << 20, depth: "standard" } as const;
const row = (report: Report, id: string): Result => report.results.find((r) => r.id === id)!;
const onlyDeclared = { ...options, only: /^openapi:declared$|^\/v1\/models$|^\/v1\/embeddings$/ };

test("src/declared/openai-surface.ts is generated from the pinned spec", (t) => {
  const at = locateSpec();
  if (!at) return t.skip("openapi.json not found: set AIOC_OPENAPI");
  const expected = openaiSurfaceSource(JSON.parse(readFileSync(at, "utf8")));
  const actual = readFileSync(new URL("../src/declared/openai-surface.ts", import.meta.url), "utf8");
  // Compared as data (the file is formatted by Biome after generation).
  const data = (s: string) => s.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/[\s,]/g, "");
  assert.equal(
    data(actual),
    data(expected),
    "stale: run npx tsx scripts/gen-openai-surface.ts, then biome format",
  );
  assert.ok(OPENAI_PATHS.includes("/v1/chat/completions"));
});

describe("the bounded $ref reader", () => {
  test("allOf through $refs unions the properties", () => {
    const doc = {
      components: {
        schemas: {
          Base: { properties: { model: {}, temperature: {} } },
          Req: { allOf: [{ $ref: "#/components/schemas/Base" }, { properties: { messages: {} } }] },
        },
      },
    };
    assert.deepEqual([...propertyNames(doc, { $ref: "#/components/schemas/Req" })].sort(), [
      "messages",
      "model",
      "temperature",
    ]);
  });

  test("a cyclic $ref chain ends, and says so", () => {
    const doc = {
      components: {
        schemas: { A: { $ref: "#/components/schemas/B" }, B: { $ref: "#/components/schemas/A" } },
      },
    };
    const walk: Walk = { nodes: 0 };
    assert.equal(propertyNames(doc, { $ref: "#/components/schemas/A" }, walk).size, 0);
    assert.match(walk.stopped ?? "", /cyclic/);
  });

  test("a self-referencing allOf is entered once; remote refs are never followed", () => {
    const doc = {
      components: {
        schemas: {
          A: {
            properties: { x: {} },
            allOf: [{ $ref: "#/components/schemas/A" }, { $ref: "http://127.0.0.1:1/x.json" }],
          },
        },
      },
    };
    assert.deepEqual([...propertyNames(doc, { $ref: "#/components/schemas/A" })], ["x"]);
  });

  test("fan-out and depth stop at the budget", () => {
    // 64 branches per level, 4 levels deep, all distinct objects: 64^4 nodes without a budget.
    const fan = (depth: number): unknown =>
      depth === 0
        ? { properties: { leaf: {} } }
        : { anyOf: Array.from({ length: 64 }, () => fan(depth - 1)) };
    const walk: Walk = { nodes: 0 };
    const started = performance.now();
    propertyNames({}, fan(3), walk);
    assert.ok(walk.nodes <= RESOLVE_BUDGET.nodes + 1);
    assert.ok(performance.now() - started < 2000);
    let deep: unknown = { properties: { bottom: {} } };
    for (let i = 0; i < 100; i++) deep = { allOf: [deep] };
    const deepWalk: Walk = { nodes: 0 };
    assert.equal(propertyNames({}, deep, deepWalk).has("bottom"), false);
    assert.match(deepWalk.stopped ?? "", /deeper than/);
  });

  test("a document with a servers prefix: paths are read under it", () => {
    const view = readDocument(
      { openapi: "3.0.0", servers: [{ url: "/v1" }], paths: { "/chat/completions": { post: {} } } },
      "/openapi.json",
      10,
    );
    assert.ok(view.section.catalogPaths.declared.includes("/v1/chat/completions"));
  });
});

describe("against aioc serve", () => {
  let canonical: RunningServer;
  let vllm: RunningServer;
  before(async () => {
    canonical = await startServer({ port: 0 });
    // As `aioc serve --quirks vllm --missing /v1/embeddings`: vLLM serves /openapi.json; --missing stays declared.
    const { quirks, missing, openapi } = resolveQuirkList(["vllm"]);
    assert.equal(openapi, true);
    vllm = await startServer({
      port: 0,
      quirks,
      missing: [...missing, "/v1/embeddings"],
      declared: ["/v1/embeddings"],
      openapi,
    });
  });
  after(async () => {
    await canonical.close();
    await vllm.close();
  });

  test("canonical: its own /openapi.json, derived from its routes, matches what it serves (PASS, one request)", async () => {
    const report = await runProbe({ baseUrl: canonical.url, ...options });
    const r = row(report, "openapi:declared");
    assert.equal(r.status, "PASS", r.detail);
    assert.equal(r.requests, 1);
    const s = report.declared!;
    assert.deepEqual(s.declaredButAbsent, []);
    assert.deepEqual(s.presentButUndeclared, []);
    assert.equal(s.catalogPaths.undeclared.length, 0, s.catalogPaths.undeclared.join(", "));
    const chat = s.params.find((p) => p.path === "/v1/chat/completions")!;
    assert.equal(chat.shared, chat.openai);
    assert.ok(s.coverage.every((c) => c.declared === c.total));
  });

  test("vllm profile with a declared route it does not serve: WARN, and the section names it in every format", async () => {
    const report = await runProbe({ baseUrl: vllm.url, ...options });
    const r = row(report, "openapi:declared");
    assert.equal(r.status, "WARN", r.detail);
    assert.match(r.detail, /1 declared but absent \(\/v1\/embeddings\)/);
    const s = report.declared!;
    assert.deepEqual(s.declaredButAbsent, ["/v1/embeddings"]);
    assert.ok(s.catalogPaths.undeclared.includes("/v1/images/generations"));
    assert.ok(
      s.catalogPaths.undeclared.includes("/v1/models/{model}"),
      "vLLM's models router has no retrieve",
    );
    assert.equal(s.coverage.find((c) => c.group === "images")?.declared, 0);
    assert.match(
      renderTable(report, { color: false }),
      /declared \(\/openapi\.json\): \d+\/\d+ OpenAI paths; .*1 declared but absent/,
    );
    const md = renderMarkdown(report);
    assert.match(md, /## Declared vs observed/);
    assert.match(md, /Declared but absent in this run: `\/v1\/embeddings`/);
    assert.match(renderHtml(report), /<section class="declared" id="declared">/);
  });
});

describe("hostile and odd documents", () => {
  const doc = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths,
    ...extra,
  });
  const models = {
    "GET /v1/models": (_q: unknown, res: import("node:http").ServerResponse) =>
      json(res, 200, { object: "list", data: [{ id: "m", object: "model", created: 1, owned_by: "x" }] }),
  };

  test("a Swagger 2 document: paths under its basePath, body parameters read as the request schema", async () => {
    const swagger = {
      swagger: "2.0",
      info: { title: "t", version: "1" },
      basePath: "/v1",
      paths: {
        "/models": { get: {} },
        "/chat/completions": {
          post: { parameters: [{ in: "body", name: "body", schema: { $ref: "#/definitions/Chat" } }] },
        },
      },
      definitions: { Chat: { type: "object", properties: { model: {}, messages: {}, temperature: {} } } },
    };
    const server = await startScripted({
      ...models,
      "GET /openapi.json": (_q, res) => json(res, 200, swagger),
    });
    try {
      const report = await runProbe({ baseUrl: server.url, ...onlyDeclared });
      const r = row(report, "openapi:declared");
      assert.equal(r.status, "PASS", r.detail);
      assert.match(r.detail, /^\/openapi\.json declares 2 of OpenAI's \d+ paths; 2 of \d+ catalog paths$/);
      assert.deepEqual(report.declared?.presentButUndeclared, []);
      const chat = report.declared?.params.find((p) => p.path === "/v1/chat/completions");
      assert.equal(chat?.shared, 3);
      assert.deepEqual(pathsFromOpenapi(swagger)?.has("/v1/chat/completions"), true);
    } finally {
      await server.close();
    }
  });

  test("found at the second place; a route it serves but does not declare is listed", async () => {
    const server = await startScripted({
      ...models,
      "GET /v1/openapi.json": (_q, res) => json(res, 200, doc({ "/v1/chat/completions": { post: {} } })),
    });
    try {
      const report = await runProbe({ baseUrl: server.url, ...onlyDeclared });
      assert.equal(row(report, "openapi:declared").status, "PASS");
      assert.equal(report.declared?.source.path, "/v1/openapi.json");
      assert.deepEqual(report.declared?.presentButUndeclared, ["/v1/models"]);
      assert.equal(
        server.requests.filter((q) => q.path.endsWith("openapi.json")).length,
        2,
        "found at the second place, asked once",
      );
    } finally {
      await server.close();
    }
  });

  test("wrong content type (an SPA's HTML at every place): SKIP, each place asked once", async () => {
    const html = (_q: unknown, res: import("node:http").ServerResponse) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>app</html>");
    };
    const server = await startScripted({ ...models }, html);
    try {
      const report = await runProbe({ baseUrl: server.url, ...onlyDeclared });
      const r = row(report, "openapi:declared");
      assert.equal(r.status, "SKIP");
      assert.match(r.detail, /no OpenAPI document served/);
      assert.equal(report.declared, undefined);
      for (const place of OPENAPI_PLACES)
        assert.equal(server.requests.filter((q) => q.path === place).length, 1, place);
    } finally {
      await server.close();
    }
  });

  test("huge (past the byte cap), deeply nested and cyclic documents: bounded, WARN or PASS with the bound said", async () => {
    const deep = `{"openapi":"3.1.0","paths":${"[".repeat(400)}${"]".repeat(400)}}`;
    const cyclic = doc(
      { "/v1/chat/completions": { post: { requestBody: { $ref: "#/components/requestBodies/A" } } } },
      { components: { requestBodies: { A: { $ref: "#/components/requestBodies/A" } } } },
    );
    const cases: [string, (res: import("node:http").ServerResponse) => void, RegExp][] = [
      [
        "huge",
        (res) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(`{"openapi":"3.1.0","paths":{},"x":"${"a".repeat(2 << 20)}"}`);
        },
        /WARN/,
      ],
      [
        "deep",
        (res) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(deep);
        },
        /WARN/,
      ],
      ["cyclic", (res) => json(res, 200, cyclic), /PASS/],
    ];
    for (const [name, answer, status] of cases) {
      const server = await startScripted({ ...models, "GET /openapi.json": (_q, res) => answer(res) });
      try {
        const started = Date.now();
        const report = await runProbe({ baseUrl: server.url, ...onlyDeclared, maxBodyBytes: 1 << 20 });
        const r = row(report, "openapi:declared");
        assert.match(r.status, status, `${name}: ${r.detail}`);
        assert.ok(Date.now() - started < 8000, name);
        if (name === "huge") assert.match(r.detail, /not a readable OpenAPI document/);
        if (name === "deep") assert.match(r.detail, /nested deeper/);
        if (name === "cyclic") assert.match(report.declared?.limit ?? "", /cyclic/);
      } finally {
        await server.close();
      }
    }
  });

  test("a redirect to another origin is not followed", async () => {
    const other = await startScripted({
      "/openapi.json": (_q, res) => json(res, 200, doc({ "/v1/models": { get: {} } })),
    });
    const server = await startScripted({
      ...models,
      "GET /openapi.json": (_q, res) => {
        res.writeHead(302, { location: `${other.origin}/openapi.json` });
        res.end();
      },
    });
    try {
      const report = await runProbe({ baseUrl: server.url, ...onlyDeclared });
      assert.equal(row(report, "openapi:declared").status, "SKIP");
      assert.equal(other.requests.length, 0);
    } finally {
      await server.close();
      await other.close();
    }
  });
});
