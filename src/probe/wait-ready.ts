/**
 * `--wait-ready`: a server that is still starting (connection refused) or loading its model (llama-server answers
 * 503 "Loading model") is polled until it answers, so a CI step can start it in the background and probe at once.
 */
import { UsageError } from "../cli/errors.js";
import { Transport } from "../http/transport.js";
import type { HttpOutcome } from "../http/types.js";
import { VERSION } from "../version.js";

export interface WaitReadyOptions {
  baseUrl: string;
  apiKey?: string;
  /** How long to wait in all. */
  waitMs: number;
  /** Between polls. */
  intervalMs?: number;
  /** Called once when the first poll finds the server not ready. */
  onWaiting?: (reason: string) => void;
}

/** Why the answer means "not ready yet"; undefined when the server answered for real. */
function notReady(out: HttpOutcome): string | undefined {
  if (!out.ok)
    return out.error.kind === "connect" || out.error.kind === "reset" ? out.error.message : undefined;
  if (out.res.status === 503) return "503: still starting or loading the model";
  return undefined;
}

/** Resolves with the milliseconds waited once the target answers; throws a UsageError when it never did. */
export async function waitReady(opts: WaitReadyOptions): Promise<number> {
  const started = performance.now();
  const interval = opts.intervalMs ?? 500;
  let told = false;
  for (;;) {
    const left = opts.waitMs - (performance.now() - started);
    const transport = new Transport({
      baseUrl: opts.baseUrl,
      apiKey: opts.apiKey,
      timeoutMs: Math.max(1000, Math.min(left, 10_000)),
      maxBodyBytes: 64 * 1024,
      userAgent: `aioc/${VERSION}`,
    });
    const why = notReady(await transport.send({ method: "GET", path: "/v1/models" }));
    if (!why) return performance.now() - started;
    if (!told) opts.onWaiting?.(why);
    told = true;
    if (performance.now() - started + interval > opts.waitMs) {
      throw new UsageError(
        `${opts.baseUrl} not ready after ${(opts.waitMs / 1000).toFixed(0)} s (--wait-ready): ${why}`,
      );
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
