/** A purpose-built loopback server for tests: each route answers as the test scripts it. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface ScriptedServer {
  url: string;
  origin: string;
  requests: { method: string; path: string; headers: IncomingMessage["headers"]; body: string }[];
  close(): Promise<void>;
}

/** Routes are keyed `METHOD /path` (exact) or `/path` (any method); unmatched requests get `fallback` or 404. */
export async function startScripted(
  routes: Record<string, Handler>,
  fallback?: Handler,
): Promise<ScriptedServer> {
  const requests: ScriptedServer["requests"] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? "/").split("?")[0]!;
    requests.push({ method: req.method ?? "", path, headers: req.headers, body: body.toString("utf8") });
    const handler = routes[`${req.method} ${path}`] ?? routes[path] ?? fallback;
    if (!handler) {
      json(res, 404, {
        error: { message: "not found", type: "invalid_request_error", param: null, code: null },
      });
      return;
    }
    await handler(req, res, body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(value));
}

export function sse(
  res: ServerResponse,
  frames: (string | object)[],
  opts: { done?: boolean; contentType?: string } = {},
) {
  res.writeHead(200, { "content-type": opts.contentType ?? "text/event-stream" });
  for (const f of frames) res.write(`data: ${typeof f === "string" ? f : JSON.stringify(f)}\n\n`);
  if (opts.done !== false) res.write("data: [DONE]\n\n");
  res.end();
}
