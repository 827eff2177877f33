import type { Transport } from "../http/transport.js";
import type { HttpOutcome, HttpRequest } from "../http/types.js";
import type { Exchange } from "../report/types.js";
import type { Limit } from "./schedule.js";
import type { RowHttp } from "./types.js";

/**
 * HTTP for one row: every request goes through the run's shared concurrency cap, is counted and recorded.
 * `chain` is the row's priority there: the requests still expected of it and of the rows that build on it.
 */
export class CountingHttp implements RowHttp {
  requests = 0;
  first?: HttpOutcome;
  readonly exchanges: Exchange[] = [];

  constructor(
    private readonly transport: Transport,
    private readonly limit: Limit,
    private readonly onExchange?: (exchange: Exchange) => void,
    private readonly chain = 0,
    private readonly row?: string,
  ) {}

  async send(req: HttpRequest): Promise<HttpOutcome> {
    const sent = this.row ? { ...req, row: this.row } : req;
    const out = await this.limit(() => this.transport.send(sent), this.chain - this.requests);
    this.requests++;
    this.first ??= out;
    this.exchanges.push(out.exchange);
    this.onExchange?.(out.exchange);
    return out;
  }
}
