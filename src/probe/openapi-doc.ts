/**
 * The server's own OpenAPI document (FastAPI servers such as vLLM, SGLang, LiteLLM and TabbyAPI serve
 * `/openapi.json`). Found once per run and shared: the `openapi:declared` row and the scope rule read the same answer.
 * Hostile-safe by construction: a bounded list of places, each one GET through the row transport (deadline, byte
 * cap, same-origin redirects only), JSON parsed under the parse budget, and only JSON media types taken.
 */
import { formatBytes, parseJson } from "../http/json.js";
import type { RowHttp } from "./types.js";

/** Where servers put it, most common first; the search stops at the first document. */
export const OPENAPI_PLACES = [
  "/openapi.json",
  "/v1/openapi.json",
  "/api/openapi.json",
  "/docs/openapi.json",
  "/swagger.json",
] as const;

/** The largest document read (vLLM's is about 150 KB; OpenAI's own, the largest known, 3.4 MB). */
export const MAX_OPENAPI_BYTES = 8 * 1024 * 1024;

export type OpenapiFound =
  | { kind: "document"; at: string; doc: Record<string, unknown>; bytes: number }
  /** Something answered like a document but could not be read (too big, too complex, not OpenAPI). */
  | { kind: "unreadable"; at: string; reason: string; tried: string[] }
  | { kind: "none"; tried: string[] };

const isJsonType = (ct: string) => /^application\/([\w.+-]*\+)?json\b|^text\/json\b/i.test(ct.trim());

async function tryPlace(
  http: RowHttp,
  at: string,
): Promise<OpenapiFound | { kind: "miss" } | { kind: "bad"; reason: string }> {
  const out = await http.send({ method: "GET", path: at });
  if (!out.ok)
    return out.error.kind === "too-large" ? { kind: "bad", reason: out.error.message } : { kind: "miss" };
  const { res } = out;
  if (res.status !== 200) return { kind: "miss" };
  // An HTML page (an SPA's catch-all, a docs UI) at the place is no document: look further.
  if (!isJsonType(res.contentType)) return { kind: "miss" };
  if (res.truncated || res.body.length > MAX_OPENAPI_BYTES)
    return { kind: "bad", reason: `larger than ${formatBytes(MAX_OPENAPI_BYTES)}` };
  const parsed = parseJson(res.body);
  if (!parsed.ok) return { kind: "bad", reason: parsed.reason };
  const doc = parsed.value as Record<string, unknown> | null;
  const version = doc && typeof doc === "object" ? (doc.openapi ?? doc.swagger) : undefined;
  const paths = doc && typeof doc === "object" ? doc.paths : undefined;
  if (typeof version !== "string" || !paths || typeof paths !== "object" || Array.isArray(paths))
    return { kind: "miss" };
  return { kind: "document", at, doc: doc!, bytes: res.body.length };
}

/** Looks in each place in turn; one document, or why there is none. */
export async function discoverOpenapi(http: RowHttp): Promise<OpenapiFound> {
  const tried: string[] = [];
  let unreadable: { at: string; reason: string } | undefined;
  for (const at of OPENAPI_PLACES) {
    tried.push(at);
    const found = await tryPlace(http, at).catch(() => ({ kind: "miss" as const }));
    if (found.kind === "document") return found;
    if (found.kind === "bad") {
      unreadable ??= { at, reason: found.reason };
      break;
    }
  }
  return unreadable ? { kind: "unreadable", ...unreadable, tried } : { kind: "none", tried };
}

/** One discovery per run, whoever asks first (the row, or the scope rule after the rows). */
export class OpenapiSource {
  private found?: Promise<OpenapiFound>;

  get(http: RowHttp): Promise<OpenapiFound> {
    this.found ??= discoverOpenapi(http);
    return this.found;
  }

  /** Whether a document was looked for this run. */
  get asked(): Promise<OpenapiFound> | undefined {
    return this.found;
  }
}

/** The parsed document, or undefined (the scope rule's view). */
export async function fetchOpenapi(source: OpenapiSource, http: RowHttp): Promise<unknown> {
  const found = await source.get(http);
  return found.kind === "document" ? found.doc : undefined;
}
