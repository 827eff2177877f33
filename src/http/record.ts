/**
 * `aioc probe --record FILE`: every exchange in full (request and response bytes), for `aioc serve --replay`.
 * The format is documented in docs/recording.md. The key is redacted in every spelling a server could echo
 * (headers, bodies, binary bodies alike) before anything is kept, and each body is capped.
 */

import { Scrubber } from "../secrets/scrubber.js";
import type { HttpOutcome, HttpRequest } from "./types.js";

export const RECORDING_FORMAT = "aioc-recording";
export const RECORDING_VERSION = 1;
/** Default cap on each recorded body; the rest is cut and the body marked `truncated`. */
export const RECORD_BODY_CAP = 256 * 1024;

/** A body as kept in a recording: UTF-8 text when it is text, base64 otherwise. */
export type RecordedBody = { text: string; truncated?: true } | { base64: string; truncated?: true };

/** How the request authenticated on the wire; the key itself is never kept. */
export type RecordedAuth = "none" | "key" | "wrong";

export interface RecordedExchange {
  /** The catalog row that sent it. */
  row: string;
  request: {
    method: string;
    /** Path and query on the target's origin, including any prefix before `/v1`. */
    path: string;
    auth: RecordedAuth;
    headers: Record<string, string>;
    body?: RecordedBody;
  };
  response?: { status: number; headers: Record<string, string>; body: RecordedBody };
  /** The transport's failure (timeout, reset, too large ...); `response` is what arrived before it. */
  error?: { kind: string; message: string };
}

export interface Recording {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  tool: string;
  target: { url: string; name?: string };
  recordedAt: string;
  exchanges: RecordedExchange[];
}

/** What the transport hands the recorder for each request it sent. */
export interface RawExchange {
  req: HttpRequest;
  url: string;
  /** The headers as sent, Authorization already redacted. */
  headers: Record<string, string>;
  body?: Uint8Array;
  outcome: HttpOutcome;
}

/** Request headers that say nothing about the exchange and would only churn a committed recording. */
const NOISY_REQUEST_HEADERS = new Set(["content-length", "host", "connection"]);

export class Recorder {
  private readonly scrubber: Scrubber;
  private readonly kept: { seq: number; exchange: RecordedExchange }[] = [];
  private readonly cap: number;

  constructor(
    private readonly target: { url: string; name?: string },
    options: { secrets?: readonly (string | undefined)[]; maxBodyBytes?: number; tool?: string } = {},
  ) {
    this.scrubber = new Scrubber(options.secrets ?? []);
    this.cap = options.maxBodyBytes ?? RECORD_BODY_CAP;
    this.tool = options.tool ?? "aioc";
  }

  private readonly tool: string;

  add(raw: RawExchange, row: string): void {
    const { req, outcome } = raw;
    const origin = new URL(raw.url);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw.headers)) {
      if (!NOISY_REQUEST_HEADERS.has(name)) headers[name] = this.scrub(value);
    }
    const sentAuth = "authorization" in raw.headers;
    const exchange: RecordedExchange = {
      row,
      request: {
        method: req.method,
        path: `${origin.pathname}${origin.search}`,
        auth: !sentAuth ? "none" : req.auth === "wrong" ? "wrong" : "key",
        headers,
      },
    };
    if (raw.body) exchange.request.body = this.body(raw.body);
    const res = outcome.ok ? outcome.res : outcome.partial;
    if (res) {
      exchange.response = {
        status: res.status,
        headers: Object.fromEntries(
          Object.entries(res.headers).map(([name, value]) => [name, this.scrub(value)]),
        ),
        body: this.body(res.body, res.truncated),
      };
    }
    if (!outcome.ok)
      exchange.error = { kind: outcome.error.kind, message: this.scrub(outcome.error.message) };
    this.kept.push({ seq: this.kept.length, exchange });
  }

  /** Exchanges grouped by row (in the order rows first sent), each row's in the order it sent them. */
  recording(): Recording {
    const firstSeen = new Map<string, number>();
    for (const { seq, exchange } of this.kept)
      if (!firstSeen.has(exchange.row)) firstSeen.set(exchange.row, seq);
    const ordered = [...this.kept].sort(
      (a, b) =>
        firstSeen.get(a.exchange.row)! - firstSeen.get(b.exchange.row)! ||
        a.exchange.row.localeCompare(b.exchange.row) ||
        a.seq - b.seq,
    );
    return {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      tool: this.tool,
      target: { url: this.scrub(this.target.url), ...(this.target.name ? { name: this.target.name } : {}) },
      recordedAt: new Date().toISOString(),
      exchanges: ordered.map((k) => k.exchange),
    };
  }

  private scrub(text: string): string {
    return this.scrubber.text(text);
  }

  /** Redact first (on the bytes, so binary bodies are covered too), then clip. */
  private body(bytes: Uint8Array, cutAlready = false): RecordedBody {
    let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    buf = Buffer.from(this.scrubber.bytes(buf));
    const truncated = cutAlready || buf.length > this.cap;
    if (buf.length > this.cap) buf = buf.subarray(0, this.cap);
    const text = asText(buf, truncated);
    const body: RecordedBody = text === undefined ? { base64: buf.toString("base64") } : { text };
    if (truncated) body.truncated = true;
    return body;
  }
}

/** The body as text when it is UTF-8 without binary control characters (a cut may have split a character). */
function asText(buf: Buffer, cut: boolean): string | undefined {
  if (buf.length === 0) return "";
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (let drop = 0; drop <= (cut ? 3 : 0) && drop < buf.length; drop++) {
    try {
      const text = decoder.decode(buf.subarray(0, buf.length - drop));
      return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text;
    } catch {
      // not text (yet): try without the last byte of a character the cap split
    }
  }
  return undefined;
}

export function bodyBytes(body: RecordedBody | undefined): Buffer {
  if (!body) return Buffer.alloc(0);
  return "text" in body ? Buffer.from(body.text, "utf8") : Buffer.from(body.base64, "base64");
}
