/** A row's latency starts when its request gets a concurrency slot: queue wait is never counted, SDK rows included. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Transport } from "../src/http/transport.js";
import type { HttpOutcome } from "../src/http/types.js";
import { CountingHttp } from "../src/probe/row-http.js";
import { runProbe } from "../src/probe/run.js";
import { type RunningServer, startServer } from "../src/serve/server.js";

const LATENCY = 300;
let server: RunningServer;
before(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", latencyMs: LATENCY });
});
after(() => server.close());

test("a row's active time excludes the wait for its concurrency slot", async () => {
  let release!: () => void;
  const slotFree = new Promise<void>((r) => {
    release = r;
  });
  // A limiter whose only slot is taken until `release`: the request waits first, then runs.
  const limit = async <T>(fn: () => Promise<T>) => {
    await slotFree;
    return fn();
  };
  const transport = {
    send: async () => {
      await new Promise((r) => setTimeout(r, 30));
      return {
        ok: false,
        error: { kind: "reset", message: "x" },
        exchange: { request: {} },
      } as unknown as HttpOutcome;
    },
  } as unknown as Transport;
  const active: number[] = [];
  const http = new CountingHttp(transport, limit, undefined, 0, undefined, (d) => active.push(d));
  const sent = http.send({ method: "GET", path: "/v1/models" });
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(active, [], "not in flight while queued");
  release();
  await sent;
  assert.deepEqual(active, [1, -1]);
  assert.ok(http.activeMs >= 25 && http.activeMs < 190, `${http.activeMs} ms active, not the 200 ms queued`);
});

test("at concurrency 1, SDK rows that waited behind a dozen requests show their own request's latency", async () => {
  const report = await runProbe({
    baseUrl: server.url,
    depth: "standard",
    timeoutMs: 10_000,
    concurrency: 1,
    maxBodyBytes: 16 << 20,
    only: /^\/v1\/chat\/completions(\[[^\]]*\])?$|^client:(openai-node\/chat|ai-sdk\/generateText)$/,
    skip: /stream|seed/,
  });
  const queued = report.results
    .filter((r) => !r.id.startsWith("client:"))
    .reduce((n, r) => n + r.requests, 0);
  // The client rows need the base row and then queue behind every Phase C row already waiting for the slot:
  // counting that wait would put them above `floor`; their own single request takes LATENCY plus noise.
  const floor = (queued - 3) * LATENCY;
  for (const id of ["client:openai-node/chat", "client:ai-sdk/generateText"]) {
    const r = report.results.find((x) => x.id === id)!;
    assert.equal(r.status, "PASS", r.detail);
    assert.ok(r.latencyMs! >= LATENCY * 0.9, `${id}: ${r.latencyMs} ms`);
    assert.ok(r.latencyMs! < floor / 2, `${id}: ${r.latencyMs} ms; queue wait alone was ≥ ${floor} ms`);
  }
});
