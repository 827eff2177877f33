/** `/v1/rerank` (the Jina/Cohere convention): the reference server passes, each defect is named. */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, test } from "node:test";
import { rerankProblems } from "../src/checks/rerank.js";
import { runProbe } from "../src/probe/run.js";
import type { Report, Result } from "../src/report/types.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { json, startScripted } from "./helpers/scripted-server.js";

const options = { timeoutMs: 10_000, concurrency: 4, maxBodyBytes: 16 << 20, depth: "standard" } as const;
const row = (report: Report, id: string): Result => report.results.find((r) => r.id === id)!;
const only = { ...options, only: /^\/v1\/models$|^\/v1\/rerank$/ };
const models = {
  "GET /v1/models": (_q: unknown, res: ServerResponse) =>
    json(res, 200, {
      object: "list",
      data: [{ id: "bge-reranker", object: "model", created: 1, owned_by: "x" }],
    }),
};

describe("against aioc serve", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0 });
  });
  after(() => server.close());

  test("PASS: three results, each document once, highest relevance first", async () => {
    const report = await runProbe({ baseUrl: server.url, ...only });
    const r = row(report, "/v1/rerank");
    assert.equal(r.status, "PASS", r.detail);
    assert.equal(r.kind, "ours");
    const res = await fetch(`${server.url}/rerank`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: "capital of France",
        documents: ["bananas", "Paris is the capital of France"],
        top_n: 1,
        return_documents: true,
      }),
    });
    const body = (await res.json()) as { results: { index: number; document?: { text: string } }[] };
    assert.deepEqual(
      body.results.map((x) => x.index),
      [1],
    );
    assert.equal(body.results[0]!.document?.text, "Paris is the capital of France");
    const bad = await fetch(`${server.url}/rerank`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(bad.status, 400);
  });
});

describe("defects", () => {
  const cases: [string, unknown, RegExp, string][] = [
    ["no results array", { data: [] }, /FAIL/, "/results"],
    [
      "index out of range",
      {
        results: [
          { index: 0, relevance_score: 0.9 },
          { index: 1, relevance_score: 0.5 },
          { index: 7, relevance_score: 0.1 },
        ],
      },
      /FAIL/,
      "/results/2/index",
    ],
    [
      "score as a string",
      {
        results: [
          { index: 0, relevance_score: "0.9" },
          { index: 1, relevance_score: 0.5 },
          { index: 2, relevance_score: 0.1 },
        ],
      },
      /FAIL/,
      "/results/0/relevance_score",
    ],
    [
      "unsorted",
      {
        results: [
          { index: 0, relevance_score: 0.1 },
          { index: 1, relevance_score: 0.9 },
          { index: 2, relevance_score: 0.5 },
        ],
      },
      /WARN/,
      "/results/1/relevance_score",
    ],
    ["top_n ignored (too few)", { results: [{ index: 0, relevance_score: 0.9 }] }, /FAIL/, "/results"],
  ];
  for (const [name, body, status, pointer] of cases) {
    test(`${name}: ${status.source} at ${pointer}`, async () => {
      const server = await startScripted({ ...models, "POST /v1/rerank": (_q, res) => json(res, 200, body) });
      try {
        const report = await runProbe({ baseUrl: server.url, ...only });
        const r = row(report, "/v1/rerank");
        assert.match(r.status, status, r.detail);
        assert.ok(
          r.problems.some((p) => p.pointer === pointer),
          JSON.stringify(r.problems),
        );
      } finally {
        await server.close();
      }
    });
  }

  test("absent (404): an ours row WARNs, never FAILs", async () => {
    const server = await startScripted({ ...models });
    try {
      const report = await runProbe({ baseUrl: server.url, ...only });
      assert.equal(row(report, "/v1/rerank").status, "WARN");
    } finally {
      await server.close();
    }
  });

  test("rerankProblems: a bare array (TEI's /rerank format) is named as an array, not 'object'", () => {
    const [p] = rerankProblems([{ index: 0, score: 0.9 }], 3);
    assert.equal(p?.got, "an array of 1");
    assert.equal(p?.expected, "a JSON object {results: [...]}");
  });

  test("rerankProblems: a duplicate index is named", () => {
    const p = rerankProblems(
      {
        results: [
          { index: 0, relevance_score: 1 },
          { index: 0, relevance_score: 0.5 },
          { index: 1, relevance_score: 0 },
        ],
      },
      3,
    );
    assert.ok(p.some((x) => /again/.test(x.got)));
  });
});
