/**
 * Issue #10 §5, §6 and the transient-refusal class of §2: existence calibrated against a path that cannot exist,
 * a target that dies mid-run, and 429/503 retried as openai-node does, then inconclusive, never FAIL.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { exitCodeFor } from "../src/commands/probe.js";
import { runProbe } from "../src/probe/run.js";
import { renderReport } from "../src/render/index.js";
import { byId } from "./helpers/results.js";
import { json, startScripted } from "./helpers/scripted-server.js";
import { startServeProxy } from "./helpers/serve-proxy.js";

const PORTKEY = {
  status: "failure",
  message: "Either x-portkey-config or x-portkey-provider header is required",
};

const probe = (url: string, extra: Partial<Parameters<typeof runProbe>[0]> = {}) =>
  runProbe({
    baseUrl: url,
    timeoutMs: 5000,
    concurrency: 4,
    depth: "standard",
    maxBodyBytes: 1 << 20,
    ...extra,
  });

describe("existence calibration (§5)", () => {
  test("a gateway rejecting every route alike: said once at the top, no row says the route exists", async () => {
    const server = await startScripted({}, (_q, res) => json(res, 400, PORTKEY));
    try {
      const report = await probe(server.url);
      assert.deepEqual(report.notices, [
        {
          kind: "uniform-rejection",
          message:
            "every route rejects requests with: 400 Either x-portkey-config or x-portkey-provider header is required; the server needs something aioc did not send: a header? a key?",
        },
      ]);
      for (const r of report.results) {
        assert.equal(r.status, "SKIP", `${r.id}: ${r.status} ${r.detail}`);
        assert.doesNotMatch(r.detail, /route exists/, r.id);
      }
      assert.match(
        byId(report, "/v1/chat/completions").detail,
        /^inconclusive: every route, even one that cannot exist, answers 400 Either x-portkey-config/,
      );
      assert.equal(exitCodeFor(report.summary, "fail", report.notices), 1);
      assert.equal(server.requests.filter((r) => r.path.startsWith("/v1/aioc-calibration-")).length, 1);
      for (const format of ["table", "markdown", "html"] as const) {
        // (The HTML page also embeds the JSON report in a script element.)
        const text = renderReport(report, format, { color: false }).replace(/<script[\s\S]*?<\/script>/g, "");
        assert.equal(text.split("every route rejects requests with").length - 1, 1, format);
      }
    } finally {
      await server.close();
    }
  });

  test("a catch-all behind real routes: a route answering like the calibration path is absent", async () => {
    // aioc serve without embeddings, behind a catch-all that answers unknown routes 400, as some frameworks do.
    const catchAll = { error: { message: "Invalid URL (POST /v1/x)", type: "invalid_request_error" } };
    const proxy = await startServeProxy((req, res) => {
      const known = /^\/v1\/(models|chat\/completions)/.test(req.path);
      if (known) return false;
      json(res, 400, { error: { ...catchAll.error, message: `Invalid URL (${req.method} ${req.path})` } });
      return true;
    });
    try {
      const report = await probe(proxy.url, {
        only: /^\/v1\/(models|chat\/completions$|embeddings$|moderations$)/,
      });
      assert.equal(report.notices, undefined);
      assert.equal(byId(report, "/v1/chat/completions").status, "PASS");
      const embeddings = byId(report, "/v1/embeddings");
      assert.equal(embeddings.status, "FAIL");
      assert.equal(
        embeddings.detail,
        "400 — answers exactly like a path that cannot exist, so the route is absent (Invalid URL (POST /v1/embeddings))",
      );
      const moderations = byId(report, "/v1/moderations");
      assert.equal(moderations.status, "WARN");
      assert.match(moderations.detail, /answers exactly like a path that cannot exist.*\(optional\)$/);
    } finally {
      await proxy.close();
    }
  });

  test("aioc serve (404 on unknown paths) is unaffected: every row PASSes", async () => {
    const proxy = await startServeProxy(() => false);
    try {
      const report = await probe(proxy.url, { depth: "quick" });
      for (const r of report.results) assert.equal(r.status, "PASS", `${r.id}: ${r.detail}`);
      assert.equal(report.notices, undefined);
      assert.equal(report.requests, proxy.requests.length);
    } finally {
      await proxy.close();
    }
  });
});

describe("501 with an error envelope (§2)", () => {
  test("graded the same on every row, whatever the group or phase; a uniform 400 to {} proves nothing", async () => {
    const envelope = (message: string) => ({
      error: { message, type: "not_implemented", param: null, code: null },
    });
    const models = { object: "list", data: [{ id: "m", object: "model", created: 1, owned_by: "me" }] };
    // Every POST {} gets the same 400, even on a path that cannot exist; every real request gets 501.
    const server = await startScripted(
      { "GET /v1/models": (_q, res) => json(res, 200, models) },
      (q, res, body) =>
        q.method === "POST" && body.toString() === "{}"
          ? json(res, 400, envelope("bad request"))
          : json(res, 501, envelope("not implemented here")),
    );
    try {
      const m = "m";
      const report = await probe(server.url, {
        models: { chat: m, embedding: m, tts: m, stt: m, image: m, video: m, moderation: m },
      });
      assert.equal(report.notices, undefined);
      const judged = report.results.filter((r) => r.status !== "SKIP" && r.id !== "/v1/models");
      assert.ok(judged.length >= 15, `${judged.length} rows judged`);
      for (const r of judged) {
        assert.equal(r.status, "WARN", `${r.id}: ${r.detail}`);
        assert.equal(r.detail, "501 — not implemented: not implemented here", r.id);
      }
    } finally {
      await server.close();
    }
  });
});

describe("a target that dies mid-run (§6)", () => {
  test("said once; every later row SKIP with that reason; nothing more is sent; exit non-zero", async () => {
    let dead = false;
    const proxy = await startServeProxy((req, res) => {
      if (req.path !== "/v1/chat/completions" || !req.json?.stream) return false;
      // The first stream kills the gateway (the nullplatform llm-gateway does this).
      dead = true;
      res.on("finish", () => proxy.kill());
      return false;
    });
    try {
      const report = await probe(proxy.url, { concurrency: 1, depth: "quick" });
      assert.ok(dead);
      assert.deepEqual(report.notices, [
        {
          kind: "target-stopped",
          message: "the target stopped answering after /v1/chat/completions[stream]",
        },
      ]);
      const skipped = report.results.filter((r) => r.detail === report.notices![0]!.message);
      assert.ok(skipped.length >= 5, `only ${skipped.length} rows skipped`);
      for (const r of skipped) assert.equal(r.status, "SKIP");
      for (const r of report.results) assert.doesNotMatch(r.detail, /ECONNREFUSED/, r.id);
      assert.equal(exitCodeFor(report.summary, "fail", report.notices), 1);
      // Nothing is sent after the first refused connection: with one request in flight, at most one went
      // unanswered (refused) or two (one reset as the target died, then the refused one).
      const unanswered = report.results.flatMap((r) => r.exchanges ?? []).filter((e) => !e.response);
      assert.ok(unanswered.length >= 1 && unanswered.length <= 2, `${unanswered.length} unanswered`);
    } finally {
      await proxy.close();
    }
  });
});

describe("transient 429/503 (§2)", () => {
  test("503 'Loading model' twice, then 200: retried, PASS", async () => {
    let refusals = 0;
    const proxy = await startServeProxy((req, res) => {
      if (req.path !== "/v1/embeddings" || req.json?.input !== "hello" || refusals >= 2) return false;
      refusals++;
      json(
        res,
        503,
        { error: { message: "Loading model", type: "unavailable_error", code: 503 } },
        { "retry-after": "0" },
      );
      return true;
    });
    try {
      const report = await probe(proxy.url, { only: /^\/v1\/embeddings$/ });
      const row = byId(report, "/v1/embeddings");
      assert.equal(row.status, "PASS", row.detail);
      assert.equal(refusals, 2);
    } finally {
      await proxy.close();
    }
  });

  test("a 429 that stays: 2 retries honouring Retry-After, then SKIP with the reason, never FAIL", async () => {
    const proxy = await startServeProxy((req, res) => {
      if (req.path !== "/v1/chat/completions" || !req.json?.messages || req.json.stream) return false;
      json(
        res,
        429,
        { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
        {
          "retry-after-ms": "20",
        },
      );
      return true;
    });
    try {
      const report = await probe(proxy.url, { only: /^\/v1\/chat\/completions$/, depth: "quick" });
      const row = byId(report, "/v1/chat/completions");
      assert.equal(row.status, "SKIP");
      assert.equal(row.detail, "inconclusive: 429 rate limited, still after 2 retries: Rate limit reached");
      const sent = proxy.requests.filter(
        (r) => r.path === "/v1/chat/completions" && r.json?.messages && !r.json.stream,
      );
      assert.equal(sent.length, 3);
    } finally {
      await proxy.close();
    }
  });

  test("Retry-After is honoured up to a bound; an HTTP date counts", async () => {
    const { retryDelayMs, MAX_RETRY_WAIT_MS } = await import("../src/http/retry.js");
    assert.equal(retryDelayMs({ "retry-after": "2" }, 0), 2000);
    assert.equal(retryDelayMs({ "retry-after-ms": "150", "retry-after": "9" }, 0), 150);
    assert.equal(retryDelayMs({ "retry-after": "3600" }, 0), MAX_RETRY_WAIT_MS);
    const now = Date.parse("2026-01-01T00:00:00Z");
    assert.equal(retryDelayMs({ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" }, 0, now), 3000);
    const backoff = retryDelayMs({}, 1);
    assert.ok(backoff > 700 && backoff <= 1000, String(backoff));
  });
});
