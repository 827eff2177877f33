/**
 * The usual mistakes in what a user types, fixed where the intent is plain and said once: a URL without a
 * scheme, an endpoint URL pasted where the base URL goes, and $OPENAI_API_KEY set for a host it is never sent to.
 */
import { ENDPOINTS } from "../catalog/endpoints.js";
import { OPENAI_API_HOST } from "../probe/target.js";

/** Endpoint paths after `/v1`, longest first, so `/chat/completions` wins over `/completions`. */
const SUFFIXES = [...new Set(ENDPOINTS.map((e) => e.path.replace(/^\/v1/, "").replace(/\/\{[^}]+\}.*$/, "")))]
  .filter((p) => p !== "")
  .sort((a, b) => b.length - a.length);

export interface FixedUrl {
  url: string;
  /** What was changed, one sentence each. */
  notes: string[];
}

const FOUNDRY_HOST = /\.services\.ai\.azure\.com$/i;

/**
 * Only where what is left is a base URL: ending in /v1, a bare origin (`http://h/chat/completions`), a provider's
 * OpenAI surface (Gemini's `/v1beta/openai`, Cloudflare AI Gateway's `/…/openai` and `/…/compat`), Foundry's `/models`.
 */
function isBasePath(hostname: string, base: string): boolean {
  if (base === "" || /\/(v1|openai|compat)$/.test(base)) return true;
  return base === "/models" && FOUNDRY_HOST.test(hostname);
}

/** `localhost:8080` → `http://localhost:8080`; `…/v1/chat/completions` → `…/v1`. Anything else is left as is. */
export function fixUrl(input: string): FixedUrl {
  const notes: string[] = [];
  let url = input.trim();
  if (
    !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) &&
    /^[\w.-]+(:\d+)?(\/|$)|^\[[0-9a-f:]+\](:\d+)?(\/|$)/i.test(url)
  ) {
    url = `http://${url}`;
    notes.push(`no scheme given: using ${url}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, notes };
  }
  const path = parsed.pathname.replace(/\/+$/, "");
  for (const suffix of SUFFIXES) {
    const at = path.endsWith(suffix) ? path.length - suffix.length : -1;
    if (at < 0) continue;
    const base = path.slice(0, at);
    if (!isBasePath(parsed.hostname, base)) continue;
    // Azure AI Foundry's model inference base is `/models` itself.
    if (base === "" && suffix === "/models" && FOUNDRY_HOST.test(parsed.hostname)) continue;
    parsed.pathname = base || "/";
    url = parsed.toString().replace(/\/$/, "");
    notes.push(`${suffix} is an endpoint, not the base URL: probing ${url}`);
    break;
  }
  return { url, notes };
}

/** Said once when `$OPENAI_API_KEY` is set but, by policy, not sent to this host. */
export function unsentKeyNotice(
  baseUrl: string,
  keySent: boolean,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (keySent || !env.OPENAI_API_KEY) return undefined;
  const host = new URL(baseUrl).hostname;
  if (host === OPENAI_API_HOST) return undefined;
  return `$OPENAI_API_KEY is set but aioc sends it only to ${OPENAI_API_HOST}; to send a key to ${host}, pass --api-key KEY or set $AIOC_API_KEY`;
}
