/** What the report views say about how aioc connected: a loud warning for --insecure, a quiet line for the rest. */
import type { Report } from "../report/types.js";

export const INSECURE_WARNING =
  "TLS certificate verification is OFF (--insecure): any machine on the path could have answered for this server";

export function connectionWarnings(report: Report): string[] {
  return report.connection?.insecure ? [INSECURE_WARNING] : [];
}

/** `via proxy http://proxy:3128 ($HTTPS_PROXY) · auth api-key · headers x-a, x-b · shard 1/2`, or "" when plain. */
export function connectionLine(report: Report): string {
  const c = report.connection;
  if (!c) return "";
  const parts: string[] = [];
  if (c.azureDeployment) parts.push(`Azure deployment ${c.azureDeployment}`);
  if (c.proxy) parts.push(`via proxy ${c.proxy}${c.proxySource ? ` (${c.proxySource})` : ""}`);
  if (c.auth !== "bearer") parts.push(`auth ${c.auth}`);
  if (c.headers.length > 0) parts.push(`headers ${c.headers.join(", ")}`);
  if (c.caFile) parts.push(`CA ${c.caFile}`);
  if (c.shard) parts.push(`shard ${c.shard}`);
  return parts.join(" · ");
}
