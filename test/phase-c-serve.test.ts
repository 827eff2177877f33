/** Phase C against the reference server (`aioc serve`): every Phase C and client row PASSes at deep depth. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { BEHAVIOUR_REPEATS, runProbe } from "../src/probe/run.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { PYTHON_ROWS } from "./helpers/python.js";

const KEY = "sk-phase-c-serve-0123456789";
// The python rows run against aioc serve in clients-sdks.test.ts (python start-up needs a longer deadline).
// The parameter matrix (deep includes it) has its own budget and verdicts in param-matrix.test.ts.
const MATRIX = /\[(param|invalid):|^openapi:declared$/;
const PHASE_C = ENDPOINTS.filter((e) => e.phase === "C" && !PYTHON_ROWS.test(e.id) && !MATRIX.test(e.id));

describe("Phase C against aioc serve", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0, host: "127.0.0.1", apiKey: KEY });
  });
  after(() => server.close());

  test("every Phase C and client row PASSes, forensics without a request of their own", async () => {
    const report = await runProbe({
      baseUrl: server.url,
      apiKey: KEY,
      only: /\[|^client:/,
      skip: new RegExp(`${PYTHON_ROWS.source}|${MATRIX.source}`),
      depth: "deep",
      timeoutMs: 10_000,
      concurrency: 4,
      maxBodyBytes: 16 << 20,
    });
    const bad = PHASE_C.map((e) => report.results.find((r) => r.id === e.id))
      .filter((r) => r?.status !== "PASS")
      .map((r) => `${r?.id}: ${r?.status} ${r?.detail}`);
    assert.deepEqual(bad, [], "every Phase C row should PASS against the reference server");
    for (const r of report.results.filter((x) => x.id.endsWith("[stream-forensics]"))) {
      assert.equal(r.requests, 0, r.id);
      assert.ok(r.metrics?.ttftMs !== undefined, `${r.id} measures TTFT`);
    }
    // Behaviour rows run BEHAVIOUR_REPEATS times at deep depth; every run stays within 2 requests.
    for (const r of report.results) {
      const runs = r.label === "behaviour" && !r.id.endsWith("[seed]") ? BEHAVIOUR_REPEATS : 1;
      assert.ok(r.requests <= 2 * runs, `${r.id}: ${r.requests} requests`);
      if (runs > 1) assert.match(r.detail, /· 3\/3 runs passed$/, r.id);
    }
    assert.ok(!JSON.stringify(report).includes(KEY));
  });
});
