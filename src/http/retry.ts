/**
 * Transient refusals (429 rate limit, 503 busy or loading a model) are retried as openai-node retries them:
 * at most 2 retries, waiting what `retry-after-ms` / `Retry-After` asks (seconds or an HTTP date), else 0.5 s then
 * 1 s with up to 25% jitter. A server that asks for longer than the bound gets the bound: the probe must finish.
 * `x-should-retry: false` is obeyed, as openai-node does. An answer still refused after that is the row's
 * inconclusive outcome (see probe/inconclusive.ts), never a verdict.
 */
import type { HttpOutcome, HttpRequest } from "./types.js";

export const MAX_RETRIES = 2;
/** The longest wait between attempts aioc accepts from a Retry-After header. */
export const MAX_RETRY_WAIT_MS = 10_000;
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** How long to wait before retry number `retry` (0-based), from the response headers or the default backoff. */
export function retryDelayMs(headers: Record<string, string>, retry: number, now = Date.now()): number {
  let ms: number | undefined;
  const asMs = Number.parseFloat(headers["retry-after-ms"] ?? "");
  if (Number.isFinite(asMs)) ms = asMs;
  const after = headers["retry-after"]?.trim();
  if (ms === undefined && after) {
    const seconds = Number.parseFloat(after);
    ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - now;
  }
  if (ms === undefined || !Number.isFinite(ms)) ms = 500 * 2 ** retry * (1 - Math.random() * 0.25);
  return Math.min(Math.max(ms, 0), MAX_RETRY_WAIT_MS);
}

function transient(out: HttpOutcome): boolean {
  return out.ok && TRANSIENT_STATUSES.has(out.res.status) && out.res.headers["x-should-retry"] !== "false";
}

/** Sends `req` with `send`, retrying a transient refusal; the final response says how many retries it took. */
export async function withRetries(
  req: HttpRequest,
  send: (req: HttpRequest) => Promise<HttpOutcome>,
  maxWaitMs = MAX_RETRY_WAIT_MS,
): Promise<HttpOutcome> {
  let out = await send(req);
  for (let retry = 0; retry < MAX_RETRIES && transient(out) && out.ok; retry++) {
    const wait = Math.min(retryDelayMs(out.res.headers, retry), maxWaitMs);
    await new Promise((r) => setTimeout(r, wait));
    out = await send(req);
    if (out.ok) out.res.retries = retry + 1;
  }
  return out;
}
