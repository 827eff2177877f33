import type { Transport } from "../http/transport.js";
import type { HttpOutcome, HttpRequest } from "../http/types.js";
import type { Exchange } from "../report/types.js";
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
  readonly exchanges: Exchange[] = [];

  constructor(
    private readonly transport: Transport,
    private readonly limit: Limit,
    private readonly onExchange?: (exchange: Exchange) => void,
    private readonly chain = 0,
    private readonly watchdog?: Watchdog,
    /** +1 when a request gets its slot, -1 when it ends (live progress shows what is really in flight). */
    private readonly onActive?: (delta: 1 | -1) => void,
  ) {}

  async send(req: HttpRequest): Promise<HttpOutcome> {
    const dog = this.watchdog;
    dog?.enqueue();
    const out = await this.limit(async () => {
      this.onActive?.(1);
      dog?.start();
      const t0 = performance.now();
      try {
        if (!dog) return await this.transport.send(req);
        // A request that outlives the row's watchdog gives its slot in the cap back.
        return await Promise.race([this.transport.send(req), dog.expired.then(() => this.stuck(req))]);
      } finally {
        this.activeMs += performance.now() - t0;
        dog?.finish();
        this.onActive?.(-1);
      }
    }, this.chain - this.requests);
    this.requests++;
    this.first ??= out;
    this.exchanges.push(out.exchange);
    this.onExchange?.(out.exchange);
    return out;
  }

  private stuck(req: HttpRequest): HttpOutcome {
    return {
      ok: false,
      error: { kind: "timeout", message: "the request never settled (row watchdog)" },
      exchange: { request: { method: req.method, url: this.transport.url(req.path), headers: {} } },
    };
  }
}
