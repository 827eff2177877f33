/**
 * The one HTTP client every check uses. It faces untrusted servers, so:
 * every request has a deadline, every body a byte cap (decompressed bytes, so gzip bombs stay bounded),
 * redirects are followed only within the target's origin (the key never leaves it), and failures come
 * back as values, never as exceptions.
 *
 * Built on node:http/https rather than fetch: a third of the CPU per request (it matters in a short-lived CLI
 * that sends ~70 of them), decompression under our own byte count, and no Fetch "bad port" list.
 */
import {
  type Agent,
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import type { Exchange } from "../report/types.js";
import { Scrubber } from "../secrets/scrubber.js";
import { scrubStream } from "../secrets/stream.js";
import { BodyBuffer } from "./body-buffer.js";
import { apiPath, applyAuth, withQuery } from "./connection.js";
import { decode, decodeError, isDecodeError } from "./decode.js";
import { classify, firstLine, type Progress, timeoutMessage } from "./errors.js";
import { describeRequestBody, preview, redactAuth } from "./exchange.js";
import { formatBytes } from "./json.js";
import { encodeMultipart } from "./multipart.js";
import { withRetries } from "./retry.js";
import type {
  HttpOutcome,
  HttpRequest,
  HttpResponse,
  SseEvent,
  SseOptions,
  TransportError,
  TransportOptions,
} from "./types.js";

const MAX_REDIRECTS = 5;
/**
 * SSE events kept per response. Each costs far more memory than its bytes on the wire (a 10-byte `data: {}`
 * frame becomes an object, a string and later a parsed frame), so the byte cap alone does not bound a flood of
 * tiny frames. Real streams for aioc's short prompts have tens of events.
 */
export const MAX_SSE_EVENTS = 50_000;
/** What a failed or over-long body keeps for the report: enough to show, not the whole cap. */
const KEEP_ON_FAILURE = 64 * 1024;
export const WRONG_KEY = "sk-aioc-deliberately-wrong-key";

interface BodyRead {
  body: Uint8Array;
  truncated: boolean;
  events?: SseEvent[];
  error?: TransportError;
}

export interface UpgradeTarget {
  url: string;
  headers: Record<string, string>;
  agent: Agent;
  timeoutMs: number;
  scrub(text: string): string;
}

export class Transport {
  readonly origin: string;
  requests = 0;
  /** Finds the key (and any other secret input) in whatever the server sends, before anything reads it. */
  readonly scrubber: Scrubber;
  /** One keep-alive pool per transport: only ever the target's origin. Idle sockets never hold the process. */
  private readonly agent: Agent;
  /** The base URL's path (`/v1`, `/api/v1`, `/v1beta/openai` …). */
  private readonly basePath: string;
  /** The base URL's query string (e.g. Azure's `?api-version=`), kept on every request. */
  private readonly query: string;

  /** The bytes each exchange sent, for `onRaw` (kept only as long as the exchange is). */
  private readonly sentBodies = new WeakMap<Exchange, Buffer>();

  constructor(readonly options: TransportOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.query = base.search;
    this.basePath = base.pathname;
    this.scrubber = new Scrubber([options.apiKey, ...(options.secrets ?? [])]);
    this.agent =
      options.agent ??
      (base.protocol === "https:" ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true }));
  }

  /** Resolves a catalog path (`/v1/...`) against the base URL (src/http/connection.ts apiPath). */
  url(path: string): string {
    const route = this.options.connection?.routePath;
    if (route) return withQuery(`${this.origin}${route(path)}`, this.query);
    return withQuery(`${this.origin}${apiPath(this.basePath, path)}`, this.query);
  }

  /**
   * What a WebSocket upgrade to `path` needs (realtime/session.ts): the ws(s) URL on the target's origin, the same
   * credential and extra headers as HTTP, the agent (proxy, TLS), the deadline and the scrubber for what comes back.
   */
  upgradeTarget(path: string): UpgradeTarget {
    const headers: Record<string, string> = {
      "user-agent": this.options.userAgent ?? "aioc",
      ...this.options.connection?.headers,
    };
    applyAuth(headers, "key", this.options.connection?.auth ?? "bearer", this.options.apiKey, WRONG_KEY);
    return {
      url: this.url(path).replace(/^http/, "ws"),
      headers,
      agent: this.agent,
      timeoutMs: this.options.timeoutMs,
      scrub: (text) => this.scrubber.text(text),
    };
  }

  /** Closes idle keep-alive connections (in-flight requests finish first). */
  close(): void {
    this.agent.destroy();
  }

  /** Never throws: every failure, expected or not, comes back as `{ ok: false }`. 429/503 are retried. */
  send(req: HttpRequest): Promise<HttpOutcome> {
    return withRetries(req, (r) => this.sendOnce(r), this.options.timeoutMs);
  }

  private async sendOnce(req: HttpRequest): Promise<HttpOutcome> {
    let outcome: HttpOutcome;
    try {
      outcome = await this.attempt(req);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      outcome = {
        ok: false,
        error: { kind: "protocol", message: `request failed: ${firstLine(message)}` },
        exchange: { request: { method: req.method, url: this.url(req.path), headers: {} } },
      };
    }
    const { request } = outcome.exchange;
    const body = this.sentBodies.get(outcome.exchange);
    this.options.onRaw?.({ req, url: request.url, headers: request.headers, body, outcome });
    return outcome;
  }

  private async attempt(req: HttpRequest): Promise<HttpOutcome> {
    const headers: Record<string, string> = {
      "user-agent": this.options.userAgent ?? "aioc",
      accept: req.sse ? "text/event-stream" : "application/json, */*",
      "accept-encoding": "gzip, deflate, br",
      ...this.options.connection?.headers,
      ...lowerCaseKeys(req.headers),
    };
    const scheme = this.options.connection?.auth ?? "bearer";
    applyAuth(headers, req.auth ?? "key", scheme, this.options.apiKey, WRONG_KEY);
    let body: Buffer | undefined;
    if (req.json !== undefined) {
      body = Buffer.from(JSON.stringify(req.json));
      headers["content-type"] = "application/json";
    } else if (req.raw !== undefined) {
      body = Buffer.from(req.raw);
      headers["content-type"] ??= "application/json";
    } else if (req.form) {
      const encoded = await encodeMultipart(req.form);
      body = encoded.body;
      headers["content-type"] = encoded.contentType;
    }
    if (body) headers["content-length"] = String(body.length);

    let url = this.url(req.path);
    const exchange: Exchange = {
      request: {
        method: req.method,
        url: scrubQuery(url, this.scrubber),
        headers: this.scrubHeaders(redactAuth(headers)),
        body: describeRequestBody(req),
      },
    };
    if (body && this.options.onRaw) this.sentBodies.set(exchange, body);
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      for (let hop = 0; ; hop++) {
        let sent: { request: ClientRequest; res: IncomingMessage } | undefined;
        for (let attempt = 0; !sent; attempt++) {
          this.requests++;
          try {
            sent = await this.open(new URL(url), req.method, headers, body, controller.signal);
          } catch (err) {
            // A kept-alive connection the server closed just as we reused it: the request never reached the
            // server, so it is sent once more on a fresh connection (Node's documented `reusedSocket` retry).
            if (
              attempt === 0 &&
              (err as OpenError).reusedSocket &&
              isStaleSocket(err) &&
              !controller.signal.aborted
            ) {
              continue;
            }
            return {
              ok: false,
              error: classify(err, controller.signal.aborted, this.options.timeoutMs),
              exchange,
            };
          }
        }
        const { request, res } = sent;
        const status = res.statusCode ?? 0;
        const location = res.headers.location && this.scrubber.text(res.headers.location);
        if (status >= 300 && status < 400 && location) {
          // Whatever the redirect's body is (it could be endless), it is not read.
          request.destroy();
          let next: URL;
          try {
            next = new URL(location, url);
          } catch {
            return {
              ok: false,
              error: {
                kind: "protocol",
                message: `${status} redirect to an invalid Location ${JSON.stringify(location.slice(0, 80))}`,
              },
              exchange,
            };
          }
          if (next.origin !== this.origin) {
            return {
              ok: false,
              error: {
                kind: "redirect-cross-origin",
                message: `${status} redirect to another origin (${next.origin}); not followed, key withheld`,
              },
              exchange,
            };
          }
          if (hop >= MAX_REDIRECTS) {
            return {
              ok: false,
              error: {
                kind: "redirect-loop",
                message: `more than ${MAX_REDIRECTS} redirects (redirect loop?); last to ${this.scrubber.text(next.pathname)}`,
              },
              exchange,
            };
          }
          url = next.href;
          continue;
        }
        const ttfbMs = performance.now() - started;
        const responseHeaders = this.scrubHeaders(flattenHeaders(res.headers));
        // Scrubbed whole, before any check reads, quotes or clips it.
        const read = await this.scrub(await this.readBody(request, res, req.sse, started, controller.signal));
        const response: HttpResponse = {
          status,
          headers: responseHeaders,
          contentType: responseHeaders["content-type"] ?? "",
          body: read.body,
          truncated: read.truncated,
          ttfbMs,
          latencyMs: performance.now() - started,
          events: read.events,
        };
        const keep = this.options.keepBytes ?? 4096;
        exchange.response = {
          status: response.status,
          headers: response.headers,
          body: preview(response.body, keep),
          truncated: response.truncated || response.body.length > keep,
        };
        if (read.error) return { ok: false, error: read.error, partial: response, exchange };
        return { ok: true, res: response, exchange };
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends one request; resolves at the response head, rejects if none comes. */
  private open(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    signal: AbortSignal,
  ): Promise<{ request: ClientRequest; res: IncomingMessage }> {
    return new Promise((resolve, reject) => {
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const request = send(url, { method, headers, agent: this.agent, signal, ...this.options.tls });
      const fail = (err: OpenError) => {
        err.reusedSocket = request.reusedSocket;
        reject(err);
      };
      request.on("error", fail);
      // A 101 to a plain request (a WebSocket server, say), or a socket closed with neither a response nor an
      // error: either would leave this promise pending forever and the process with nothing left to wait for.
      request.on("upgrade", (res, socket) => {
        socket.destroy();
        fail(upgradeError(res.statusCode, this.scrubber.text(String(res.headers.upgrade ?? ""))));
      });
      request.on("close", () => fail(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })));
      request.on("response", (res) => {
        request.off("error", fail);
        // A status that cannot have a body, sent with one: whatever follows on this connection is suspect
        // (the "body" would be read as the next response), so it is not reused.
        if (
          bodyless(res) &&
          (Number(res.headers["content-length"] ?? 0) > 0 || res.headers["transfer-encoding"])
        ) {
          request.shouldKeepAlive = false;
        }
        // Later request errors (a reset mid-body) surface on the response stream; none may go unhandled.
        request.on("error", () => {});
        resolve({ request, res });
      });
      request.end(body);
    });
  }

  private scrubHeaders(headers: Record<string, string>): Record<string, string> {
    if (!this.scrubber.active) return headers;
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, this.scrubber.text(value)]),
    );
  }

  private async scrub(read: BodyRead): Promise<BodyRead> {
    if (!this.scrubber.active) return read;
    if (read.events) return { ...read, ...scrubStream(this.scrubber, read.events, read.body) };
    return { ...read, body: await this.scrubber.bytesAsync(read.body) };
  }

  /**
   * Reads the (decoded) body under the byte cap, the SSE event cap and the deadline. Stops at the first of:
   * the end, the cap, the deadline, a broken connection, or `onEvent` returning false; then it closes the
   * connection rather than drain what is left.
   */
  private async readBody(
    request: ClientRequest,
    res: IncomingMessage,
    sse: SseOptions | undefined,
    started: number,
    signal: AbortSignal,
  ): Promise<BodyRead> {
    const cap = this.options.maxBodyBytes;
    const timeoutMs = this.options.timeoutMs;
    const events: SseEvent[] | undefined = sse ? [] : undefined;
    const parser = sse ? await sseParser(events!, started, sse) : undefined;
    const declared = Number(res.headers["content-length"]);
    const encoding = (res.headers["content-encoding"] ?? "").trim().toLowerCase();
    if (Number.isFinite(declared) && declared > cap && (encoding === "" || encoding === "identity")) {
      // Declared too large: nothing to learn by reading 16 MB of it first.
      request.destroy();
      return {
        body: new Uint8Array(),
        truncated: true,
        events,
        error: {
          kind: "too-large",
          message: `body exceeds ${formatBytes(cap)} (--max-body; Content-Length ${formatBytes(declared)}); not read`,
        },
      };
    }
    let stream: Readable;
    try {
      stream = decode(res, encoding);
    } catch (err) {
      request.destroy();
      return { body: new Uint8Array(), truncated: false, events, error: decodeError(encoding, err) };
    }
    const decoder = new TextDecoder();
    const identity = encoding === "" || encoding === "identity";
    const body = new BodyBuffer(cap, identity && Number.isFinite(declared) ? declared : undefined);
    return new Promise<BodyRead>((resolve) => {
      let truncated = false;
      let settled = false;
      const finish = (error?: TransportError, stopReading = false) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", onAbort);
        if (error || stopReading) {
          request.destroy();
          if (stream !== res) stream.destroy();
        }
        // A failed body is kept only as far as the report shows it; the rest is garbage at once.
        resolve({ body: error ? body.head(KEEP_ON_FAILURE) : body.bytes(), truncated, events, error });
      };
      const progress = (): Progress => ({ bytes: body.size, events: events?.length });
      const onAbort = () =>
        finish({ kind: "timeout", message: timeoutMessage(timeoutMs / 1000, progress()) });
      signal.addEventListener("abort", onAbort, { once: true });
      const onError = (err: unknown) =>
        finish(
          isDecodeError(err)
            ? decodeError(encoding, err)
            : classify(err, signal.aborted, timeoutMs, progress()),
        );
      stream.on("data", (value: Uint8Array) => {
        if (settled) return;
        const room = cap - body.size;
        const part = value.length > room ? value.subarray(0, room) : value;
        body.push(part);
        if (parser && !parser.feed(decoder.decode(part, { stream: true }))) return finish(undefined, true);
        if (events && events.length > MAX_SSE_EVENTS) {
          truncated = true;
          return finish({
            kind: "too-large",
            message: `stream sent more than ${MAX_SSE_EVENTS} events (${formatBytes(body.size)}); stopped reading`,
          });
        }
        if (value.length > room) {
          truncated = true;
          return finish({
            kind: "too-large",
            message: `body exceeds ${formatBytes(cap)} (--max-body); stopped reading`,
          });
        }
      });
      stream.on("end", () => {
        if (parser && !settled) {
          parser.feed(decoder.decode());
          parser.end();
        }
        finish();
      });
      stream.on("error", onError);
      if (stream !== res) res.on("error", onError);
      if (signal.aborted) onAbort();
    });
  }
}

