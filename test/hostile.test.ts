/**
 * aioc against hostile servers (real sockets on 127.0.0.1): every misbehaviour ends within the deadline, as a
 * FAIL with a reason a person understands, and leaves every other row untouched. In-process probes here;
 * memory, redaction and terminal safety of the CLI are in hostile-cli.test.ts.
 */
import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { before, describe, test } from "node:test";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { MAX_SSE_EVENTS, Transport } from "../src/http/transport.js";
import { selectRows } from "../src/probe/plan.js";
import { runProbe } from "../src/probe/run.js";
import type { Report } from "../src/report/types.js";
import {
  completion as completionBody,
  type HostileServer,
  MODEL,
  type Mode,
  prepareBombs,
  startHostile,
  type Target,
} from "./helpers/hostile-server.js";

const TIMEOUT_MS = 1500;
/** The rows the hostile server implements: discovery, retrieve, chat, chat stream. */
const ONLY = /^\/v1\/(models(\/\{model\})?|chat\/completions(\[stream\])?)$/;
const ROW_OF: Record<Exclude<Target, "all">, string> = {
  models: "/v1/models",
  retrieve: "/v1/models/{model}",
  chat: "/v1/chat/completions",
  stream: "/v1/chat/completions[stream]",
};

/**
 * The longest a probe of `only` may take when every request runs into its deadline: discovery, then the other
 * rows at once, each row's requests in sequence (POST rows: Phase B, then Phase A if needed), all under the concurrency cap.
 * Greedy scheduling of chains needs at most (longest chain + ⌈requests / concurrency⌉) rounds (Graham's bound).
 * Plus a fixed allowance for process noise on a busy CI machine.
 */
function runBoundMs(only: RegExp, concurrency: number, timeoutMs: number): number {
  const rows = selectRows({ only, depth: "quick" }).filter((r) => r.id !== "/v1/models");
  const perRow = rows.map((r) => (r.method === "POST" ? 2 : 1));
  const total = perRow.reduce((a, b) => a + b, 0);
  const rounds = Math.max(0, ...perRow) + Math.ceil(total / concurrency);
  return (1 + rounds) * timeoutMs + 1000;
}

interface Case {
  mode: Mode;
  target: Target;
  status: "PASS" | "FAIL";
  detail: RegExp;
  /** The misbehaviour is a stall: the probe must have waited for (about) the deadline, no more. */
  stalls?: boolean;
  concurrency?: number;
  only?: RegExp;
  /** A deadline of its own: decompressing a bomb up to the cap is CPU work that a busy CI core may stretch. */
  timeoutMs?: number;
}

