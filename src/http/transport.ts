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
  maxHeaderSize,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Duplex, PassThrough, type Readable, type Transform, Writable } from "node:stream";
import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  constants as z,
} from "node:zlib";
import type { Exchange } from "../report/types.js";
import { encodeMultipart } from "./multipart.js";
import { scrubSecrets, secretForms } from "./secret-forms.js";

export type Auth = "key" | "none" | "wrong";

export interface HttpRequest {
  method: "GET" | "POST" | "DELETE" | "PUT" | "PATCH";
  /** Absolute path on the target's origin, e.g. `/v1/models`. */
  path: string;
  json?: unknown;
  /** A body sent verbatim (for malformed-JSON checks). */
  raw?: string;
  form?: FormData;
  headers?: Record<string, string>;
  /** Which credentials to send; `key` sends the configured key when there is one. */
  auth?: Auth;
  /** Consume the body as an SSE stream. */
  sse?: SseOptions;
}

export interface SseOptions {
  /** Called for each event as it arrives; return `false` to stop reading. */
  onEvent?: (event: SseEvent) => boolean | undefined;
}

export interface SseEvent {
  event?: string;
  data: string;
  atMs: number;
}

export type TransportErrorKind =
  | "timeout"
  | "connect"
  | "reset"
  | "too-large"
  | "redirect-cross-origin"
  | "redirect-loop"
  | "protocol";

export interface TransportError {
  kind: TransportErrorKind;
  message: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  body: Uint8Array;
  /** The body was cut at the byte cap. */
  truncated: boolean;
  ttfbMs: number;
  latencyMs: number;
  /** Present when the body was read as SSE. */
  events?: SseEvent[];
}

export type HttpOutcome =
  | { ok: true; res: HttpResponse; exchange: Exchange }
  | { ok: false; error: TransportError; partial?: HttpResponse; exchange: Exchange };

export interface TransportOptions {
  /** Base URL including `/v1` (no trailing slash). */
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Bytes of each body kept for the report's request/response view. */
  keepBytes?: number;
  userAgent?: string;
}

const MAX_REDIRECTS = 5;
/**
 * SSE events kept per response. Each costs far more memory than its bytes on the wire (a 10-byte `data: {}`
 * frame becomes an object, a string and later a parsed frame), so the byte cap alone does not bound a flood of
 * tiny frames. Real streams for aioc's short prompts have tens of events.
 */
export const MAX_SSE_EVENTS = 50_000;
/** What a failed or over-long body keeps for the report: enough to show, not the whole cap. */
const KEEP_ON_FAILURE = 64 * 1024;
const WRONG_KEY = "sk-aioc-deliberately-wrong-key";

interface BodyRead {
  body: Uint8Array;
  truncated: boolean;
  events?: SseEvent[];
  error?: TransportError;
}

/** How much of the body had arrived when reading failed; absent when not even the headers had. */
interface Progress {
  bytes: number;
  /** SSE events, when the body was read as a stream. */
  events?: number;
}

export class Transport {
  readonly origin: string;
  requests = 0;
  /** Spellings of the key a server could echo back; scrubbed from the recorded exchanges. */
  private readonly secretForms: string[];
  /** One keep-alive pool per transport: only ever the target's origin. Idle sockets never hold the process. */
  private readonly agent: Agent;
  private prefix: string | undefined;

