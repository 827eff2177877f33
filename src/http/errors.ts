/** Socket, TLS, DNS, parser and deadline failures, as one-line TransportErrors a person understands. */
/** How much of the body had arrived when reading failed; absent when not even the headers had. */
import { maxHeaderSize } from "node:http";
import { connectionFailure } from "./connect-errors.js";
import { formatBytes } from "./json.js";
import type { TransportError } from "./types.js";

export interface Progress {
  bytes: number;
  /** SSE events, when the body was read as a stream. */
  events?: number;
}

/** Turns a socket, TLS, DNS or parser failure into a TransportError that says what happened in words. */
export function classify(
  err: unknown,
  aborted: boolean,
  timeoutMs: number,
  progress?: Progress,
): TransportError {
  if (aborted) return { kind: "timeout", message: timeoutMessage(timeoutMs / 1000, progress) };
  const inner =
    err instanceof AggregateError && err.errors.length > 0
      ? err.errors[0]
      : ((err as { cause?: unknown })?.cause ?? err);
  const code = (inner as { code?: string })?.code ?? (err as { code?: string })?.code ?? "";
  const detail = (inner as Error)?.message ?? String(err);
  if (code === "AIOC_UPGRADE") return { kind: "protocol", message: detail };
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL/.test(code)) {
    return { kind: "connect", message: `cannot resolve host name (${code})` };
  }
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|ETIMEDOUT/.test(code) && !progress) {
    return { kind: "connect", message: `cannot connect (${code})` };
  }
  const failure = connectionFailure(code, detail, inner ?? err);
  if (failure) return failure;
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
  if (/^HPE_/.test(code) && speaksTls(inner) && !progress) {
    return { kind: "connect", message: "the server speaks TLS: use https://" };
  }
  if (/^HPE_/.test(code)) {
    return { kind: "protocol", message: `malformed HTTP response (${firstLine(detail)})` };
  }
  return { kind: "protocol", message: `HTTP error: ${firstLine(detail)}${code ? ` (${code})` : ""}` };
}

export function timeoutMessage(seconds: number, progress: Progress | undefined): string {
  if (!progress) return `no response within ${seconds} s (--timeout)`;
  if (progress.events === undefined) {
    return `body incomplete after ${seconds} s (--timeout); ${formatBytes(progress.bytes)} received`;
  }
  const events = `${progress.events} event${progress.events === 1 ? "" : "s"}`;
  return `stream still open after ${seconds} s (--timeout); ${events}, ${formatBytes(progress.bytes)} received`;
}

export function firstLine(s: string): string {
  return s.split("\n")[0]!.slice(0, 200);
}

/**
 * The bytes the HTTP parser choked on begin a TLS record (alert 0x15 or handshake 0x16, version 3.x): an https
 * server on the port of an http:// URL.
 */
function speaksTls(err: unknown): boolean {
  const raw = (err as { rawPacket?: Uint8Array })?.rawPacket;
  return (
    !!raw && raw.length >= 3 && (raw[0] === 0x15 || raw[0] === 0x16) && raw[1] === 0x03 && raw[2]! <= 0x04
  );
}
