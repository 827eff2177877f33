/**
 * A deliberately hostile "OpenAI-compatible" server on a raw socket (node:net), for test/hostile*.test.ts.
 * It speaks just enough HTTP/1.1 (keep-alive, Content-Length and chunked request bodies) to be a correct
 * chat server on every route, except the one `target` route, where it misbehaves as `mode` says.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, createBrotliCompress, gzipSync } from "node:zlib";

export const MODEL = "tiny-chat";
const CREATED = 1_700_000_000;

export type Mode =
  /** No misbehaviour: every route answers correctly. */
  | "none"
  /** Accepts TCP connections and never reads or writes anything (the whole server). */
  | "hang-accept"
  /** Reads the request, never answers. */
  | "silent"
  /** Status line and headers (Content-Length: 1000), then nothing. */
  | "headers-hang"
  /** Headers, then the body one byte per second. */
  | "slowloris"
  /** A valid SSE chunk every 20 ms, forever, never `[DONE]`. */
  | "endless-sse"
  /** Tiny SSE frames as fast as the client reads, forever. */
  | "sse-flood"
  /** One `data:` line that never ends (1 GiB, no newline). */
  | "sse-long-line"
  /** A correct stream written one byte per TCP write, with multi-line `data:` fields and CRLF line ends. */
  | "sse-split"
  /** 1 GiB of JSON-ish bytes, chunked (no length up front), streamed with backpressure until the client hangs up. */
  | "big-body"
  /** The same with `Content-Length: 1073741824` declared up front. */
  | "big-body-declared"
  /** `Content-Encoding: gzip` that inflates to 1 GiB. */
  | "gzip-bomb"
  /** `Content-Encoding: br` that inflates to 1 GiB. */
  | "br-bomb"
  | "invalid-json"
  | "invalid-utf8"
  /** An HTML error page with status 200. */
  | "html-200"
  /** A valid JSON body labelled text/plain. */
  | "wrong-content-type"
  /** 302 to `redirectTo` (another origin). */
  | "redirect-cross-origin"
  /** 302 to itself, forever. */
  | "redirect-loop"
  /** Headers with Content-Length: 10000, 500 bytes, then a TCP RST. */
  | "reset-mid-body"
  /** Not HTTP at all: an SSH banner, then close (someone pointed aioc at the wrong port). */
  | "not-http"
  /** A redirect whose Location is not a URL. */
  | "bad-location"
  /** An HTTP/1.0 response with no Content-Length: the body ends when the connection closes (valid). */
  | "http10-close"
  /** A single 100 KB response header line. */
  | "huge-header"
  /** 204 No Content followed by body bytes, on a kept-alive connection. */
  | "204-body"
  /**
   * Keep-alive with a server that closes idle connections: the second request on any connection is met with
   * a closed socket (as when a keep-alive timeout fires just as the client reuses the connection). Applies to
   * every route; only the first request of each connection is answered.
   */
  | "drop-reused"
  /** Echoes the Authorization header and request body back (raw, base64, URL-encoded; body and headers). */
  | "echo"
  /** `101 Switching Protocols` (upgrade: websocket) to a plain request, then holds the socket open. */
  | "upgrade-101"
  /** TLS bytes (a TLS alert record) in answer to a plain HTTP request: an https server on an http:// URL. */
  | "tls-bytes"
  /** A correct stream whose lines end in a bare CR (allowed by the SSE spec). */
  | "sse-bare-cr"
  /** An 11 MB JSON body: a completion carrying an object with 1,000,000 keys. */
  | "million-keys"
  /** A 15 MB valid completion (one long content string), below the default 16 MB cap. */
  | "body-15mb";

/** Which request the mode applies to. */
export type Target = "models" | "retrieve" | "chat" | "stream" | "all";

export interface HostileOptions {
  mode: Mode;
  target?: Target;
  /** For `redirect-cross-origin`: the other origin, e.g. `http://127.0.0.1:1234`. */
  redirectTo?: string;
  /** Model ids `/v1/models` lists (default `[MODEL]`). */
  models?: () => string[];
  /** Port to listen on (default: any free one). */
  port?: number;
}

