/**
 * The connection pool for one target: direct, or through an HTTP(S) proxy (CONNECT for https targets, absolute-form
 * requests for http ones), with the TLS trust the user asked for.
 *
 * `--proxy URL` wins; otherwise the environment, read as curl reads it (src/http/proxy-env.ts). Like Go's
 * net/http, a loopback target is never sent through an environment proxy (the proxy's 127.0.0.1 is not ours);
 * `--proxy` still applies to it. The proxy agents (https-proxy-agent, http-proxy-agent) load only when a proxy
 * is in use.
 */
import { readFileSync } from "node:fs";
import { type Agent, type ClientRequest, Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { isIP } from "node:net";
import { checkServerIdentity, type PeerCertificate, rootCertificates } from "node:tls";
import { UsageError } from "../cli/errors.js";
import { envProxy } from "./proxy-env.js";

export interface NetOptions {
  /** `--proxy URL`; `""` (or `--no-proxy`) means never use a proxy, not even from the environment. */
  proxy?: string;
  /** `--ca-file PEM`: trusted in addition to the system roots and NODE_EXTRA_CA_CERTS. */
  caFile?: string;
  /** `--insecure`: TLS certificates are not verified. */
  insecure?: boolean;
}

export type TlsOptions = {
  ca?: string[];
  rejectUnauthorized?: boolean;
  checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
};

export interface NetPlan {
  agent: Agent;
  tls?: TlsOptions;
  /** The proxy in use, credentials removed (for the report). */
  proxy?: string;
  /** Where the proxy came from: `--proxy` or the environment variable's name. */
  proxySource?: string;
  /** The proxy's password, a secret for redaction. */
  secrets: string[];
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || /^::ffff:127\./i.test(host);
}

/** The proxy for this target, and where it came from; undefined for a direct connection. */
export function proxyFor(
  target: URL,
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { url: string; source: string } | undefined {
  if (flag !== undefined) return flag ? { url: flag, source: "--proxy" } : undefined;
  if (isLoopback(target.hostname)) return undefined;
  return envProxy(target, env);
}

/** Builds the agent for one target. Bad options are UsageErrors (one line, exit 2). */
export async function createAgent(
  baseUrl: string,
  net: NetOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NetPlan> {
  const target = new URL(baseUrl);
  const https = target.protocol === "https:";
  const tls = tlsOptions(net, env);
  const proxy = proxyFor(target, net.proxy, env);
  if (!proxy) {
    const agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    return { agent, tls, secrets: [] };
  }
  let proxyUrl: URL;
  try {
    proxyUrl = new URL(proxy.url);
  } catch {
    throw new UsageError(`${proxy.source}: invalid proxy URL; expected e.g. http://proxy.example:3128`);
  }
  if (proxyUrl.protocol !== "http:" && proxyUrl.protocol !== "https:") {
    throw new UsageError(
      `${proxy.source}: unsupported proxy scheme "${proxyUrl.protocol.replace(":", "")}"; aioc supports http:// and https:// proxies`,
    );
  }
  const secrets = [decodeURIComponent(proxyUrl.password)].filter((s) => s.length >= 4);
  const shown = `${proxyUrl.protocol}//${proxyUrl.username ? "…@" : ""}${proxyUrl.host}`;
  const plan = { tls, proxy: shown, proxySource: proxy.source, secrets };
  if (!https) {
    const { HttpProxyAgent } = await import("http-proxy-agent");
    return { ...plan, agent: new HttpProxyAgent(proxyUrl, { keepAlive: true }) };
  }
  const { HttpsProxyAgent } = await import("https-proxy-agent");
  const agent = new HttpsProxyAgent(proxyUrl, { keepAlive: true });
  refuseFailedConnect(agent, `${proxyUrl.protocol}//${proxyUrl.host}`);
  return { ...plan, agent, tls: tunnelTls(target, tls) };
}

/**
 * A proxy that refuses the CONNECT (407, 403, 502…) would otherwise have its answer replayed as if the target had
 * sent it; the request fails instead, with the proxy's status.
 */
function refuseFailedConnect(agent: Agent, proxy: string): void {
  // https-proxy-agent's event: the proxy's parsed answer ({ statusCode, statusText, headers }) and the request.
  agent.on("proxyConnect", (connect: { statusCode?: number; statusText?: string }, req: ClientRequest) => {
    const status = connect.statusCode ?? 0;
    if (status === 200) return;
    const err = Object.assign(
      new Error(`proxy ${proxy} refused CONNECT: ${status} ${connect.statusText ?? ""}`.trim()),
      {
        code: "ERR_PROXY_CONNECT",
        status,
      },
    );
    req.destroy(err);
  });
}

/**
 * https-proxy-agent opens the TLS session inside the tunnel without the target's host, so Node would check the
 * certificate against "localhost"; the check is made against the real host instead (IP targets have no SNI).
 */
function tunnelTls(target: URL, tls: NetPlan["tls"]): NetPlan["tls"] {
  if (target.protocol !== "https:" || tls?.rejectUnauthorized === false) return tls;
  const host = target.hostname.replace(/^\[|\]$/g, "");
  return {
    ...tls,
    checkServerIdentity: (_: string, cert: PeerCertificate) => checkServerIdentity(host, cert),
  };
}

function tlsOptions(net: NetOptions, env: NodeJS.ProcessEnv): NetPlan["tls"] {
  if (net.insecure) return { rejectUnauthorized: false };
  if (!net.caFile) return undefined;
  // Passing `ca` replaces Node's trust store, so the system roots and NODE_EXTRA_CA_CERTS are added back.
  const ca = [...rootCertificates, readPem(net.caFile, "--ca-file")];
  if (env.NODE_EXTRA_CA_CERTS) {
    try {
      ca.push(readPem(env.NODE_EXTRA_CA_CERTS, "$NODE_EXTRA_CA_CERTS"));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; so does the rest of aioc (it is unused).
    }
  }
  return { ca };
}

function readPem(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`${what}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new UsageError(`${what}: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return text;
}
