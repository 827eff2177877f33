/**
 * The proxy environment variables, read the way curl reads them (and Go's net/http, Python's requests/httpx):
 * `https_proxy` for https URLs, `http_proxy` for http ones, `all_proxy` as a fallback, each in lower case first,
 * then upper case; `no_proxy` lists exemptions: `*`, a host name (which covers its subdomains; a leading dot is
 * ignored), an IP address, an IP range in CIDR form, each optionally with `:port`.
 *
 * Written here rather than taken from proxy-from-env, whose NO_PROXY treats `example.com` as that exact host only,
 * unlike curl and every other tool a user sets these variables for, and which reads only process.env.
 */
import { BlockList, isIP } from "node:net";

const get = (env: NodeJS.ProcessEnv, name: string): [string, string] | undefined => {
  for (const n of [name, name.toUpperCase()]) if (env[n]) return [n, env[n]!];
  return undefined;
};

/** The proxy URL for `url` from the environment and the variable it came from, or undefined for none. */
export function envProxy(url: URL, env: NodeJS.ProcessEnv): { url: string; source: string } | undefined {
  const scheme = url.protocol.replace(":", "");
  const found = get(env, `${scheme}_proxy`) ?? get(env, "all_proxy");
  if (!found) return undefined;
  if (exempt(url, get(env, "no_proxy")?.[1] ?? "")) return undefined;
  const [source, value] = found;
  // curl's rule: a proxy without a scheme is an http proxy.
  return { url: value.includes("://") ? value : `http://${value}`, source: `$${source}` };
}

export function exempt(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  return noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === "*") return true;
      const m = /^(\[[^\]]+\]|[^:]+|[0-9a-f:]+\/\d+)(?::(\d+))?$/i.exec(entry);
      const name = (m?.[1] ?? entry).replace(/^\[|\]$/g, "").toLowerCase();
      if (m?.[2] && Number(m[2]) !== port) return false;
      if (name.includes("/")) return inRange(host, name);
      const bare = name.replace(/^\*?\./, "");
      return host === bare || (!isIP(host) && host.endsWith(`.${bare}`));
    });
}

function inRange(host: string, cidr: string): boolean {
  const family = isIP(host);
  const [net, bits] = cidr.split("/");
  if (!family || isIP(net!) !== family) return false;
  const list = new BlockList();
  try {
    list.addSubnet(net!, Number(bits), family === 6 ? "ipv6" : "ipv4");
  } catch {
    return false;
  }
  return list.check(host, family === 6 ? "ipv6" : "ipv4");
}
