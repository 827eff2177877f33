/**
 * The one HTTP client every check uses. It faces untrusted servers, so:
 * every request has a deadline, every body a byte cap (decompressed bytes, so gzip bombs stay bounded),
 * redirects are followed only within the target's origin (the key never leaves it), and failures come
 * back as values, never as exceptions.
 */
import type { Exchange } from "../report/types.js";

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
const WRONG_KEY = "sk-aioc-deliberately-wrong-key";

export class Transport {
  readonly origin: string;
  requests = 0;

  constructor(readonly options: TransportOptions) {
    this.origin = new URL(options.baseUrl).origin;
  }

  /** Resolves a catalog path (`/v1/...`) against the base URL, keeping any path prefix before `/v1`. */
  url(path: string): string {
    const base = new URL(this.options.baseUrl);
    const prefix = base.pathname.replace(/\/v1\/?$/, "").replace(/\/$/, "");
    return `${base.origin}${prefix}${path}`;
  }

  async send(req: HttpRequest): Promise<HttpOutcome> {
    const headers: Record<string, string> = {
      "user-agent": this.options.userAgent ?? "aioc",
      accept: req.sse ? "text/event-stream" : "application/json, */*",
      ...req.headers,
    };
    const auth = req.auth ?? "key";
    if (auth === "key" && this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (auth === "wrong") headers.authorization = `Bearer ${WRONG_KEY}`;
    let body: string | FormData | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers["content-type"] = "application/json";
    } else if (req.raw !== undefined) {
      body = req.raw;
      headers["content-type"] ??= "application/json";
    } else if (req.form) body = req.form;

    let url = this.url(req.path);
    const exchange: Exchange = {
      request: { method: req.method, url, headers: redactAuth(headers), body: describeRequestBody(req) },
    };
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      for (let hop = 0; ; hop++) {
        this.requests++;
        let res: Response;
        try {
          res = await fetch(url, {
            method: req.method,
            headers,
            body,
            redirect: "manual",
            signal: controller.signal,
          });
        } catch (err) {
          return {
            ok: false,
            error: classify(err, controller.signal.aborted, this.options.timeoutMs),
            exchange,
          };
        }
        const location = res.headers.get("location");
        if (res.status >= 300 && res.status < 400 && location) {
          await res.body?.cancel().catch(() => {});
          const next = new URL(location, url);
          if (next.origin !== this.origin) {
            return {
              ok: false,
              error: {
                kind: "redirect-cross-origin",
                message: `redirected to another origin (${next.origin}); not followed, key withheld`,
              },
              exchange,
            };
          }
          if (hop >= MAX_REDIRECTS) {
            return {
              ok: false,
              error: { kind: "redirect-loop", message: `more than ${MAX_REDIRECTS} redirects` },
              exchange,
            };
          }
          url = next.href;
          continue;
        }
        const ttfbMs = performance.now() - started;
        const read = await this.readBody(res, req.sse, started, controller.signal);
        const response: HttpResponse = {
          status: res.status,
          headers: Object.fromEntries(res.headers),
          contentType: res.headers.get("content-type") ?? "",
          body: read.body,
          truncated: read.truncated,
          ttfbMs,
          latencyMs: performance.now() - started,
          events: read.events,
        };
        exchange.response = {
          status: response.status,
          headers: response.headers,
          body: preview(response.body, this.options.keepBytes ?? 4096),
          truncated: response.truncated || response.body.length > (this.options.keepBytes ?? 4096),
        };
        if (read.error) return { ok: false, error: read.error, partial: response, exchange };
        return { ok: true, res: response, exchange };
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private async readBody(
    res: Response,
    sse: SseOptions | undefined,
    started: number,
    signal: AbortSignal,
  ): Promise<{ body: Uint8Array; truncated: boolean; events?: SseEvent[]; error?: TransportError }> {
    const cap = this.options.maxBodyBytes;
    const chunks: Uint8Array[] = [];
    let size = 0;
    let truncated = false;
    const events: SseEvent[] | undefined = sse ? [] : undefined;
    const parser = sse ? await sseParser(events!, started, sse) : undefined;
    const decoder = new TextDecoder();
    if (!res.body) return { body: new Uint8Array(), truncated, events };
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const room = cap - size;
        const part = value.length > room ? value.subarray(0, room) : value;
        chunks.push(part);
        size += part.length;
        if (parser && !parser.feed(decoder.decode(part, { stream: true }))) {
          await reader.cancel().catch(() => {});
          break;
        }
        if (value.length > room) {
          truncated = true;
          await reader.cancel().catch(() => {});
          return {
            body: concat(chunks, size),
            truncated,
            events,
            error: {
              kind: "too-large",
              message: `body exceeds ${formatBytes(cap)} (--max-body); stopped reading`,
            },
          };
        }
      }
    } catch (err) {
      return {
        body: concat(chunks, size),
        truncated,
        events,
        error: classify(err, signal.aborted, this.options.timeoutMs),
      };
    }
    return { body: concat(chunks, size), truncated, events };
  }
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

function classify(err: unknown, aborted: boolean, timeoutMs: number): TransportError {
  if (aborted) return { kind: "timeout", message: `no complete answer within ${timeoutMs / 1000} s` };
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? "";
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/.test(code)) {
    return { kind: "connect", message: `cannot connect (${code})` };
  }
  if (/ECONNRESET|UND_ERR_SOCKET|EPIPE/.test(code)) {
    return { kind: "reset", message: "connection closed before the response was complete" };
  }
  if (/CERT|SSL|TLS|ERR_TLS/.test(code) || /certificate|SSL/i.test(cause?.message ?? "")) {
    return { kind: "connect", message: `TLS failure (${code || cause?.message})` };
  }
  const message = cause?.message ?? (err as Error)?.message ?? String(err);
  return { kind: "protocol", message: `HTTP error: ${message}${code ? ` (${code})` : ""}` };
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
