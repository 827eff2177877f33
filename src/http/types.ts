/** The transport's request, response and failure types, shared by checks, the runner and the SDK bridge. */
import type { Agent } from "node:http";
import type { Exchange } from "../report/types.js";
import type { TlsOptions } from "./agent.js";
import type { Connection } from "./connection.js";
import type { RawExchange } from "./record.js";

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
  /** The catalog row sending it (set by the row's HTTP; recordings name it). */
  row?: string;
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
  /** Retries a transient 429/503 took before this answer (http/retry.ts); absent when none. */
  retries?: number;
}

export type HttpOutcome =
  | { ok: true; res: HttpResponse; exchange: Exchange }
  | { ok: false; error: TransportError; partial?: HttpResponse; exchange: Exchange };

export interface TransportOptions {
  /** Base URL including `/v1` (no trailing slash). */
  baseUrl: string;
  apiKey?: string;
  /** More secret inputs (credential headers, query parameters, proxy password) that must never appear in any output. */
  secrets?: readonly string[];
  timeoutMs: number;
  maxBodyBytes: number;
  /** Bytes of each body kept for the report's request/response view. */
  keepBytes?: number;
  userAgent?: string;
  /** Every request sent, with its bytes and full outcome (for `probe --record`; see record.ts). */
  onRaw?: (raw: RawExchange) => void;
  /** Headers, auth scheme and route mapping (src/http/connection.ts). */
  connection?: Connection;
  /** The connection pool to use (a proxy agent, src/http/agent.ts); default a plain keep-alive agent. */
  agent?: Agent;
  /** TLS options for the target: extra CAs, or verification off (--insecure). */
  tls?: TlsOptions;
}
