/**
 * A target that answered and then stops accepting connections (it crashed, or was stopped) is said once: "the
 * target stopped answering after ROW". Requests after that are not sent, and every row that needed one is SKIP
 * with that reason, instead of a column of "cannot connect (ECONNREFUSED)" FAILs.
 */
import type { HttpOutcome, HttpRequest } from "../http/types.js";

export class Liveness {
  /** The row whose request was the last to get an answer before the first refused connection. */
  stoppedAfter?: string;
  private lastAnswered?: string;

  /** The synthetic failure for a request not sent because the target is gone; undefined while it is alive. */
  blocked(req: HttpRequest, url: string): HttpOutcome | undefined {
    if (this.stoppedAfter === undefined) return undefined;
    return {
      ok: false,
      error: { kind: "connect", message: this.reason() },
      exchange: { request: { method: req.method, url, headers: {} } },
    };
  }

  /** Records what a row's request got; true when it shows (or met) a target that stopped answering. */
  observe(rowId: string, out: HttpOutcome): boolean {
    if (out.ok || out.partial) {
      this.lastAnswered = rowId;
      return false;
    }
    if (this.stoppedAfter !== undefined && out.error.message === this.reason()) return true;
    // Only a target that answered before can "stop"; one that never did is unreachable (the runner says so).
    // Only a refused connection says the target is gone; a TLS mix-up or a DNS failure is the row's own error.
    if (out.error.kind !== "connect" || !out.error.message.startsWith("cannot connect")) return false;
    if (this.lastAnswered === undefined) return false;
    this.stoppedAfter ??= this.lastAnswered;
    return true;
  }

  reason(): string {
    return `the target stopped answering after ${this.stoppedAfter}`;
  }
}
