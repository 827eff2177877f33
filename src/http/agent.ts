/**
 * The connection pool for one target: direct, or through an HTTP(S) proxy (CONNECT for https targets, absolute-form
 * requests for http ones), with the TLS trust the user asked for.
 *
 * Proxy rules follow curl and the other tools users already configure: `--proxy URL` wins; otherwise
 * `https_proxy`/`HTTPS_PROXY` for https targets, `http_proxy`/`HTTP_PROXY` for http ones, `all_proxy` as a
 * fallback, and `no_proxy`/`NO_PROXY` exempts hosts (proxy-from-env implements exactly these rules). Like Go's
 * net/http, a loopback target is never sent through an environment proxy (the proxy's 127.0.0.1 is not ours);
 * `--proxy` still applies to it. The proxy libraries load only when a proxy is in use.
 */
import { readFileSync } from "node:fs";
import { type Agent, type ClientRequest, Agent as HttpAgent, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { isIP } from "node:net";
import { rootCertificates } from "node:tls";
import { UsageError } from "../cli/errors.js";

export interface NetOptions {
  /** `--proxy URL`; `""` (or `--no-proxy`) means never use a proxy, not even from the environment. */
  proxy?: string;
  /** `--ca-file PEM`: trusted in addition to the system roots and NODE_EXTRA_CA_CERTS. */
  caFile?: string;
  /** `--insecure`: TLS certificates are not verified. */
  insecure?: boolean;
}

export interface NetPlan {
  agent: Agent;
  tls?: { ca?: string[]; rejectUnauthorized?: boolean };
  /** The proxy in use, credentials removed (for the report). */
  proxy?: string;
  /** Where the proxy came from: `--proxy` or the environment variable's name. */
  proxySource?: string;
  /** The proxy's password, a secret for redaction. */
  secrets: string[];
}

const PROXY_VARS = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || /^::ffff:127\./i.test(host);
}

/** The proxy for this target, and where it came from; undefined for a direct connection. */
export async function proxyFor(
  target: URL,
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string; source: string } | undefined> {
  if (flag !== undefined) return flag ? { url: flag, source: "--proxy" } : undefined;
  if (isLoopback(target.hostname) || !PROXY_VARS.some((v) => env[v])) return undefined;
  const { getProxyForUrl } = await import("proxy-from-env");
  const url = getProxyForUrl(target.href);
  if (!url) return undefined;
  const scheme = target.protocol.replace(":", "");
  const source = [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, "all_proxy", "ALL_PROXY"].find(
    (v) => env[v],
  );
  return { url, source: `$${source ?? "proxy"}` };
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
  const proxy = await proxyFor(target, net.proxy, env);
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
  const shown = new URL(proxyUrl.href);
  shown.username = shown.username ? "…" : "";
  shown.password = "";
  const agent = https
    ? new (await import("https-proxy-agent")).HttpsProxyAgent(proxyUrl, { keepAlive: true })
    : new (await import("http-proxy-agent")).HttpProxyAgent(proxyUrl, { keepAlive: true });
  refuseFailedConnect(agent, shown.origin);
  return { agent, tls, proxy: shown.href.replace(/\/$/, ""), proxySource: proxy.source, secrets };
}

/**
 * A proxy that refuses the CONNECT (407, 403, 502…) would otherwise have its answer replayed as if the target had
 * sent it; the request fails instead, with the proxy's status.
 */
function refuseFailedConnect(agent: Agent, proxy: string): void {
  agent.on("proxyConnect", (connect: IncomingMessage, req: ClientRequest) => {
    const status = connect.statusCode ?? 0;
    if (status === 200) return;
    const err = Object.assign(
      new Error(`proxy ${proxy} refused CONNECT: ${status} ${connect.statusMessage ?? ""}`),
      {
        code: "ERR_PROXY_CONNECT",
        status,
      },
    );
    req.destroy(err);
  });
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
