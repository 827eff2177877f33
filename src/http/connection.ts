/**
 * How requests reach a target beyond its URL: extra headers, which header carries the key, the base URL's
 * query string (kept on every request), and how catalog paths map onto the target's routes (Azure).
 * Plain data plus two pure helpers, so the transport stays the one place that sends.
 */
import { KEY_HEADERS } from "./credentials.js";
import type { Auth } from "./types.js";

/** Which header carries the key: `Authorization: Bearer KEY` (OpenAI), `api-key: KEY` (Azure), or none. */
export type AuthScheme = "bearer" | "api-key" | "none";
export const AUTH_SCHEMES: readonly AuthScheme[] = ["bearer", "api-key", "none"];

export interface Connection {
  /** Sent on every request (lower-case names); a check's own headers win over them. */
  headers?: Record<string, string>;
  auth?: AuthScheme;
  /** Maps a catalog path (`/v1/chat/completions`, maybe with a query) to the path on the target's origin. */
  routePath?: (path: string) => string;
}

/** Sets the credential headers a request's `auth` asks for. */
export function applyAuth(
  headers: Record<string, string>,
  auth: Auth,
  scheme: AuthScheme,
  key: string | undefined,
  wrongKey: string,
): void {
  if (auth !== "key") {
    // The no-key and wrong-key rows must not send the user's key either, whichever header carries it.
    for (const name of KEY_HEADERS) delete headers[name];
  }
  const value = auth === "wrong" ? wrongKey : auth === "key" ? key : undefined;
  if (!value) return;
  if (scheme === "api-key") headers["api-key"] = value;
  else if (scheme === "bearer" || auth === "wrong") headers.authorization = `Bearer ${value}`;
}

/** Appends the base URL's query string (e.g. Azure's `api-version`) to a request URL's own. */
export function withQuery(url: string, query: string): string {
  if (!query) return url;
  const q = query.replace(/^\?/, "");
  return url.includes("?") ? `${url}&${q}` : `${url}?${q}`;
}

/**
 * Where a catalog path goes under a base URL's path, as the OpenAI SDKs join them: `/v1/X` is `BASE/X` whatever the
 * base is (`/v1`, `/api/v1`, Gemini's `/v1beta/openai`, Cloudflare's `/v1/ACCOUNT/GATEWAY/openai`); a path outside
 * `/v1` (`/openapi.json`) goes under the base with any trailing `/v1` removed. A bare origin's base is `/v1`.
 */
/** The base path catalog `/v1` paths go under (a bare origin's is `/v1`). */
const apiBase = (basePath: string) => basePath.replace(/\/+$/, "") || "/v1";

export function apiPath(basePath: string, path: string): string {
  const api = apiBase(basePath);
  const m = /^\/v1(?=$|[/?])(.*)$/.exec(path);
  if (m) return `${api}${m[1]}`;
  return `${api.replace(/\/v1$/, "")}${path}`;
}

/** The inverse of apiPath for a path aioc sent under `basePath`: the catalog path (`/v1/...`), else undefined. */
export function catalogPath(basePath: string, sent: string): string | undefined {
  const api = apiBase(basePath);
  if (sent === api || sent.startsWith(`${api}/`) || sent.startsWith(`${api}?`))
    return `/v1${sent.slice(api.length)}`;
  const root = api.replace(/\/v1$/, "");
  return root && sent.startsWith(`${root}/`) ? sent.slice(root.length) : undefined;
}
