/**
 * One scripted Realtime session over WebSocket (the `ws` package, loaded only when the row runs): connect, then
 * read server events and send client events as the script says. Hostile-safe: one deadline for the whole session,
 * a frame-size cap (maxPayload), no redirects at all (ws follows none unless told), at most MAX_EVENTS events kept,
 * and everything the server says passes the scrubber before anyone reads it.
 */
import type { UpgradeTarget } from "../http/transport.js";
import type { Exchange } from "../report/types.js";

export const MAX_FRAME_BYTES = 1 << 20;
export const MAX_EVENTS = 500;

export type SessionEnd =
  /** The upgrade was refused with an HTTP answer (404, 401, a redirect …). */
  | { kind: "refused"; status: number; body: string }
  /** No connection, a broken frame, an oversize frame, the deadline. */
  | { kind: "error"; message: string }
  | { kind: "done" };

export interface SessionResult {
  end: SessionEnd;
  /** Server events in arrival order (parsed JSON, or undefined where a frame was not JSON). */
  events: unknown[];
  latencyMs: number;
  exchange: Exchange;
}

/** What the script sees: the next event (within the session's deadline), and a way to send. */
export interface Conversation {
  next(): Promise<unknown>;
  send(event: unknown): void;
}

class Ended extends Error {}

export async function runSession(
  target: UpgradeTarget,
  query: string,
  script: (c: Conversation) => Promise<void>,
): Promise<SessionResult> {
  const { WebSocket } = await import("ws");
  const url = `${target.url}${target.url.includes("?") ? "&" : "?"}${query}`;
  const started = performance.now();
  const events: unknown[] = [];
  const sent: unknown[] = [];
  const queue: unknown[] = [];
  let waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void } | undefined;
  let end: SessionEnd | undefined;
  const finish = (e: SessionEnd) => {
    end ??= e;
    const w = waiting;
    waiting = undefined;
    w?.reject(new Ended());
  };
  const ws = new WebSocket(url, {
    headers: target.headers,
    agent: target.agent,
    maxPayload: MAX_FRAME_BYTES,
    // Our deadline (below) decides first and names what was missing; this only frees the socket after it.
    handshakeTimeout: target.timeoutMs + 1_000,
    followRedirects: false,
    perMessageDeflate: false,
  });
  const deadline = setTimeout(() => {
    const s = `${target.timeoutMs / 1000} s (--timeout)`;
    // Still connecting: the server never answered the upgrade (a gateway that dials elsewhere, a stuck proxy).
    const message =
      ws.readyState === ws.CONNECTING
        ? `no answer to the WebSocket upgrade within ${s}`
        : `session did not finish within ${s}`;
    finish({ kind: "error", message });
  }, target.timeoutMs);
  ws.on("unexpected-response", (_req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (c: Buffer) => {
      if (size < 4096) chunks.push(c);
      size += c.length;
    });
    res.on("end", () =>
      finish({
        kind: "refused",
        status: res.statusCode ?? 0,
        body: target.scrub(Buffer.concat(chunks).toString("utf8").slice(0, 400)),
      }),
    );
    res.on("error", () => finish({ kind: "refused", status: res.statusCode ?? 0, body: "" }));
    setTimeout(() => finish({ kind: "refused", status: res.statusCode ?? 0, body: "" }), 1000).unref();
  });
  ws.on("error", (err) => finish({ kind: "error", message: target.scrub(err.message) }));
  ws.on("close", (code, reason) =>
    finish({
      kind: "error",
      message: `the server closed the session (${code}${reason.length ? ` ${target.scrub(reason.toString("utf8").slice(0, 120))}` : ""})`,
    }),
  );
  ws.on("message", (data, isBinary) => {
    if (events.length >= MAX_EVENTS)
      return finish({ kind: "error", message: `more than ${MAX_EVENTS} events` });
    let value: unknown;
    if (!isBinary) {
      try {
        value = JSON.parse(target.scrub(data.toString()));
      } catch {
        value = undefined;
      }
    }
    events.push(value);
    const w = waiting;
    waiting = undefined;
    if (w) w.resolve(value);
    else queue.push(value);
  });
  const conversation: Conversation = {
    next: () =>
      new Promise((resolve, reject) => {
        if (queue.length > 0) return resolve(queue.shift());
        if (end) return reject(new Ended());
        waiting = { resolve, reject };
      }),
    send: (event) => {
      sent.push(event);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
    },
  };
  const opened = await new Promise<boolean>((resolve) => {
    ws.once("open", () => resolve(true));
    const poll = setInterval(() => {
      if (end) {
        clearInterval(poll);
        resolve(false);
      }
    }, 10);
    ws.once("open", () => clearInterval(poll));
  });
  if (opened) {
    try {
      await script(conversation);
      end ??= { kind: "done" };
    } catch (err) {
      if (!(err instanceof Ended))
        end ??= { kind: "error", message: err instanceof Error ? err.message : String(err) };
    }
  }
  clearTimeout(deadline);
  ws.removeAllListeners("close");
  ws.on("error", () => {});
  ws.terminate();
  const final = end ?? { kind: "done" as const };
  const status = final.kind === "refused" ? final.status : opened ? 101 : undefined;
  const exchange: Exchange = {
    request: {
      method: "GET",
      url: target.scrub(url),
      headers: { upgrade: "websocket" },
      body: target.scrub(sent.map((e) => JSON.stringify(e)).join("\n")),
    },
    ...(status === undefined
      ? {}
      : {
          response: {
            status,
            headers: {},
            body: target
              .scrub(
                final.kind === "refused"
                  ? final.body
                  : events.map((e) => JSON.stringify(e) ?? "(not JSON)").join("\n"),
              )
              .slice(0, 8192),
            truncated: false,
          },
        }),
  };
  return { end: final, events, latencyMs: performance.now() - started, exchange };
}
