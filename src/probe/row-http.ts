import type { Transport } from "../http/transport.js";
import type { HttpOutcome, HttpRequest } from "../http/types.js";
import type { Exchange } from "../report/types.js";
import { transientRefusal } from "./inconclusive.js";
import type { Liveness } from "./liveness.js";
import type { Limit } from "./schedule.js";
import type { RowHttp } from "./types.js";

/**
 * HTTP for one row: every request goes through the run's shared concurrency cap, is counted and recorded.
 * `chain` is the row's priority there: the requests still expected of it and of the rows that build on it.
 */
export class CountingHttp implements RowHttp {
  requests = 0;
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
    private readonly liveness?: { state: Liveness; rowId: string },
  ) {}

  async send(req: HttpRequest): Promise<HttpOutcome> {
    const live = this.liveness;
    const blocked = () => live?.state.blocked(req, this.transport.url(req.path));
    let sent = false;
    const out =
      blocked() ??
      (await this.limit(() => {
        const gone = blocked();
        if (gone) return Promise.resolve(gone);
        sent = true;
        return this.transport.send(req);
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
}
