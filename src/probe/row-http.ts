import type { Transport } from "../http/transport.js";
import type { HttpOutcome, HttpRequest } from "../http/types.js";
import type { Exchange } from "../report/types.js";
import type { RowHttp } from "./types.js";

/** HTTP for one row: every request goes through the run's shared concurrency cap, is counted and recorded. */
export class CountingHttp implements RowHttp {
  requests = 0;
  first?: HttpOutcome;
  readonly exchanges: Exchange[] = [];

  constructor(
    private readonly transport: Transport,
    private readonly limit: <T>(fn: () => Promise<T>) => Promise<T>,
    private readonly onExchange?: (exchange: Exchange) => void,
  ) {}

  async send(req: HttpRequest): Promise<HttpOutcome> {
    const out = await this.limit(() => this.transport.send(req));
    this.requests++;
    this.first ??= out;
    this.exchanges.push(out.exchange);
    this.onExchange?.(out.exchange);
    return out;
  }
}
