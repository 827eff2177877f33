import { UsageError } from "../cli/errors.js";

export interface Target {
  /** Normalised base URL ending in `/v1`. */
  baseUrl: string;
  /** What normalisation did, for the user. */
  note?: string;
}

/** Accepts a base URL with or without `/v1`; refuses anything that is not plain http(s). */
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
  url.search = "";
  url.hash = "";
  const path = url.pathname.replace(/\/+$/, "");
  if (/\/v1$/.test(path)) return { baseUrl: `${url.origin}${path}` };
  return { baseUrl: `${url.origin}${path}/v1`, note: "added /v1 to the base URL" };
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