export interface RecordedRequest {
  /** Which TCP connection (1, 2, …) carried the request. */
  conn: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface HostileServer {
  url: string;
  origin: string;
  requests: RecordedRequest[];
  /** Bytes of response body the server managed to write, by target requests. */
  bytesSent: number;
  close(): Promise<void>;
}

interface Req extends RecordedRequest {
  json: Record<string, unknown>;
}

const GiB = 1024 ** 3;

export async function startHostile(options: HostileOptions): Promise<HostileServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { bytesSent: 0, closed: false, connections: 0 };
  const target = options.target ?? "chat";

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.setNoDelay(true);
    if (options.mode === "hang-accept") return;
    serveConnection(socket).catch(() => socket.destroy());
  });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  /** Writes with backpressure; false once the peer is gone. */
  async function write(socket: Socket, data: string | Uint8Array): Promise<boolean> {
    if (socket.destroyed || state.closed) return false;
    if (!socket.write(data)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off("drain", done);
          socket.off("close", done);
          resolve();
        };
        socket.on("drain", done);
        socket.on("close", done);
      });
    }
    return !socket.destroyed && !state.closed;
  }

  async function serveConnection(socket: Socket): Promise<void> {
    const conn = ++state.connections;
    let buffer = Buffer.alloc(0);
    let wake: (() => void) | undefined;
    let ended = false;
    socket.on("data", (d: Buffer) => {
      buffer = Buffer.concat([buffer, d]);
      wake?.();
    });
    socket.on("close", () => {
      ended = true;
      wake?.();
    });
    const more = () =>
      new Promise<void>((r) => {
        wake = r;
      });
    for (;;) {
      let head = buffer.indexOf("\r\n\r\n");
      while (head < 0) {
        if (ended) return;
        await more();
        head = buffer.indexOf("\r\n\r\n");
      }
      const lines = buffer.subarray(0, head).toString("latin1").split("\r\n");
      buffer = buffer.subarray(head + 4);
      const [method = "", rawPath = "/"] = lines[0]!.split(" ");
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(":");
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body: Buffer;
      if (headers["transfer-encoding"]?.includes("chunked")) {
        const parts: Buffer[] = [];
        for (;;) {
          let eol = buffer.indexOf("\r\n");
          while (eol < 0) {
            if (ended) return;
            await more();
            eol = buffer.indexOf("\r\n");
          }
          const size = Number.parseInt(buffer.subarray(0, eol).toString("latin1"), 16);
          while (buffer.length < eol + 2 + size + 2) {
            if (ended) return;
            await more();
          }
          parts.push(buffer.subarray(eol + 2, eol + 2 + size));
          buffer = buffer.subarray(eol + 2 + size + 2);
          if (size === 0) break;
        }
        body = Buffer.concat(parts);
      } else {
        const length = Number(headers["content-length"] ?? 0);
        while (buffer.length < length) {
          if (ended) return;
          await more();
        }
        body = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
      }
      const text = body.toString("utf8");
      let json: Record<string, unknown> = {};
      try {
        json = text ? JSON.parse(text) : {};
      } catch {}
      const req: Req = { conn, method, path: rawPath.split("?")[0]!, headers, body: text, json };
      requests.push({ conn, method, path: req.path, headers, body: text });
      if (options.mode === "drop-reused" && requests.filter((r) => r.conn === conn).length > 1) {
        socket.destroy();
        return;
      }
      const keepAlive = await answer(socket, req);
      if (!keepAlive || socket.destroyed) {
        if (!socket.destroyed) socket.end();
        return;
      }
    }
  }

  function targetOf(req: Req): Target | undefined {
    if (req.method === "GET" && req.path === "/v1/models") return "models";
    if (req.method === "GET" && req.path.startsWith("/v1/models/")) return "retrieve";
    if (req.method === "POST" && req.path === "/v1/chat/completions" && req.json.messages) {
      return req.json.stream ? "stream" : "chat";
    }
    return undefined;
  }

  /** Answers one request; resolves true when the connection may serve another. */
  async function answer(socket: Socket, req: Req): Promise<boolean> {
    const which = targetOf(req);
    if (options.mode !== "none" && (target === "all" || which === target)) {
      return misbehave(socket, req, which);
    }
    return normal(socket, req, which);
  }

  async function normal(socket: Socket, req: Req, which: Target | undefined): Promise<boolean> {
    const models = options.models?.() ?? [MODEL];
    switch (which) {
      case "models": {
        // The echo server also advertises the caller's credentials as model ids, so they reach report.models.
        const auth = req.headers.authorization;
        const echoed = options.mode === "echo" && auth ? [auth, Buffer.from(auth).toString("base64")] : [];
        return send(socket, 200, listBody([...echoed, ...models]));
      }
      case "retrieve": {
        const id = decodeURIComponent(req.path.slice("/v1/models/".length));
        return send(socket, 200, { id, object: "model", created: CREATED, owned_by: "hostile" });
      }
      case "chat":
        return send(socket, 200, completion());
      case "stream": {
        await write(socket, sseHead());
        for (const frame of streamFrames()) await write(socket, chunk(`data: ${JSON.stringify(frame)}\n\n`));
        await write(socket, chunk("data: [DONE]\n\n"));
        await write(socket, "0\r\n\r\n");
        return true;
      }
      default:
        if (req.method === "POST" && req.path === "/v1/chat/completions") {
          return send(socket, 400, errorEnvelope("messages is required"));
        }
        return send(socket, 404, errorEnvelope(`no route ${req.method} ${req.path}`));
    }
  }

  async function misbehave(socket: Socket, req: Req, which: Target | undefined): Promise<boolean> {
    const json = (status: string, headers: string[], body: string | Uint8Array) =>
      rawResponse(status, ["content-type: application/json", ...headers], body);
    switch (options.mode) {
      case "silent":
        await sleep(60_000);
        return false;
      case "headers-hang":
        await write(socket, head("200 OK", ["content-type: application/json", "content-length: 1000"]));
        await sleep(60_000);
        return false;
      case "slowloris": {
        const body = JSON.stringify(completion());
        await write(
          socket,
          head("200 OK", ["content-type: application/json", `content-length: ${body.length}`]),
        );
        for (const ch of body) {
          if (!(await write(socket, ch))) return false;
          state.bytesSent++;
          await sleep(1000);
        }
        return true;
      }
      case "endless-sse":
        await write(socket, sseHead());
        for (;;) {
          const frame = streamFrames()[0]!;
          if (!(await write(socket, chunk(`data: ${JSON.stringify(frame)}\n\n`)))) return false;
          await sleep(20);
        }
      case "sse-flood": {
        await write(socket, sseHead());
        const block = chunk("data: {}\n\n".repeat(6500));
        for (;;) {
          if (!(await write(socket, block))) return false;
          state.bytesSent += block.length;
        }
      }
      case "sse-long-line": {
        await write(socket, sseHead());
        await write(socket, chunk("data: "));
        const block = chunk("x".repeat(1 << 20));
        for (let sent = 0; sent < GiB; sent += 1 << 20) {
          if (!(await write(socket, block))) return false;
          state.bytesSent += 1 << 20;
        }
        return false;
      }
      case "sse-split": {
        await write(socket, head("200 OK", ["content-type: text/event-stream", "cache-control: no-cache"]));
        let text = ": a comment line\r\n\r\n";
        for (const frame of streamFrames()) {
          // Multi-line data: the JSON pretty-printed, one `data:` line per line (joined with \n it is the same JSON).
          text += `event: message\r\n${JSON.stringify(frame, null, 1)
            .split("\n")
            .map((l) => `data: ${l}`)
            .join("\r\n")}\r\n\r\n`;
        }
        text += "data: [DONE]\r\n\r\n";
        for (const byte of Buffer.from(text, "utf8")) {
          if (!(await write(socket, Uint8Array.of(byte)))) return false;
          await new Promise((r) => setImmediate(r));
        }
        socket.end();
        return false;
      }
      case "big-body":
      case "big-body-declared": {
        // Chunked (no length known in advance) or with Content-Length: 1 GiB up front.
        const chunked = options.mode === "big-body";
        const framing = chunked ? "transfer-encoding: chunked" : `content-length: ${GiB}`;
        await write(socket, head("200 OK", ["content-type: application/json", framing]));
        const block = Buffer.alloc(1 << 20, " ");
        block[0] = "[".charCodeAt(0);
        const first = chunked ? Buffer.from(chunk(block.toString("latin1")), "latin1") : Buffer.from(block);
        block[0] = " ".charCodeAt(0);
        const rest = chunked ? Buffer.from(chunk(block.toString("latin1")), "latin1") : block;
        for (let sent = 0; sent < GiB; sent += block.length) {
          if (!(await write(socket, sent === 0 ? first : rest))) return false;
          state.bytesSent += block.length;
        }
        if (chunked) await write(socket, "0\r\n\r\n");
        return true;
      }
      case "gzip-bomb": {
        const bomb = gzipBomb();
        await write(
          socket,
          head("200 OK", [
            "content-type: application/json",
            "content-encoding: gzip",
            `content-length: ${bomb.length}`,
          ]),
        );
        for (let i = 0; i < bomb.length; i += 64 * 1024) {
          if (!(await write(socket, bomb.subarray(i, i + 64 * 1024)))) return false;
          state.bytesSent += Math.min(64 * 1024, bomb.length - i);
        }
        return true;
      }
      case "br-bomb": {
        const bomb = await brBomb();
        await write(
          socket,
          head("200 OK", [
            "content-type: application/json",
            "content-encoding: br",
            `content-length: ${bomb.length}`,
          ]),
        );
        await write(socket, bomb);
        state.bytesSent += bomb.length;
        return true;
      }
      case "invalid-json":
        return write(
          socket,
          json("200 OK", [], '{"id": "chatcmpl-1", "object": "chat.completion", "choices": ['),
        ).then(() => true);
      case "invalid-utf8": {
        const body = Buffer.concat([
          Buffer.from('{"id": "chatcmpl-1", "object": "chat.completion", "note": "'),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
          Buffer.from('"}'),
        ]);
        return write(socket, json("200 OK", [], body)).then(() => true);
      }
      case "html-200":
        return write(
          socket,
          rawResponse(
            "200 OK",
            ["content-type: text/html; charset=utf-8"],
            "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
          ),
        ).then(() => true);
      case "wrong-content-type":
        return write(
          socket,
          rawResponse("200 OK", ["content-type: text/plain; charset=utf-8"], JSON.stringify(completion())),
        ).then(() => true);
      case "redirect-cross-origin":
        return write(
          socket,
          rawResponse(
            "302 Found",
            [`location: ${options.redirectTo}${req.path}`, "content-type: text/plain"],
            "moved",
          ),
        ).then(() => true);
      case "redirect-loop":
        return write(
          socket,
          rawResponse(
            "302 Found",
            [`location: ${req.path}?again=${requests.length}`, "content-type: text/plain"],
            "",
          ),
        ).then(() => true);
      case "not-http":
        await write(socket, "SSH-2.0-OpenSSH_9.6\r\n");
        socket.end();
        return false;
      case "bad-location":
        return write(
          socket,
          rawResponse("302 Found", ["location: http://[::1", "content-type: text/plain"], ""),
        ).then(() => true);
      case "reset-mid-body":
        await write(socket, head("200 OK", ["content-type: application/json", "content-length: 10000"]));
        await write(socket, `{"id": "chatcmpl-1", "padding": "${"x".repeat(480)}`);
        await sleep(50);
        socket.resetAndDestroy();
        return false;
      case "http10-close":
        await write(socket, `HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n`);
        await sleep(20);
        await write(socket, bodyFor(which));
        socket.end();
        return false;
      case "huge-header":
        return write(socket, json("200 OK", [`x-padding: ${"a".repeat(100 * 1024)}`], bodyFor(which))).then(
          () => true,
        );
      case "204-body":
        // The body bytes arrive late, when the client may already have sent its next request on this connection.
        await write(
          socket,
          "HTTP/1.1 204 No Content\r\ncontent-type: application/json\r\ncontent-length: 30\r\n\r\n",
        );
        await sleep(30);
        await write(socket, JSON.stringify({ smuggled: "yes, 30 bytes!" }));
        return true;
      case "echo": {
        const auth = req.headers.authorization ?? "";
        const forms = {
          raw: auth,
          base64: Buffer.from(auth).toString("base64"),
          base64key: Buffer.from(auth.replace(/^Bearer /, "")).toString("base64"),
          url: encodeURIComponent(auth),
          hex: Buffer.from(auth).toString("hex"),
          body: req.body,
        };
        const message = `echo: ${forms.raw} | ${forms.base64} | ${forms.base64key} | ${forms.url} | body ${req.body}`;
        return write(
          socket,
          json(
            "400 Bad Request",
            [
              `x-echo-authorization: ${forms.raw}`,
              `x-echo-base64: ${forms.base64key}`,
              `www-authenticate: Basic realm="${forms.url}"`,
            ],
            JSON.stringify({
              error: { message, type: "invalid_request_error", param: null, code: null },
              forms,
            }),
          ),
        ).then(() => true);
      }
      case "upgrade-101":
        await write(
          socket,
          head("101 Switching Protocols", [
            "upgrade: websocket",
            "connection: Upgrade",
            "sec-websocket-accept: x",
          ]),
        );
        await sleep(60_000);
        return false;
      case "tls-bytes":
        // An alert record (level fatal, protocol_version), as an OpenSSL-based server sends to plaintext.
        await write(socket, Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46));
        socket.end();
        return false;
      case "sse-bare-cr": {
        await write(socket, sseHead());
        for (const frame of streamFrames()) await write(socket, chunk(`data: ${JSON.stringify(frame)}\r\r`));
        await write(socket, chunk("data: [DONE]\r\r"));
        await write(socket, "0\r\n\r\n");
        return true;
      }
      case "million-keys":
        return write(socket, json("200 OK", [], millionKeysBody())).then(() => true);
      case "body-15mb":
        return write(socket, json("200 OK", [], body15mb())).then(() => true);
      default:
        return normal(socket, req, which);
    }
  }

  function bodyFor(which: Target | undefined): string {
    const models = options.models?.() ?? [MODEL];
    if (which === "models") return JSON.stringify(listBody(models));
    if (which === "retrieve")
      return JSON.stringify({ id: MODEL, object: "model", created: CREATED, owned_by: "x" });
    return JSON.stringify(completion());
  }

  async function send(socket: Socket, status: number, value: unknown): Promise<boolean> {
    const reason = status === 200 ? "OK" : status === 400 ? "Bad Request" : "Not Found";
    return write(
      socket,
      rawResponse(`${status} ${reason}`, ["content-type: application/json"], JSON.stringify(value)),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    get bytesSent() {
      return state.bytesSent;
    },
    close: async () => {
      state.closed = true;
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Right-to-left override, isolates, and the implicit marks: text that displays as something it is not. */
export const BIDI_SAMPLE =
  "evil\u202etxt.exe\u2066iso\u2069 \u200e\u200f\u061c \u202a\u202b\u202c\u202d\u2067\u2068";

function head(status: string, headers: string[]): string {
  return `HTTP/1.1 ${status}\r\n${headers.map((h) => `${h}\r\n`).join("")}\r\n`;
}

function rawResponse(status: string, headers: string[], body: string | Uint8Array): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  return Buffer.concat([
    Buffer.from(head(status, [...headers, `content-length: ${bytes.length}`]), "latin1"),
    bytes,
  ]);
}

function sseHead(): string {
  return head("200 OK", [
    "content-type: text/event-stream",
    "cache-control: no-cache",
    "transfer-encoding: chunked",
  ]);
}

function chunk(text: string): string {
  return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
}

function listBody(ids: string[]) {
  return {
    object: "list",
    data: ids.map((id) => ({ id, object: "model", created: CREATED, owned_by: "hostile" })),
  };
}

function errorEnvelope(message: string) {
  return { error: { message, type: "invalid_request_error", param: null, code: null } };
}

export function completion() {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: CREATED,
    model: MODEL,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "héllo 👋", refusal: null },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  };
}

