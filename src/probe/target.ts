import { UsageError } from "../cli/errors.js";
import { type AzureDeployment, azureDeployment, isAzureHost } from "./azure.js";

export interface Target {
  /** Normalised base URL (a bare origin gets `/v1`; an Azure deployment), with the query string the user gave. */
  baseUrl: string;
  /** What normalisation did, for the user. */
  note?: string;
  /** Set for an Azure OpenAI deployment URL (src/probe/azure.ts). */
  azure?: AzureDeployment;
}

/**
 * Accepts a base URL with or without `/v1` (a bare origin gets it, a path is kept as given); refuses anything
 * that is not plain http(s). The query string is kept (gateways and Azure need it on every call); the fragment
 * is dropped.
 */
export function normalizeTarget(input: string): Target {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UsageError(`invalid URL "${input}"; expected e.g. http://127.0.0.1:8080/v1`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `unsupported scheme "${url.protocol.replace(/:$/, "")}" in "${input}"; use http or https`,
    );
  }
  if (url.username || url.password)
    throw new UsageError("credentials in the URL are not supported; use --api-key");
  url.hash = "";
  const search = url.search;
  const azure = azureDeployment(url);
  if (azure) {
    return {
      baseUrl: `${url.origin}${azure.path}${search}`,
      note: `Azure OpenAI deployment "${azure.deployment.deployment}" (the deployment is the ${azure.deployment.kind} model)`,
      azure: azure.deployment,
    };
  }
  const path = url.pathname.replace(/\/+$/, "");
  // An Azure resource's root: Azure serves nothing at /v1; its OpenAI-style surface is /openai/v1 (deployment
  // names are the model ids there, and no api-version is needed).
  if (isAzureHost(url.hostname) && (path === "" || path === "/openai")) {
    return {
      baseUrl: `${url.origin}/openai/v1${search}`,
      note: "Azure resource: using its v1 API (/openai/v1); pass the deployment name as --model",
    };
  }
  // A path is the base URL as the OpenAI SDKs take it (`/api/v1`, Gemini's `/v1beta/openai`, Cloudflare AI
  // Gateway's `/v1/ACCOUNT/GATEWAY/openai`): endpoints go right under it. Only a bare origin gets `/v1`.
  if (path) return { baseUrl: `${url.origin}${path}${search}` };
  return { baseUrl: `${url.origin}/v1${search}`, note: "added /v1 to the base URL" };
}

export const OPENAI_API_HOST = "api.openai.com";

/**
 * The key to send. `--api-key` wins; `$AIOC_API_KEY` is aioc's own variable; `$OPENAI_API_KEY` is only ever
 * sent to OpenAI's own API host, never to a server the user did not name it for.
 */
export function resolveApiKey(
  baseUrl: string,
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { key?: string; source?: string } {
  if (flag) return { key: flag, source: "--api-key" };
  if (env.AIOC_API_KEY) return { key: env.AIOC_API_KEY, source: "$AIOC_API_KEY" };
  if (env.OPENAI_API_KEY && new URL(baseUrl).hostname === OPENAI_API_HOST) {
    return { key: env.OPENAI_API_KEY, source: "$OPENAI_API_KEY" };
  }
  return {};
}
