/**
 * From what the user said (URL, headers, auth scheme, key, proxy/TLS) to what a probe run needs: the base URL,
 * the transport's connection settings, every secret to redact, and what the report records about it.
 */
import { UsageError } from "../cli/errors.js";
import type { NetOptions } from "../http/agent.js";
import type { AuthScheme, Connection } from "../http/connection.js";
import { headerSecrets, querySecrets } from "../http/credentials.js";
import type { ReportConnection } from "../report/types.js";
import { isAzureHost } from "./azure.js";
import type { ModelChoice } from "./models.js";
import { normalizeTarget, type Target } from "./target.js";

export interface ConnectInput {
  url: string;
  headers: Record<string, string>;
  auth?: AuthScheme;
  key?: string;
  net: NetOptions;
  shard?: string;
}

export interface Connected {
  target: Target;
  connection: Connection;
  /** Every secret the user handed over for this target: key, credential headers, query credentials. */
  secrets: string[];
  report: ReportConnection;
  /** Models the URL itself names (an Azure deployment). */
  models: ModelChoice;
}

export function connect(input: ConnectInput): Connected {
  const target = normalizeTarget(input.url);
  const host = new URL(target.baseUrl).hostname;
  const auth = input.auth ?? (target.azure || isAzureHost(host) ? "api-key" : "bearer");
  if (auth === "none" && input.key) {
    throw new UsageError("--auth none with an API key: the key would not be sent; drop one of them");
  }
  const secrets = [input.key, ...headerSecrets(input.headers), ...querySecrets(target.baseUrl)].filter(
    (s): s is string => !!s,
  );
  const report: ReportConnection = { auth, headers: Object.keys(input.headers).sort() };
  if (input.net.insecure) report.insecure = true;
  if (input.net.caFile) report.caFile = input.net.caFile;
  if (target.azure) report.azureDeployment = target.azure.deployment;
  if (input.shard) report.shard = input.shard;
  const connection: Connection = { headers: input.headers, auth };
  if (target.azure) connection.routePath = target.azure.routePath;
  const models: ModelChoice = target.azure ? { [target.azure.kind]: target.azure.deployment } : {};
  return { target, connection, secrets, report, models };
}
