/**
 * A `fetch` for real client libraries (openai-node, the AI SDK) that goes through a row's HTTP: every request
 * is counted, shares the concurrency cap, has the transport's deadline and body cap, and is recorded redacted.
 *
 * Only the path and query of the URL are used; they resolve against the target like `HttpRequest.path`. The
 * origin is ignored, so a client can never send the key anywhere but the target: clients are given
 * `CLIENT_BASE_URL` as their base URL. The client's own `Authorization` header is dropped and the transport
 * adds the configured key (or none), exactly as for aioc's own requests.
 *
 * Responses are buffered (the transport reads the whole body under its cap) and then handed back as a
 * `Response`; SSE streams therefore arrive all at once, which clients handle like a fast server.
 */
import type { HttpRequest, HttpResponse } from "../http/types.js";
import type { RowHttp } from "./types.js";

/** The base URL clients are configured with; its origin is a placeholder (see above). */
export const CLIENT_BASE_URL = "http://target.aioc.invalid/v1";

const METHODS = new Set(["GET", "POST", "DELETE", "PUT", "PATCH"]);
/** Statuses whose Response must not carry a body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** The client's request as aioc's own (origin dropped, Authorization dropped: the transport adds the key). */
export async function toHttpRequest(input: RequestInfo | URL, init: RequestInit = {}): Promise<HttpRequest> {
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request ? request.url : String(input));
  const method = (init.method ?? request?.method ?? "GET").toUpperCase();
  if (!METHODS.has(method)) throw new TypeError(`aioc fetch: unsupported method ${method}`);
  const headers = Object.fromEntries(new Headers(init.headers ?? request?.headers));
  delete headers.authorization;
  delete headers.host;
  delete headers["content-length"];
  const req: HttpRequest = {
    method: method as HttpRequest["method"],
    path: `${url.pathname}${url.search}`,
    headers,
  };
  const body = init.body ?? (request?.body ? await request.text() : undefined);
  if (body === undefined || body === null) return req;
  if (typeof body === "string") req.raw = body;
  else if (body instanceof FormData) {
    req.form = body;
    delete headers["content-type"]; // fetch writes the multipart boundary itself
  } else if (body instanceof URLSearchParams) {
    req.raw = body.toString();
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  } else throw new TypeError("aioc fetch: unsupported request body type");
  return req;
}

/** Whether a client request never touches the network: openai-node probes FormData support with `fetch("data:,")`. */
export function isLocalHref(input: RequestInfo | URL): boolean {
  return (input instanceof Request ? input.url : String(input)).startsWith("data:");
}

/** Settles with `work`, or rejects as fetch does when `signal` aborts first. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      signal.addEventListener("abort", () => reject(abortError(signal)), { once: true }),
    ),
  ]);
}

/** What `toResponse` reads of a transport outcome (all a client worker gets of it). */
export type FetchOutcome =
  | { ok: true; res: Pick<HttpResponse, "status" | "headers" | "body"> }
  | { ok: false; error: { message: string } };

/** The transport's answer as the `Response` a fetch caller expects (or fetch's TypeError for a failure). */
export function toResponse(out: FetchOutcome): Response {
  if (!out.ok)
    throw new TypeError(`fetch failed: ${out.error.message}`, { cause: new Error(out.error.message) });
  const { res } = out;
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    // The body is already decoded; passing these on would make a client decode it again or distrust it.
    if (name === "content-encoding" || name === "content-length" || name === "transfer-encoding") continue;
    headers.set(name, value);
  }
  // The transport builds bodies from node:http chunks, backed by plain ArrayBuffers (never shared memory).
  const body = NULL_BODY.has(res.status) ? null : (res.body as Uint8Array<ArrayBuffer>);
  return new Response(body, { status: res.status, headers });
}

export const signalOf = (input: RequestInfo | URL, init?: RequestInit) =>
  init?.signal ?? (input instanceof Request ? input.signal : undefined);

/** A fetch-compatible function bound to one row's HTTP. */
export function fetchVia(http: RowHttp): typeof fetch {
  return async (input, init) => {
    if (isLocalHref(input)) return fetch(input instanceof Request ? input.url : String(input));
    const signal = signalOf(input, init);
    if (signal?.aborted) throw abortError(signal);
    const req = await toHttpRequest(input, init);
    return toResponse(await raceAbort(http.send(req), signal));
  };
}