function streamFrames(): object[] {
  const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: CREATED, model: MODEL };
  const choice = (delta: object, finish: string | null) => ({
    index: 0,
    delta,
    finish_reason: finish,
    logprobs: null,
  });
  return [
    { ...base, choices: [choice({ role: "assistant", content: "" }, null)] },
    { ...base, choices: [choice({ content: "héllo 👋 — ünïcödé" }, null)] },
    { ...base, choices: [choice({}, "stop")] },
    { ...base, choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
  ];
}

/** Builds the bombs and big bodies ahead of time (a second or two), so no test waits for them mid-request. */
export async function prepareBombs(): Promise<void> {
  gzipBomb();
  millionKeysBody();
  body15mb();
  await brBomb();
}

let millionKeys: Buffer | undefined;

/** A completion with an `extra` object of 1,000,000 keys: 11 MB. */
export function millionKeysBody(): Buffer {
  if (!millionKeys) {
    const keys: string[] = [];
    for (let i = 0; i < 1_000_000; i++) keys.push(`"k${i}":${i % 10}`);
    millionKeys = Buffer.from(JSON.stringify(completion()).replace(/\}$/, `,"extra":{${keys.join(",")}}}`));
  }
  return millionKeys;
}

let big15: Buffer | undefined;

/** A valid completion of 15.6 MB (one long content string): just under the default 16 MB cap. */
export function body15mb(): Buffer {
  if (!big15) {
    const body = completion();
    body.choices[0]!.message.content = "lorem ipsum ".repeat(1_300_000);
    big15 = Buffer.from(JSON.stringify(body));
  }
  return big15;
}