const CASES: Case[] = [
  {
    mode: "silent",
    target: "chat",
    status: "FAIL",
    detail: /^no response within 1\.5 s \(--timeout\)$/,
    stalls: true,
  },
  {
    mode: "headers-hang",
    target: "chat",
    status: "FAIL",
    detail: /^body incomplete after 1\.5 s \(--timeout\); 0 B received$/,
    stalls: true,
  },
  {
    mode: "slowloris",
    target: "chat",
    status: "FAIL",
    detail: /^body incomplete after 1\.5 s \(--timeout\); [1-3] B received$/,
    stalls: true,
  },
  {
    mode: "endless-sse",
    target: "stream",
    status: "FAIL",
    detail: /^stream still open after 1\.5 s \(--timeout\); \d+ events?, \d+ K?B received$/,
    stalls: true,
  },
  {
    mode: "sse-flood",
    target: "stream",
    status: "FAIL",
    detail: new RegExp(`^stream sent more than ${MAX_SSE_EVENTS} events \\(\\d+ KB\\); stopped reading$`),
  },
  {
    mode: "sse-long-line",
    target: "stream",
    status: "FAIL",
    detail: /^body exceeds 16 MB \(--max-body\); stopped reading$/,
    // 16 MB through one SSE parser: under a loaded CI machine that alone can outlast 1.5 s; the cap is under test, not the deadline.
    timeoutMs: 5000,
  },
  // Byte-at-a-time writes: their pace is the scheduler's under a parallel test run, so a deadline of its own.
  { mode: "sse-split", target: "stream", status: "PASS", detail: /^200 · 5 events$/, timeoutMs: 5000 },
  {
    mode: "big-body",
    target: "chat",
    status: "FAIL",
    detail: /^body exceeds 16 MB \(--max-body\); stopped reading$/,
    timeoutMs: 5000,
  },
  {
    mode: "big-body-declared",
    target: "chat",
    status: "FAIL",
    detail: /^body exceeds 16 MB \(--max-body; Content-Length 1 GB\); not read$/,
  },
  {
    mode: "gzip-bomb",
    target: "chat",
    status: "FAIL",
    detail: /^body exceeds 16 MB \(--max-body\); stopped reading$/,
    timeoutMs: 5000,
  },
  {
    mode: "br-bomb",
    target: "chat",
    status: "FAIL",
    detail: /^body exceeds 16 MB \(--max-body\); stopped reading$/,
    timeoutMs: 5000,
  },
  { mode: "invalid-json", target: "chat", status: "FAIL", detail: /^body is not valid JSON$/ },
  { mode: "invalid-utf8", target: "chat", status: "FAIL", detail: /^body is not valid UTF-8$/ },
  { mode: "html-200", target: "chat", status: "FAIL", detail: /^body is HTML, not JSON$/ },
  {
    mode: "wrong-content-type",
    target: "chat",
    status: "FAIL",
    detail: /^`header:content-type` is text\/plain; charset=utf-8, expected application\/json$/,
  },
  {
    mode: "redirect-loop",
    target: "chat",
    status: "FAIL",
    detail: /^more than 5 redirects \(redirect loop\?\)/,
  },
  {
    mode: "bad-location",
    target: "chat",
    status: "FAIL",
    detail: /^302 redirect to an invalid Location "http:\/\/\[::1"$/,
  },
  {
    mode: "reset-mid-body",
    target: "chat",
    status: "FAIL",
    detail: /^connection closed before the response was complete$/,
  },
  { mode: "not-http", target: "chat", status: "FAIL", detail: /^malformed HTTP response \(/ },
  { mode: "http10-close", target: "chat", status: "PASS", detail: /^200 · shape valid$/ },
  { mode: "http10-close", target: "models", status: "PASS", detail: /^200 · shape valid$/ },
  { mode: "huge-header", target: "chat", status: "FAIL", detail: /^response headers exceed 16 KB$/ },
  // One request at a time, so the connection that carried the 204 is the one the next request would reuse.
  { mode: "204-body", target: "retrieve", status: "FAIL", detail: /^empty body$/, concurrency: 1 },
  { mode: "echo", target: "chat", status: "FAIL", detail: /^400 — echo: / },
  // Issue #13: a 101 to a plain request used to leave the probe with nothing to wait for (exit 13, no output).
  {
    mode: "upgrade-101",
    target: "chat",
    status: "FAIL",
    detail: /^answered 101 Switching Protocols \(upgrade: websocket\) to a plain HTTP request$/,
  },
  { mode: "tls-bytes", target: "chat", status: "FAIL", detail: /^the server speaks TLS: use https:\/\/$/ },
  // Bare-CR line ends (SSE allows them): the last event, [DONE], used to be lost.
  { mode: "sse-bare-cr", target: "stream", status: "PASS", detail: /^200 · 5 events$/ },
  {
    mode: "million-keys",
    target: "chat",
    status: "FAIL",
    detail: /^body too complex to analyse \(an object with more than 10000 keys\)$/,
  },
];

async function probe(
  server: HostileServer,
  c: Pick<Case, "concurrency" | "only" | "timeoutMs">,
  apiKey?: string,
) {
  const started = performance.now();
  const report = await runProbe({
    baseUrl: server.url,
    apiKey,
    only: c.only ?? ONLY,
    timeoutMs: c.timeoutMs ?? TIMEOUT_MS,
    concurrency: c.concurrency ?? 4,
    depth: "quick",
    maxBodyBytes: 16 << 20,
  });
  return { report, ms: performance.now() - started };
}

function byId(report: Report, id: string) {
  const r = report.results.find((x) => x.id === id);
  assert.ok(r, `no result for ${id}`);
  return r;
}

before(() => prepareBombs());

test("a server that accepts but never answers discovery is unreachable: one deadline, not one per row", async () => {
  const server = await startHostile({ mode: "hang-accept", target: "all" });
  try {
    const started = performance.now();
    await assert.rejects(
      runProbe({
        baseUrl: server.url,
        timeoutMs: TIMEOUT_MS,
        concurrency: 4,
        depth: "standard",
        maxBodyBytes: 1 << 20,
      }),
      /^UsageError: cannot reach .*: no response within 1\.5 s \(--timeout\)$/,
    );
    const ms = performance.now() - started;
    assert.ok(ms >= TIMEOUT_MS * 0.95 && ms < TIMEOUT_MS * 2, `took ${Math.round(ms)} ms`);
  } finally {
    await server.close();
  }
});

describe("hostile servers: each misbehaviour fails its own row, within the deadline", {
  concurrency: 6,
}, () => {
  for (const c of CASES) {
    test(`${c.mode} on ${c.target} → ${c.status}`, async () => {
      const server = await startHostile({ mode: c.mode, target: c.target });
      try {
        const { report, ms } = await probe(server, c, "sk-hostile-test-key-0123456789");
        const bound = runBoundMs(c.only ?? ONLY, c.concurrency ?? 4, c.timeoutMs ?? TIMEOUT_MS);
        assert.ok(ms <= bound, `probe took ${Math.round(ms)} ms; bound ${bound} ms`);
        if (c.stalls)
          assert.ok(ms >= TIMEOUT_MS * 0.95, `a stall ended before the deadline (${Math.round(ms)} ms)`);
        const affected = c.target === "all" ? "/v1/models" : ROW_OF[c.target];
        const row = byId(report, affected);
        assert.equal(row.status, c.status, `${affected}: ${row.status} — ${row.detail}`);
        assert.match(row.detail, c.detail);
        for (const other of report.results.filter((r) => r.id !== affected)) {
          assert.equal(other.status, "PASS", `unaffected row ${other.id}: ${other.status} — ${other.detail}`);
        }
      } finally {
        await server.close();
      }
    });
  }

  test("302 to another origin: not followed, no request (let alone the key) reaches it, the report names it", async () => {
    const elsewhere = await startHostile({ mode: "none" });
    const server = await startHostile({
      mode: "redirect-cross-origin",
      target: "chat",
      redirectTo: elsewhere.origin,
    });
    try {
      const { report } = await probe(server, {}, "sk-hostile-test-key-0123456789");
      const row = byId(report, "/v1/chat/completions");
      assert.equal(row.status, "FAIL");
      assert.equal(
        row.detail,
        `302 redirect to another origin (${elsewhere.origin}); not followed, key withheld`,
      );
      assert.deepEqual(elsewhere.requests, []);
      for (const r of server.requests)
        assert.equal(r.headers.authorization, "Bearer sk-hostile-test-key-0123456789");
      for (const other of report.results.filter((r) => r !== row))
        assert.equal(other.status, "PASS", other.id);
    } finally {
      await server.close();
      await elsewhere.close();
    }
  });

  test("SSE split at every byte, CRLF line ends, multi-line data: every frame arrives intact", async () => {
    const server = await startHostile({ mode: "sse-split", target: "stream" });
    try {
      const transport = new Transport({ baseUrl: server.url, timeoutMs: 5000, maxBodyBytes: 1 << 20 });
      const out = await transport.send({
        method: "POST",
        path: "/v1/chat/completions",
        json: { model: MODEL, messages: [{ role: "user", content: "hi" }], stream: true },
        sse: {},
      });
      assert.ok(out.ok, out.ok ? "" : out.error.message);
      const events = out.res.events ?? [];
      assert.equal(events.length, 5);
      assert.ok(events.slice(0, 4).every((e) => e.event === "message"));
      assert.equal(events[4]!.data, "[DONE]");
      const frames = events.slice(0, 4).map((e) => JSON.parse(e.data));
      assert.equal(frames[1].choices[0].delta.content, "héllo 👋 — ünïcödé");
      assert.equal(frames[3].usage.total_tokens, 5);
    } finally {
      await server.close();
    }
  });

  test("--max-body is the cap: 1 MB stops a big body at 1 MB", async () => {
    const server = await startHostile({ mode: "big-body", target: "chat" });
    try {
      const transport = new Transport({ baseUrl: server.url, timeoutMs: 5000, maxBodyBytes: 1 << 20 });
      const out = await transport.send({
        method: "POST",
        path: "/v1/chat/completions",
        json: { messages: [1] },
      });
      assert.ok(!out.ok);
      assert.equal(out.error.kind, "too-large");
      assert.equal(out.error.message, "body exceeds 1 MB (--max-body); stopped reading");
      // Only what a report shows of a failed body is kept, not the whole cap.
      assert.equal(out.partial?.truncated, true);
      assert.equal(out.partial?.body.length, 64 * 1024);
      // The server saw the client hang up long before 1 GiB: reading stopped, nothing was drained.
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(server.bytesSent < 64 << 20, `server wrote ${server.bytesSent} bytes`);
    } finally {
      await server.close();
    }
  });

  test("a /v1/models listing of 100,000 models is fast and does not bloat the report", async () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `model-${String(i).padStart(6, "0")}`);
    const server = await startHostile({ mode: "none", models: () => ids });
    try {
      const { report, ms } = await probe(server, {});
      assert.ok(ms < 5000, `took ${Math.round(ms)} ms`);
      for (const r of report.results) assert.equal(r.status, "PASS", `${r.id}: ${r.detail}`);
      assert.deepEqual(report.models, { chat: "model-000000" });
      assert.ok(JSON.stringify(report).length < 200_000, "report carries the whole listing");
    } finally {
      await server.close();
    }
  });

  test("a server closing idle keep-alive connections: the request is retried once on a new one", async () => {
    const server = await startHostile({ mode: "drop-reused", target: "all" });
    try {
      const { report } = await probe(server, { concurrency: 1 });
      for (const r of report.results) assert.equal(r.status, "PASS", `${r.id}: ${r.detail}`);
      const reused = server.requests.filter(
        (r, i) => server.requests.findIndex((x) => x.conn === r.conn) !== i,
      );
      assert.ok(reused.length > 0, "no connection was reused; the test proves nothing");
      assert.equal(report.requests, server.requests.length);
    } finally {
      await server.close();
    }
  });

  test("compressed bodies decode: gzip, x-gzip, deflate (zlib and raw), br, and stacked codings", async () => {
    const text = JSON.stringify({ ...completionBody(), pad: "ünïcödé ".repeat(2000) });
    const encodings: Record<string, (b: Buffer) => Buffer> = {
      gzip: (b) => gzipSync(b),
      "x-gzip": (b) => gzipSync(b),
      deflate: (b) => deflateSync(b),
      "deflate ": (b) => deflateRawSync(b),
      br: (b) => brotliCompressSync(b),
      "gzip, br": (b) => brotliCompressSync(gzipSync(b)),
      identity: (b) => b,
    };
    const server = createHttpServer((q, res) => {
      const name = decodeURIComponent((q.url ?? "").split("/").pop()!);
      res.writeHead(200, { "content-type": "application/json", "content-encoding": name.trim() });
      res.end(encodings[name]!(Buffer.from(text)));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      const transport = new Transport({
        baseUrl: `http://127.0.0.1:${port}/v1`,
        timeoutMs: 5000,
        maxBodyBytes: 1 << 20,
      });
      for (const name of Object.keys(encodings)) {
        const out = await transport.send({ method: "GET", path: `/v1/${encodeURIComponent(name)}` });
        assert.ok(out.ok, `${name}: ${out.ok ? "" : out.error.message}`);
        assert.equal(new TextDecoder().decode(out.res.body), text, name);
      }
      const corrupt = createHttpServer((_q, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        res.end("this is not gzip at all");
      });
      await new Promise<void>((r) => corrupt.listen(0, "127.0.0.1", r));
      const bad = new Transport({
        baseUrl: `http://127.0.0.1:${(corrupt.address() as AddressInfo).port}/v1`,
        timeoutMs: 5000,
        maxBodyBytes: 1 << 20,
      });
      const out = await bad.send({ method: "GET", path: "/v1/x" });
      assert.ok(!out.ok);
      assert.match(out.error.message, /^body does not decode as Content-Encoding gzip: /);
      corrupt.close();
    } finally {
      server.close();
    }
  });

  test("ports on the Fetch standard's blocked list (6000, 6665, 10080…) can be probed", async (t) => {
    for (const port of [6000, 6665, 6666, 6667, 10080]) {
      const server = await startHostile({ mode: "none", port }).catch(() => undefined);
      if (!server) continue;
      try {
        const { report } = await probe(server, { only: /^\/v1\/models$/ });
        assert.equal(report.results[0]?.status, "PASS", report.results[0]?.detail);
        return;
      } finally {
        await server.close();
      }
    }
    t.skip("none of the blocked ports is free on this machine");
  });

  test("the catalog rows used here exist", () => {
    for (const id of Object.values(ROW_OF))
      assert.ok(
        ENDPOINTS.some((e) => e.id === id),
        id,
      );
  });
});