type OpenError = Error & { code?: string; reusedSocket?: boolean };

function upgradeError(status: number | undefined, upgrade: string): OpenError {
  const to = upgrade.slice(0, 40) || "another protocol";
  return Object.assign(
    new Error(`answered ${status} Switching Protocols (upgrade: ${to}) to a plain HTTP request`),
    { code: "AIOC_UPGRADE" },
  );
}

/** The failure of a request on a kept-alive connection that the server had closed meanwhile. */
function isStaleSocket(err: unknown): boolean {
  return /ECONNRESET|EPIPE/.test((err as OpenError).code ?? "");
}

function bodyless(res: IncomingMessage): boolean {
  const status = res.statusCode ?? 0;
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

async function sseParser(events: SseEvent[], started: number, options: SseOptions) {
  const { createParser } = await import("eventsource-parser");
  let keepGoing = true;
  const parser = createParser({
    onEvent(e) {
      const event: SseEvent = { data: e.data, atMs: performance.now() - started };
      if (e.event) event.event = e.event;
      events.push(event);
      if (options.onEvent?.(event) === false) keepGoing = false;
    },
  });
  let endsInCr = false;
  return {
    feed(text: string): boolean {
      if (text === "") return keepGoing;
      parser.feed(text);
      endsInCr = text.endsWith("\r");
      return keepGoing;
    },
    /**
     * At the end of the body. A bare CR is a whole line ending (SSE allows CR, LF and CRLF), but the parser
     * waits for a possible LF after it; without this the last event of a CR-only stream is never dispatched.
     */
    end(): void {
      if (endsInCr) parser.feed("\n");
    },
  };
}

/** The path is aioc's own (catalog path under the user's base URL); only a query can carry a secret. */
function scrubQuery(url: string, scrubber: Scrubber): string {
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q + 1) + scrubber.text(url.slice(q + 1));
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** Node gives repeated headers as arrays (set-cookie); a report wants one string per name, as fetch gives. */
function flattenHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
