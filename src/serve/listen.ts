/** Starting and stopping an HTTP server the same way for `aioc serve` and `aioc serve --replay`. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Listening {
  port: number;
  /** `http://host:port`, IPv6 hosts bracketed. */
  origin: string;
  /** Stops accepting, drops open connections (keep-alive ones included), resolves once closed. */
  close(): Promise<void>;
}

export async function listen(server: Server, port: number, host: string): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    origin: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