  constructor(readonly options: TransportOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.secretForms = options.apiKey && options.apiKey.length >= 4 ? secretForms(options.apiKey) : [];
    this.agent =
      base.protocol === "https:" ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  /** Resolves a catalog path (`/v1/...`) against the base URL, keeping any path prefix before `/v1`. */
  url(path: string): string {
    this.prefix ??= new URL(this.options.baseUrl).pathname.replace(/\/v1\/?$/, "").replace(/\/$/, "");
    return `${this.origin}${this.prefix}${path}`;
  }

  /** Closes idle keep-alive connections (in-flight requests finish first). */
  close(): void {
    this.agent.destroy();
  }

  /** Never throws: every failure, expected or not, comes back as `{ ok: false }`. */
  async send(req: HttpRequest): Promise<HttpOutcome> {
    try {
      return await this.attempt(req);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return {
        ok: false,
        error: { kind: "protocol", message: `request failed: ${firstLine(message)}` },
        exchange: { request: { method: req.method, url: this.url(req.path), headers: {} } },
      };
    }
  }

  private async attempt(req: HttpRequest): Promise<HttpOutcome> {
    const headers: Record<string, string> = {
      "user-agent": this.options.userAgent ?? "aioc",
      accept: req.sse ? "text/event-stream" : "application/json, */*",
      "accept-encoding": "gzip, deflate, br",
      ...lowerCaseKeys(req.headers),
    };
    const auth = req.auth ?? "key";
    if (auth === "key" && this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (auth === "wrong") headers.authorization = `Bearer ${WRONG_KEY}`;
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
      request: { method: req.method, url, headers: redactAuth(headers), body: describeRequestBody(req) },
    };
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
        const location = res.headers.location;
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
                message: `more than ${MAX_REDIRECTS} redirects (redirect loop?); last to ${next.pathname}`,
              },
              exchange,
            };
          }
          url = next.href;
          continue;
        }
        const ttfbMs = performance.now() - started;
        const responseHeaders = flattenHeaders(res.headers);
        const read = await this.readBody(request, res, req.sse, started, controller.signal);
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
          headers: this.scrubHeaders(response.headers),
          body: scrubSecrets(preview(response.body, keep), this.secretForms),
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
      const request = send(url, { method, headers, agent: this.agent, signal });
      const fail = (err: OpenError) => {
        err.reusedSocket = request.reusedSocket;
        reject(err);
      };
      request.on("error", fail);
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
    if (this.secretForms.length === 0) return headers;
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, scrubSecrets(value, this.secretForms)]),
    );
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
    return new Promise<BodyRead>((resolve) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
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
        const body = error && size > KEEP_ON_FAILURE ? head(chunks, KEEP_ON_FAILURE) : concat(chunks, size);
        chunks.length = 0;
        resolve({ body, truncated, events, error });
      };
      const progress = (): Progress => ({ bytes: size, events: events?.length });
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
        const room = cap - size;
        const part = value.length > room ? value.subarray(0, room) : value;
        chunks.push(part);
        size += part.length;
        if (parser && !parser.feed(decoder.decode(part, { stream: true }))) return finish(undefined, true);
        if (events && events.length > MAX_SSE_EVENTS) {
          truncated = true;
          return finish({
            kind: "too-large",
            message: `stream sent more than ${MAX_SSE_EVENTS} events (${formatBytes(size)}); stopped reading`,
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
      stream.on("end", () => finish());
      stream.on("error", onError);
      if (stream !== res) res.on("error", onError);
      if (signal.aborted) onAbort();
    });
  }
}

type OpenError = Error & { code?: string; reusedSocket?: boolean };

/** The failure of a request on a kept-alive connection that the server had closed meanwhile. */
function isStaleSocket(err: unknown): boolean {
  return /ECONNRESET|EPIPE/.test((err as OpenError).code ?? "");
}

function bodyless(res: IncomingMessage): boolean {
  const status = res.statusCode ?? 0;
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** The response body, decoded per Content-Encoding (gzip, deflate, br; in the order applied). Unknown codings pass through as they are. */
function decode(res: IncomingMessage, encoding: string): Readable {
  const codings = encoding
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c && c !== "identity")
    .reverse();
  let stream: Readable = res;
  for (const coding of codings) {
    let next: Duplex;
    // Sync flush: a server that cuts its compressed stream short yields what it sent, not an error (like fetch).
    if (coding === "gzip" || coding === "x-gzip") {
      next = createGunzip({ flush: z.Z_SYNC_FLUSH, finishFlush: z.Z_SYNC_FLUSH });
    } else if (coding === "deflate") next = inflateAny();
    else if (coding === "br") {
      next = createBrotliDecompress({
        flush: z.BROTLI_OPERATION_FLUSH,
        finishFlush: z.BROTLI_OPERATION_FLUSH,
      });
    } else return stream;
    stream.on("error", (err) => next.destroy(err));
    stream = stream.pipe(next);
  }
  return stream;
}

/** `deflate` is meant to be zlib-wrapped, but some servers send raw deflate; the first byte tells. */
function inflateAny(): Duplex {
  const options = { flush: z.Z_SYNC_FLUSH, finishFlush: z.Z_SYNC_FLUSH };
  const readable = new PassThrough();
  let inner: Transform | undefined;
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!inner) {
        inner = (chunk[0]! & 0x0f) === 8 ? createInflate(options) : createInflateRaw(options);
        inner.on("error", (err) => readable.destroy(err));
        inner.pipe(readable);
      }
      if (inner.write(chunk)) callback();
      else inner.once("drain", () => callback());
    },
    final(callback) {
      if (inner) inner.end();
      else readable.end();
      callback();
    },
  });
  return Duplex.from({ writable, readable });
}

function isDecodeError(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? "";
  return /^Z_|^ERR_BROTLI|^ERR__?ZLIB/.test(code) || (err as { errno?: number })?.errno === z.Z_DATA_ERROR;
}

