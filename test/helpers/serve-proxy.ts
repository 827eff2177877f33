/**
 * `aioc serve` behind a loopback proxy that lets a test answer chosen requests itself: a compliant server with
 * exactly one defect (or one run-level behaviour: dying, being busy). Unhandled requests are forwarded as they are.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { startServer } from "../../src/serve/server.js";

export interface ProxiedRequest {
  method: string;
  path: string;
  body: Buffer;
  /** The JSON body, or undefined when it is not JSON. */
  json?: Record<string, unknown>;
}

/** Answers the request itself and returns true, or returns false to forward it to `aioc serve`. */
export type Intercept = (
  req: ProxiedRequest,
  res: ServerResponse,
  raw: IncomingMessage,
) => boolean | Promise<boolean>;

export interface ServeProxy {
  url: string;
  /** `aioc serve` itself (`http://127.0.0.1:PORT/v1`), for intercepts that forward and then alter the answer. */
  upstream: string;
  requests: ProxiedRequest[];
  /** Stops accepting connections (new ones are refused) and drops open ones. */
  kill(): void;
  close(): Promise<void>;
}

export async function startServeProxy(intercept: Intercept, quirks?: string[]): Promise<ServeProxy> {
  const upstream = await startServer({ port: 0, host: "127.0.0.1", quirks });
  const requests: ProxiedRequest[] = [];
  let killed = false;
  const server = createServer(async (raw, res) => {
    const chunks: Buffer[] = [];
    for await (const c of raw) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    let json: Record<string, unknown> | undefined;
    try {
      json = body.length ? JSON.parse(body.toString()) : undefined;
    } catch {}
    const req: ProxiedRequest = {
      method: raw.method ?? "GET",
      path: (raw.url ?? "/").split("?")[0]!,
      body,
      json,
    };
    requests.push(req);
    if (await intercept(req, res, raw)) return;
    const headers = new Headers();
    for (const [k, v] of Object.entries(raw.headers)) {
      if (typeof v === "string" && k !== "host" && k !== "content-length" && k !== "accept-encoding")
        headers.set(k, v);
    }
    const target = new URL(raw.url ?? "/", upstream.url);
    const answer = await fetch(target, {
      method: req.method,
      headers,
      body: req.method === "GET" ? undefined : body,
    });
    const out = Buffer.from(await answer.arrayBuffer());
    const copied: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (k !== "content-encoding" && k !== "content-length" && k !== "transfer-encoding") copied[k] = v;
    });
    res.writeHead(answer.status, copied);
    res.end(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return {
    url: `http://127.0.0.1:${port}/v1`,
    upstream: upstream.url,
    requests,
    kill() {
      if (killed) return;
      killed = true;
      server.close();
      server.closeAllConnections();
    },
    async close() {
      if (!killed) await close();
      await upstream.close();
    },
  };
}
