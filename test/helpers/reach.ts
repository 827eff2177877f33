/**
 * Loopback stand-ins for the deployments issue #12 is about: a gateway that routes only with its headers
 * (Portkey's 400 without them), an Azure OpenAI that wants `api-key` and `api-version`, an HTTPS front with a CA
 * made here, and a forward proxy (CONNECT for https, absolute-form for http). Each fronts `aioc serve`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, connect as netConnect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Front {
  url: string;
  port: number;
  /** Every request as received: method, url, headers. */
  seen: { method: string; url: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

type Guard = (req: IncomingMessage) => { status: number; body: unknown } | string | undefined;

/**
 * A server in front of `backend` (an `aioc serve` URL ending in /v1): `guard` may refuse a request (a status and
 * body) or rewrite its path (a string, e.g. Azure's deployment path to /v1/...).
 */
export async function startFront(
  backend: string,
  guard: Guard,
  tls?: { key: string; cert: string },
): Promise<Front> {
  const seen: Front["seen"] = [];
  const back = new URL(backend);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    const verdict = guard(req);
    if (verdict && typeof verdict === "object") {
      res.writeHead(verdict.status, { "content-type": "application/json" });
      res.end(JSON.stringify(verdict.body));
      return;
    }
    const path = typeof verdict === "string" ? verdict : (req.url ?? "/");
    const headers = { ...req.headers, host: back.host };
    // The reference server checks Bearer keys; a front that takes api-key translates it.
    if (typeof req.headers["api-key"] === "string")
      headers.authorization = `Bearer ${req.headers["api-key"]}`;
    const upstream = httpRequest(
      { host: back.hostname, port: back.port, method: req.method, path, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    seen,
    close: () => closeServer(server),
  };
}

/** Portkey's answer when neither routing header is present (its real message). */
export const PORTKEY_400 = {
  status: "failure",
  message: "Either x-portkey-config or x-portkey-provider header is required",
};

export const portkeyGuard: Guard = (req) =>
  req.headers["x-portkey-config"] || req.headers["x-portkey-provider"]
    ? undefined
    : { status: 400, body: PORTKEY_400 };

/** Azure OpenAI's answer for a deployment the resource does not have (its real body). */
export const AZURE_DEPLOYMENT_NOT_FOUND = {
  error: {
    code: "DeploymentNotFound",
    message:
      "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
  },
};

/** Azure OpenAI's routes onto the reference server: api-key and api-version required, the deployment is the model. */
export function azureGuard(deployment: string, key: string): Guard {
  return (req) => {
    const url = new URL(req.url ?? "/", "http://azure.invalid");
    if (!url.searchParams.get("api-version")) {
      return {
        status: 404,
        body: { error: { code: "404", message: "Resource not found" } },
      };
    }
    if (req.headers["api-key"] !== key) {
      return {
        status: 401,
        body: {
          error: {
            code: "401",
            message: "Access denied due to invalid subscription key or wrong API endpoint.",
          },
        },
      };
    }
    const prefix = `/openai/deployments/${deployment}/`;
    if (url.pathname.startsWith(prefix)) return `/v1/${url.pathname.slice(prefix.length)}`;
    if (url.pathname.startsWith("/openai/deployments/")) {
      return { status: 404, body: AZURE_DEPLOYMENT_NOT_FOUND };
    }
    if (url.pathname.startsWith("/openai/")) return `/v1/${url.pathname.slice("/openai/".length)}`;
    return { status: 404, body: { error: { code: "404", message: "Resource not found" } } };
  };
}

export interface ForwardProxy {
  url: string;
  /** `CONNECT host:port` lines received. */
  connects: string[];
  /** Absolute-form request URLs received (plain-http proxying). */
  forwarded: string[];
  close(): Promise<void>;
}

/** Host names only the proxy can resolve (to 127.0.0.1): proof that a request went through it. */
const viaProxy = (host: string) => (host.endsWith(".aioc.test") ? "127.0.0.1" : host);

/** A forward proxy: CONNECT tunnels for https, absolute-form requests for http; optionally Basic auth. */
export async function startProxy(auth?: { user: string; pass: string }): Promise<ForwardProxy> {
  const connects: string[] = [];
  const forwarded: string[] = [];
  const expected = auth ? `Basic ${Buffer.from(`${auth.user}:${auth.pass}`).toString("base64")}` : undefined;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (expected && req.headers["proxy-authorization"] !== expected) {
      res.writeHead(407, { "proxy-authenticate": 'Basic realm="test"' });
      res.end();
      return;
    }
    forwarded.push(req.url ?? "");
    const target = new URL(req.url ?? "");
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = httpRequest(
      {
        host: viaProxy(target.hostname),
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    if (expected && req.headers["proxy-authorization"] !== expected) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    connects.push(req.url ?? "");
    const [host, port] = (req.url ?? "").split(":");
    const upstream = netConnect(Number(port), viaProxy(host ?? ""), () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    forwarded,
    close: async () => {
      for (const s of sockets) s.destroy();
      await closeServer(server);
    },
  };
}

export interface TestCa {
  caFile: string;
  key: string;
  cert: string;
}

/**
 * A CA and a server certificate for 127.0.0.1 signed by it (openssl); null without openssl. `expired`: the server
 * certificate's validity ended a day ago.
 */
export function makeCa(opts: { expired?: boolean } = {}): TestCa | null {
  const dir = mkdtempSync(join(tmpdir(), "aioc-ca-"));
  const f = (name: string) => join(dir, name);
  writeFileSync(
    f("ext.cnf"),
    "subjectAltName=IP:127.0.0.1,DNS:gateway.aioc.test\nbasicConstraints=CA:FALSE\n",
  );
  const steps = [
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"].concat([
      "-keyout",
      f("ca.key"),
      "-out",
      f("ca.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=aioc test CA",
    ]),
    ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"].concat([
      "-keyout",
      f("server.key"),
      "-out",
      f("server.csr"),
      "-subj",
      "/CN=127.0.0.1",
    ]),
    [
      "x509",
      "-req",
      "-in",
      f("server.csr"),
      "-CA",
      f("ca.pem"),
      "-CAkey",
      f("ca.key"),
      "-CAcreateserial",
    ].concat(["-out", f("server.pem"), "-days", opts.expired ? "-1" : "2", "-extfile", f("ext.cnf")]),
  ];
  for (const args of steps) if (spawnSync("openssl", args).status !== 0) return null;
  return {
    caFile: f("ca.pem"),
    key: readFileSync(f("server.key"), "utf8"),
    cert: readFileSync(f("server.pem"), "utf8"),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((r) => server.close(() => r()));
}

/**
 * A provider whose OpenAI surface lives under a path that is not `/v1` (Gemini's `/v1beta/openai`, Cloudflare AI
 * Gateway's `/v1/ACCOUNT/GATEWAY/openai`, Foundry's `/models`): `PREFIX/X` is the reference server's `/v1/X`,
 * anything else a 404.
 */
export function prefixGuard(prefix: string): Guard {
  return (req) => {
    const url = new URL(req.url ?? "/", "http://front.invalid");
    if (url.pathname.startsWith(`${prefix}/`))
      return `/v1/${url.pathname.slice(prefix.length + 1)}${url.search}`;
    return { status: 404, body: { error: { message: `Not Found: ${url.pathname}` } } };
  };
}