function decodeError(encoding: string, err: unknown): TransportError {
  const message = err instanceof Error ? err.message : String(err);
  return {
    kind: "protocol",
    message: `body does not decode as Content-Encoding ${encoding}: ${firstLine(message)}`,
  };
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
  return {
    feed(text: string): boolean {
      parser.feed(text);
      return keepGoing;
    },
  };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** A copy of the first `n` bytes (so the chunks behind it can be freed). */
function head(chunks: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let offset = 0;
  for (const c of chunks) {
    if (offset >= n) break;
    const part = c.subarray(0, n - offset);
    out.set(part, offset);
    offset += part.length;
  }
  return out.subarray(0, offset);
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

/** Turns a socket, TLS, DNS or parser failure into a TransportError that says what happened in words. */
function classify(err: unknown, aborted: boolean, timeoutMs: number, progress?: Progress): TransportError {
  if (aborted) return { kind: "timeout", message: timeoutMessage(timeoutMs / 1000, progress) };
  const inner =
    err instanceof AggregateError && err.errors.length > 0
      ? err.errors[0]
      : ((err as { cause?: unknown })?.cause ?? err);
  const code = (inner as { code?: string })?.code ?? (err as { code?: string })?.code ?? "";
  const detail = (inner as Error)?.message ?? String(err);
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL/.test(code)) {
    return { kind: "connect", message: `cannot resolve host name (${code})` };
  }
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|ETIMEDOUT/.test(code) && !progress) {
    return { kind: "connect", message: `cannot connect (${code})` };
  }
  if (/CERT|SSL|TLS|ERR_TLS/.test(code) || /certificate|SSL routines|wrong version number/i.test(detail)) {
    // OpenSSL's reason ("wrong version number") says more than Node's generic EPROTO.
    const reason = /SSL routines:(?:[^:]*:)?([^:]+)/.exec(detail)?.[1];
    const why = reason && (!code || code === "EPROTO") ? reason : code || firstLine(detail);
    if (/WRONG_VERSION_NUMBER|wrong version number|PACKET_LENGTH_TOO_LONG/i.test(why)) {
      return { kind: "connect", message: `TLS failure (${why}); is the server plain http?` };
    }
    if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY|CERT_UNTRUSTED/.test(why)) {
      return {
        kind: "connect",
        message: `TLS failure: certificate not trusted (${why}); add its CA with NODE_EXTRA_CA_CERTS`,
      };
    }
    return { kind: "connect", message: `TLS failure (${why})` };
  }
  if (code === "HPE_HEADER_OVERFLOW") {
    return { kind: "too-large", message: `response headers exceed ${formatBytes(maxHeaderSize)}` };
  }
  if (/ECONNRESET|EPIPE|ERR_STREAM_PREMATURE_CLOSE/.test(code) || /socket hang up|aborted/i.test(detail)) {
    return {
      kind: "reset",
      message: progress
        ? "connection closed before the response was complete"
        : "connection closed without a response",
    };
  }
  if (/^HPE_/.test(code)) {
    return { kind: "protocol", message: `malformed HTTP response (${firstLine(detail)})` };
  }
  return { kind: "protocol", message: `HTTP error: ${firstLine(detail)}${code ? ` (${code})` : ""}` };
}

function timeoutMessage(seconds: number, progress: Progress | undefined): string {
  if (!progress) return `no response within ${seconds} s (--timeout)`;
  if (progress.events === undefined) {
    return `body incomplete after ${seconds} s (--timeout); ${formatBytes(progress.bytes)} received`;
  }
  const events = `${progress.events} event${progress.events === 1 ? "" : "s"}`;
  return `stream still open after ${seconds} s (--timeout); ${events}, ${formatBytes(progress.bytes)} received`;
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.slice(0, 200);
}

function redactAuth(headers: Record<string, string>): Record<string, string> {
  const copy = { ...headers };
  if (copy.authorization) copy.authorization = "Bearer [REDACTED]";
  return copy;
}

function describeRequestBody(req: HttpRequest): string | undefined {
  if (req.json !== undefined) return JSON.stringify(req.json).slice(0, 2048);
  if (req.raw !== undefined) return req.raw.slice(0, 2048);
  if (req.form) {
    const parts: string[] = [];
    req.form.forEach((value, key) => {
      parts.push(
        typeof value === "string" ? `${key}=${value}` : `${key}=<file ${value.name}, ${value.size} bytes>`,
      );
    });
    return `multipart/form-data: ${parts.join("; ")}`;
  }
  return undefined;
}

function preview(body: Uint8Array, keep: number): string {
  const text = new TextDecoder().decode(body.subarray(0, keep));
  return /[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 512))
    ? `<${body.length} bytes of binary data>`
    : text;
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${Math.round(n / (1 << 30))} GB`;
  if (n >= 1 << 20) return `${Math.round(n / (1 << 20))} MB`;
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10))} KB`;
  return `${n} B`;
}

/** Decodes a body as strict UTF-8 and parses JSON; says precisely what is wrong when it cannot. */
export function parseJson(body: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return { ok: false, reason: "body is not valid UTF-8" };
  }
  if (text.trim() === "") return { ok: false, reason: "empty body" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const head = text.trimStart().slice(0, 1);
    return { ok: false, reason: head === "<" ? "body is HTML, not JSON" : "body is not valid JSON" };
  }
}