let gzipCache: Buffer | undefined;

/** 1 GiB of spaces as 64 concatenated gzip members of 16 MiB each (about 1 MB on the wire). */
function gzipBomb(): Buffer {
  if (!gzipCache) {
    const member = gzipSync(Buffer.alloc(16 << 20, " "), { level: 9 });
    gzipCache = Buffer.concat(Array.from({ length: 64 }, () => member));
  }
  return gzipCache;
}

let brCache: Promise<Buffer> | undefined;

/** 1 GiB of spaces as one brotli stream (a few KB on the wire), compressed once, streaming. */
function brBomb(): Promise<Buffer> {
  brCache ??= (async () => {
    const compressor = createBrotliCompress({
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_SIZE_HINT]: GiB,
      },
    });
    const out: Buffer[] = [];
    compressor.on("data", (d: Buffer) => out.push(d));
    const done = once(compressor, "end");
    const block = Buffer.alloc(16 << 20, " ");
    for (let i = 0; i < 64; i++) {
      if (!compressor.write(block)) await once(compressor, "drain");
    }
    compressor.end();
    await done;
    return Buffer.concat(out);
  })();
  return brCache;
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Peak resident set size in MB (from `/usr/bin/time -v`, else the highest VmHWM polled from /proc). */
  peakRssMb: number | null;
  /** User + system CPU time in ms (from `/usr/bin/time -v`; null without it). */
  cpuMs: number | null;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const AIOC_BIN = join(ROOT, "bin", "aioc.js");
