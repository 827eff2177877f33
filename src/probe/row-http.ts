import type { Transport, UpgradeTarget } from "../http/transport.js";
import type { HttpOutcome, HttpRequest } from "../http/types.js";
import type { Exchange } from "../report/types.js";
import { transientRefusal } from "./inconclusive.js";
import type { Liveness } from "./liveness.js";
import type { Limit } from "./schedule.js";
import type { RowHttp } from "./types.js";
import type { Watchdog } from "./watchdog.js";

/**
 * HTTP for one row: every request goes through the run's shared concurrency cap, is counted and recorded.
 * `chain` is the row's priority there: the requests still expected of it and of the rows that build on it.
 */
export class CountingHttp implements RowHttp {
  requests = 0;
  /** Time spent in requests once they had a concurrency slot (queue wait excluded). */
  activeMs = 0;
  first?: HttpOutcome;
  last?: HttpOutcome;
  /** A 429/503 that retries did not clear: the row cannot be judged. */
  refused?: HttpOutcome;
  /** A request met a target that had stopped answering (see Liveness). */
  cutOff = false;
  readonly exchanges: Exchange[] = [];

  constructor(
    private readonly transport: Transport,
    private readonly limit: Limit,
    private readonly onExchange?: (exchange: Exchange) => void,
    private readonly chain = 0,
    private readonly watchdog?: Watchdog,
    /** +1 when a request gets its slot, -1 when it ends (live progress shows what is really in flight). */
    private readonly onActive?: (delta: 1 | -1) => void,
    private readonly liveness?: { state: Liveness; rowId: string },
  ) {}

  /**
   * Work that reaches the target outside the transport (clients (issue #14): the python SDK child process), run
   * under the concurrency cap and the row's watchdog like a request, its time counted as active. Not counted as a
   * request: aioc did not send it.
   */
  async external<T>(fn: (touch: () => void) => Promise<T>): Promise<T> {
    const dog = this.watchdog;
    dog?.enqueue();
    return this.limit(async () => {
      dog?.start();
      this.onActive?.(1);
      const t0 = performance.now();
      try {
        return await fn(() => dog?.finish());
      } finally {
        this.activeMs += performance.now() - t0;
        dog?.finish();
        this.onActive?.(-1);
      }
    }, this.chain - this.requests);
  }

  async send(req: HttpRequest): Promise<HttpOutcome> {
    const live = this.liveness;
    const blocked = () => live?.state.blocked(req, this.transport.url(req.path));
    const dog = this.watchdog;
    let sent = false;
    const early = blocked();
    if (!early) dog?.enqueue();
    const out =
      early ??
      (await this.limit(async () => {
        const gone = blocked();
        if (gone) {
          dog?.start();
          dog?.finish();
          return gone;
        }
        sent = true;
        this.onActive?.(1);
        dog?.start();
        const t0 = performance.now();
        // The row's id travels with the request, for recordings (http/record.ts).
        const tagged = live ? { ...req, row: live.rowId } : req;
        try {
          if (!dog) return await this.transport.send(tagged);
          // A request that outlives the row's watchdog gives its slot in the cap back.
          return await Promise.race([this.transport.send(tagged), dog.expired.then(() => this.stuck(req))]);
        } finally {
          this.activeMs += performance.now() - t0;
          dog?.finish();
          this.onActive?.(-1);
        }
      }, this.chain - this.requests));
    if (live?.state.observe(live.rowId, out)) this.cutOff = true;
    if (transientRefusal(out)) this.refused ??= out;
    if (!sent) return out;
    this.requests++;
    this.first ??= out;
    this.last = out;
    this.exchanges.push(out.exchange);
    this.onExchange?.(out.exchange);
    return out;
  }

  /** A WebSocket session (realtime): counted and shown like a request, under the same concurrency cap. */
  async upgrade<T>(
    path: string,
    run: (target: UpgradeTarget) => Promise<T & { exchange: Exchange }>,
  ): Promise<T> {
    const target = this.transport.upgradeTarget(path);
    this.watchdog?.enqueue();
    return this.limit(async () => {
      this.onActive?.(1);
      this.watchdog?.start();
      const t0 = performance.now();
      try {
        const out = await run(target);
        this.requests++;
        this.transport.requests++;
        // An upgrade refused with an HTTP answer is an answer like any other: the existence rules and the
        // calibration (run.ts) judge it as they judge a plain request's.
        const answer = out.exchange.response;
        if (answer && answer.status !== 101) this.first ??= refusedUpgrade(answer, out.exchange, t0);
        this.exchanges.push(out.exchange);
        this.onExchange?.(out.exchange);
        return out;
      } finally {
        this.activeMs += performance.now() - t0;
        this.watchdog?.finish();
        this.onActive?.(-1);
      }
    }, this.chain - this.requests);
  }

  private stuck(req: HttpRequest): HttpOutcome {
    return {
      ok: false,
      error: { kind: "timeout", message: "the request never settled (row watchdog)" },
      exchange: { request: { method: req.method, url: this.transport.url(req.path), headers: {} } },
    };
  }
}

function refusedUpgrade(
  answer: NonNullable<Exchange["response"]>,
  exchange: Exchange,
  t0: number,
): HttpOutcome {
  const latencyMs = performance.now() - t0;
  const res = {
    status: answer.status,
    headers: answer.headers,
    contentType: answer.headers["content-type"] ?? "",
    body: new TextEncoder().encode(answer.body),
    truncated: answer.truncated,
    ttfbMs: latencyMs,
    latencyMs,
  };
  return { ok: true, res, exchange };
}
