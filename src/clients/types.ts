/**
 * What a `client:` row's call gets and returns. This file loads no SDK: checks import it statically and the
 * SDK modules (openai-node.ts, ai-sdk.ts) lazily, so `aioc spec` and plain probes never load them.
 */

export interface ClientEnv {
  /** Routed through the row's HTTP (see probe/fetch.ts); give it to the SDK as its fetch. */
  fetch: typeof fetch;
  model: string;
  /** The float vector the base embeddings row got for "hello", when it got one. */
  baseVector?: number[];
  /** An unread copy of the last response the SDK got, to judge what the server sent rather than the SDK's view. */
  lastResponse?: () => Response | undefined;
}

export interface ClientResult {
  status: "PASS" | "WARN" | "FAIL";
  detail: string;
}

export type ClientCall = (env: ClientEnv) => Promise<ClientResult>;

/**
 * The SDKs get this placeholder; the transport drops their Authorization header and adds the real key (if
 * any), so the key never enters SDK state, logs or error messages.
 */
export const CLIENT_API_KEY = "aioc-key-added-by-transport";

/** The transport's own deadline ends requests first; this only keeps the SDK's timer out of the way. */
export const CLIENT_TIMEOUT_MS = 10 * 60 * 1000;

export const pass = (detail: string): ClientResult => ({ status: "PASS", detail });
export const warn = (detail: string): ClientResult => ({ status: "WARN", detail });
export const fail = (detail: string): ClientResult => ({ status: "FAIL", detail });

/** An error thrown inside one step of a multi-call row, so the detail can say which call threw. */
export class StepError extends Error {
  constructor(
    readonly where: string,
    readonly error: unknown,
  ) {
    super(where);
  }
}

export async function step<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new StepError(where, err);
  }
}

/** `<ErrorClass>: <message>` plus the cause's message when it adds something, on one short line. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) {
    // openai-node's responses.stream() rejects with the stream's `error` event itself ({type, code, message}).
    const o = err as { type?: unknown; code?: unknown; message?: unknown } | null;
    if (o && typeof o === "object" && typeof o.message === "string") {
      const said = [o.code, o.message].filter((v) => typeof v === "string" && v).join(": ");
      return (o.type === "error" ? `the stream's error event: ${said}` : said).slice(0, 240);
    }
    return String(err).slice(0, 240);
  }
  const ctor = err.constructor?.name;
  const name = ctor && ctor !== "Error" ? ctor : err.name;
  let message = err.message || "(no message)";
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message && !message.includes(cause.message))
    message += ` (cause: ${cause.message})`;
  return `${name}: ${message}`.replace(/\s+/g, " ").trim().slice(0, 240);
}
