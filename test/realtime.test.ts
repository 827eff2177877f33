/** `/v1/realtime`: the reference server's text session PASSes; each protocol defect of a fake server is named. */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { type WebSocket, WebSocketServer } from "ws";
import { runProbe } from "../src/probe/run.js";
import type { Report, Result } from "../src/report/types.js";
import { type RunningServer, startServer } from "../src/serve/server.js";

const options = { timeoutMs: 3_000, concurrency: 4, maxBodyBytes: 16 << 20, depth: "standard" } as const;
const row = (report: Report, id: string): Result => report.results.find((r) => r.id === id)!;
const only = { ...options, only: /^\/v1\/models$|^\/v1\/realtime$/ };
const KEY = "sk-test-zq8w1x7y6v5u4t3s";

/** A loopback server: /v1/models lists one model; upgrades on /v1/realtime run `session` (or are refused). */
async function fake(
  session: ((ws: WebSocket) => void) | { refuse: number; location?: string } | { silent: true },
  seen: { headers?: Record<string, unknown>; url?: string } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ noServer: true });
  const held: { destroy(): void }[] = [];
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        object: "list",
        data: [{ id: "rt-model", object: "model", created: 1, owned_by: "x" }],
      }),
    );
  });
  server.on("upgrade", (req, socket, head) => {
    seen.headers = req.headers;
    seen.url = req.url;
    if ("silent" in session) {
      held.push(socket);
      return;
    }
    if ("refuse" in session) {
      const loc = session.location ? `location: ${session.location}\r\n` : "";
      socket.end(`HTTP/1.1 ${session.refuse} No\r\n${loc}content-length: 0\r\nconnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, session);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        for (const socket of held) socket.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const ev = (type: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event_id: "event_1", type, ...extra });
const session = { type: "realtime", object: "realtime.session", id: "sess_1" };

describe("against aioc serve", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0, apiKey: KEY });
  });
  after(() => server.close());

  test("PASS: session.created, session.updated, response.done; one request; the key never in the report", async () => {
    const report = await runProbe({ baseUrl: server.url, apiKey: KEY, ...only });
    const r = row(report, "/v1/realtime");
    assert.equal(r.status, "PASS", r.detail);
    assert.equal(r.requests, 1);
    assert.match(r.detail, /session\.created → session\.updated → response\.done/);
    assert.ok(!JSON.stringify(report).includes(KEY));
  });

  test("without the key the upgrade is refused with 401: FAIL naming it", async () => {
    const report = await runProbe({ baseUrl: server.url, ...only });
    const r = row(report, "/v1/realtime");
    assert.equal(r.httpStatus, 401);
  });

  test("a missing route refuses the upgrade with 404: WARN, absent (ext)", async () => {
    const missing = await startServer({ port: 0, missing: ["/v1/realtime"] });
    try {
      const report = await runProbe({ baseUrl: missing.url, ...only });
      const r = row(report, "/v1/realtime");
      assert.equal(r.status, "WARN", r.detail);
      assert.equal(r.httpStatus, 404);
    } finally {
      await missing.close();
    }
  });
});

describe("defects", () => {
  test("no session.created (a response.done first): FAIL", async () => {
    const s = await fake((ws) => ws.send(ev("response.done", { response: {} })));
    try {
      const r = row(await runProbe({ baseUrl: s.url, ...only }), "/v1/realtime");
      assert.equal(r.status, "FAIL");
      assert.match(r.detail, /session\.created first, got response\.done/);
    } finally {
      await s.close();
    }
  });

  test("an upgrade the server never answers: FAIL at the deadline, saying the upgrade got no answer", async () => {
    const s = await fake({ silent: true });
    try {
      const r = row(await runProbe({ baseUrl: s.url, ...only }), "/v1/realtime");
      assert.equal(r.status, "FAIL");
      assert.match(r.detail, /no answer to the WebSocket upgrade within 3 s \(--timeout\)/);
    } finally {
      await s.close();
    }
  });

  test("wrong order (response.done before session.updated, then nothing): FAIL waiting for session.updated", async () => {
    const s = await fake((ws) => {
      ws.send(ev("session.created", { session }));
      ws.on("message", () =>
        ws.send(
          ev("response.done", { response: { id: "r", object: "realtime.response", status: "completed" } }),
        ),
      );
    });
    try {
      const r = row(await runProbe({ baseUrl: s.url, ...only }), "/v1/realtime");
      assert.equal(r.status, "FAIL");
      assert.match(r.detail, /no session\.updated: session did not finish within/);
    } finally {
      await s.close();
    }
  });

  test("response.done with status failed: FAIL quoting its error, not PASS (extra events between are fine)", async () => {
    const s = await fake((ws) => {
      ws.send(ev("session.created", { session }));
      ws.on("message", (m) => {
        const e = JSON.parse(String(m)) as { type: string };
        if (e.type === "session.update") {
          ws.send(ev("rate_limits.updated", { rate_limits: [] }));
          ws.send(ev("session.updated", { session }));
        }
        if (e.type !== "response.create") return;
        ws.send(
          ev("response.created", {
            response: { id: "r", object: "realtime.response", status: "in_progress" },
          }),
        );
        ws.send(
          ev("response.done", {
            response: {
              id: "r",
              object: "realtime.response",
              status: "failed",
              status_details: {
                type: "failed",
                error: { type: "server_error", code: "engine_error", message: "model crashed" },
              },
            },
          }),
        );
      });
    });
    try {
      const r = row(await runProbe({ baseUrl: s.url, ...only }), "/v1/realtime");
      assert.equal(r.status, "FAIL");
      assert.match(
        r.detail,
        /^101 · a completed response, got response\.done with status "failed" \(engine_error: model crashed\)/,
      );
    } finally {
      await s.close();
    }
  });

  test("an oversize frame: FAIL, the frame cap holds", async () => {
    const s = await fake((ws) => ws.send(ev("session.created", { session, pad: "x".repeat(2 << 20) })));
    try {
      const r = row(await runProbe({ baseUrl: s.url, ...only }), "/v1/realtime");
      assert.equal(r.status, "FAIL");
      assert.match(r.detail, /Max payload size exceeded|1009/i);
    } finally {
      await s.close();
    }
  });

  test("never answers after the upgrade: FAIL within the deadline", async () => {
    const s = await fake(() => {});
    try {
      const started = Date.now();
      const r = row(await runProbe({ baseUrl: s.url, ...only }), "/v1/realtime");
      assert.equal(r.status, "FAIL");
      assert.match(r.detail, /no session\.created/);
      assert.ok(Date.now() - started < 10_000);
    } finally {
      await s.close();
    }
  });

  test("refuses the upgrade with 404: WARN absent; a redirect elsewhere is not followed", async () => {
    const s = await fake({ refuse: 404 });
    const r = await fake({ refuse: 302, location: "http://127.0.0.2:1/v1/realtime" });
    try {
      assert.equal(row(await runProbe({ baseUrl: s.url, ...only }), "/v1/realtime").status, "WARN");
      const redirected = row(await runProbe({ baseUrl: r.url, ...only }), "/v1/realtime");
      assert.equal(redirected.status, "FAIL");
      assert.match(redirected.detail, /redirect, not followed/);
    } finally {
      await s.close();
      await r.close();
    }
  });

  test("an error event instead of session.updated: FAIL quoting it; the key is sent as Bearer and redacted", async () => {
    const seen: { headers?: Record<string, unknown>; url?: string } = {};
    const s = await fake((ws) => {
      ws.send(ev("session.created", { session }));
      ws.on("message", () => ws.send(ev("error", { error: { message: `bad key ${KEY}` } })));
    }, seen);
    try {
      const report = await runProbe({ baseUrl: s.url, apiKey: KEY, ...only });
      const r = row(report, "/v1/realtime");
      assert.equal(r.status, "FAIL");
      assert.match(r.detail, /error event: bad key \[REDACTED\]/);
      assert.equal(seen.headers?.authorization, `Bearer ${KEY}`);
      assert.match(seen.url ?? "", /[?&]model=rt-model/);
      assert.ok(!JSON.stringify(report).includes(KEY));
    } finally {
      await s.close();
    }
  });
});

test("ws is bundled but loaded lazily: nothing `aioc spec` loads statically contains it", async () => {
  const { readFileSync, existsSync } = await import("node:fs");
  const dist = new URL("../dist/", import.meta.url);
  if (!existsSync(new URL("cli.js", dist))) return;
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(new URL(file, dist), "utf8");
    // Static imports only: `import … from "./x.js"` and `import "./x.js"`, not `import("./x.js")`.
    for (const m of text.matchAll(/(?:^|[;\n])\s*import\s*(?:[^"'();]*?from\s*)?["'](\.\/[^"']+)["']/g))
      walk(m[1]!.slice(2));
  };
  walk("cli.js");
  const all = [...seen].map((f) => readFileSync(new URL(f, dist), "utf8")).join("\n");
  assert.ok(all.length > 0);
  assert.ok(
    !all.includes("Max payload size exceeded"),
    `ws is in the static graph of dist/cli.js (${[...seen].join(", ")})`,
  );
});