const TIME = "/usr/bin/time";

/**
 * Runs the built CLI as a child process without blocking this process's event loop (the servers it talks to
 * live here), measuring its peak RSS. Kills it after `killAfterMs`.
 */
export async function runAiocChild(
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; killAfterMs?: number; cwd?: string } = {},
): Promise<ChildRun> {
  if (!existsSync(join(ROOT, "dist", "cli.js")))
    throw new Error("dist/cli.js is missing: run `npm run build` first");
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...opts.env };
  delete env.FORCE_COLOR;
  delete env.GITHUB_STEP_SUMMARY;
  const useTime = existsSync(TIME);
  const command = useTime ? TIME : process.execPath;
  const argv = useTime ? ["-v", process.execPath, AIOC_BIN, ...args] : [AIOC_BIN, ...args];
  const started = performance.now();
  const child = spawn(command, argv, { env, cwd: opts.cwd ?? ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  let hwmKb = 0;
  const poll = useTime
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
          if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
        } catch {}
      }, 10);
  const killer = setTimeout(() => child.kill("SIGKILL"), opts.killAfterMs ?? 60_000);
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  const wallMs = performance.now() - started;
  clearTimeout(killer);
  if (poll) clearInterval(poll);
  let peakRssMb: number | null = hwmKb ? hwmKb / 1024 : null;
  let cpuMs: number | null = null;
  if (useTime) {
    // GNU time appends its report to stderr; take it off so callers see only aioc's own output.
    const at = stderr.search(/(Command exited with non-zero status \d+\n)?\tCommand being timed:/);
    const report = at >= 0 ? stderr.slice(at) : "";
    if (at >= 0) stderr = stderr.slice(0, at);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
    peakRssMb = m ? Number(m[1]) / 1024 : null;
    const user = /User time \(seconds\): ([\d.]+)/.exec(report);
    const system = /System time \(seconds\): ([\d.]+)/.exec(report);
    cpuMs = user && system ? (Number(user[1]) + Number(system[1])) * 1000 : null;
  }
  return { code, signal, stdout, stderr, wallMs, peakRssMb, cpuMs };
}
