/**
 * Request planning and scheduling: Phase A is asked only when Phase B's answer leaves existence open, never twice
 * for one route, no request is sent twice in a run, and the cap dispatches the longest remaining chain first.
 * (Counts and order only; the time these save is measured by `npm run bench`, never asserted here.)
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findEndpoint } from "../src/catalog/endpoints.js";
import { chainLengths, selectRows, withDependencies } from "../src/probe/plan.js";
import { runProbe } from "../src/probe/run.js";
import { priorityLimit } from "../src/probe/schedule.js";
import type { Report } from "../src/report/types.js";
import { startServer } from "../src/serve/server.js";

const options = { timeoutMs: 10_000, concurrency: 4, maxBodyBytes: 16 << 20 } as const;

/** The rows that sent a Phase A request (an empty JSON object), once per such request. */
const sentEmpty = (report: Report) =>
  report.results.flatMap((r) => (r.exchanges ?? []).filter((e) => e.request.body === "{}").map(() => r.id));

describe("request plan against aioc serve", () => {
  test("standard depth: no Phase A request, at most one request per graded row, none sent twice", async () => {
    const server = await startServer({});
    try {
      const report = await runProbe({ baseUrl: server.url, depth: "standard", ...options });
      assert.deepEqual(sentEmpty(report), [], "every Phase B answer settled existence");
      // One request per graded row on average (stream forensics cost none, [max_tokens]/[stop]/[store] two), plus
      // the one extra of client:openai-node/responses.tools, whose tool round trip is two SDK calls.
      assert.ok(
        report.requests <= report.results.length + 1,
        `${report.requests} requests for ${report.results.length} rows`,
      );
      const seen = new Map<string, string>();
      for (const r of report.results) {
        for (const e of r.exchanges ?? []) {
          const { method, url, headers, body } = e.request;
          const key = JSON.stringify([method, url, headers, body ?? null]);
          assert.ok(!seen.has(key), `${r.id} repeats a request of ${seen.get(key)}: ${method} ${url}`);
          seen.set(key, r.id);
        }
      }
    } finally {
      await server.close();
    }
  });

  test("a missing route: Phase A asks once for the row and its [stream] twin, and settles both as absent", async () => {
    // No /openapi.json, so the kind rule grades the absence (with one, the scope rule would say "not offered").
    const server = await startServer({ missing: ["/v1/completions"], openapi: false });
    try {
      const report = await runProbe({
        baseUrl: server.url,
        depth: "quick",
        only: /^\/v1\/(models|completions)/,
        ...options,
      });
      const rows = ["/v1/completions", "/v1/completions[stream]"].map(
        (id) => report.results.find((r) => r.id === id)!,
      );
      for (const r of rows) assert.equal(r.detail, "404 — not implemented (optional)", r.id);
      assert.equal(sentEmpty(report).length, 1, "one Phase A request for the shared route");
      assert.equal(
        rows.reduce((n, r) => n + r.requests, 0),
        3,
      );
    } finally {
      await server.close();
    }
  });
});

describe("critical path first", () => {
  test("chains: the video job, STT before translations, the chat base rows before their followers", () => {
    const rows = withDependencies(selectRows({ depth: "standard" }));
    const chain = chainLengths(rows);
    const of = (id: string) => chain.get(id)!;
    assert.equal(of("/v1/videos"), 3);
    assert.ok(of("/v1/audio/transcriptions") > of("/v1/audio/translations"));
    assert.ok(of("/v1/chat/completions") > of("/v1/chat/completions[stop]"));
    assert.ok(of("/v1/chat/completions[stream]") > of("client:openai-node/chat.stream"));
    assert.ok(of("/v1/videos") > of("/v1/moderations"));
    assert.ok(findEndpoint("/v1/videos/{id}/content")?.needs);
  });

  test("the cap runs the highest priority waiting first, ties in arrival order, never more than the cap", async () => {
    const limit = priorityLimit(2);
    const order: string[] = [];
    let active = 0;
    let most = 0;
    const job = (name: string) => async () => {
      active++;
      most = Math.max(most, active);
      order.push(name);
      await new Promise((r) => setTimeout(r, 5));
      active--;
    };
    await Promise.all([
      limit(job("low-1"), 1),
      limit(job("low-2"), 1),
      limit(job("high"), 5),
      limit(job("mid"), 3),
      limit(job("low-3"), 1),
    ]);
    assert.deepEqual(order, ["high", "mid", "low-1", "low-2", "low-3"]);
    assert.equal(most, 2);
  });
});
