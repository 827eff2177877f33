/** Phase A: does the route exist? Decided from the status code of a minimal request. */
import type { Endpoint } from "../catalog/endpoints.js";
import { emptyObservation, errorSummary, fail, notImplemented, observe } from "../checks/expect.js";
import type { HttpOutcome } from "../http/types.js";
import { htmlTitle } from "./calibrate.js";
import type { Outcome, RowHttp } from "./types.js";

/**
 * Classifies a response by what its status says about the route. Returns an Outcome when the status
 * settles the row (absent, auth, not implemented, transport failure); undefined when the route exists.
 */
export function existenceVerdict(
  out: HttpOutcome,
  row: Endpoint,
  authenticated: boolean,
  phase: "A" | "B",
): Outcome | undefined {
  if (!out.ok) {
    const observation = out.partial ? observe(out) : emptyObservation();
    return {
      phase,
      httpStatus: out.partial?.status ?? null,
      latencyMs: out.partial?.latencyMs ?? null,
      problems: [fail("http", "a response", out.error.message)],
      verdict: { status: "FAIL", detail: out.error.message },
      observation,
    };
  }
  const { res } = out;
  const base = {
    phase,
    httpStatus: res.status,
    latencyMs: res.latencyMs,
    observation: observe(out),
  } as const;
  if (res.status === 404 && !mentionsModel(res.body)) {
    const absent = fail("status", "the route to exist", "404");
    return row.kind === "core"
      ? { ...base, problems: [absent], verdict: { status: "FAIL", detail: "404 — endpoint absent" } }
      : { ...base, problems: [], verdict: { status: "WARN", detail: "404 — not implemented (optional)" } };
  }
  if (res.status === 405 && row.method === "GET") {
    // The path serves another method (POST /v1/files uploads), not this operation: it is absent, graded as such.
    const allow =
      typeof res.headers.allow === "string" && res.headers.allow ? ` (Allow: ${res.headers.allow})` : "";
    const detail = `405 — GET not allowed${allow}: the operation is absent`;
    return row.kind === "core"
      ? {
          ...base,
          problems: [fail("status", "the route to exist", "405")],
          verdict: { status: "FAIL", detail },
        }
      : { ...base, problems: [], verdict: { status: "WARN", detail: `${detail} (optional)` } };
  }
  if (res.status === 401 || res.status === 403)
    return { ...base, problems: [], skip: authSkip(res, authenticated) };
  if (res.status === 502 || res.status === 504) return { ...base, problems: [], skip: gatewaySkip(res) };
  if (res.status === 501) {
    const unimplemented = notImplemented(res.body, res.status);
    if (unimplemented) return { ...base, problems: [], verdict: unimplemented };
    if (row.kind !== "core") {
      return {
        ...base,
        problems: [],
        verdict: {
          status: "WARN",
          detail: `501 — not implemented (no OpenAI error envelope): ${errorSummary(res.body)}`,
        },
      };
    }
    return {
      ...base,
      problems: [fail("body", "OpenAI error envelope", "other")],
      verdict: { status: "FAIL", detail: `501 without an OpenAI error envelope: ${errorSummary(res.body)}` },
    };
  }
  return undefined;
}

/**
 * 502/504 come from a proxy or gateway that got no (timely) answer from the server behind it for this route (an
 * nginx location whose upstream is down or unset): nothing is known about the route itself.
 */
function gatewaySkip(res: { status: number; body: Uint8Array }): string {
  const title = htmlTitle(res.body);
  const said = title ? `an HTML page: ${title.slice(0, 80)}` : errorSummary(res.body);
  const what = res.status === 502 ? "no valid answer" : "no answer in time";
  return `inconclusive: ${res.status} (${said}): a proxy or gateway in front got ${what} from the server behind it`;
}

/**
 * A refusal for credentials is not a defect of the server: SKIP, saying how to fix it. An HTML page (Cloudflare's
 * "Attention Required!", a proxy's login page) comes from something in front of the API, not from the API.
 */
function authSkip(res: { status: number; body: Uint8Array }, authenticated: boolean): string {
  const title = htmlTitle(res.body);
  if (title) {
    return `${res.status} — refused before the API (an HTML page: ${title.slice(0, 80)}); a firewall or proxy in front? -H sends what it needs`;
  }
  return authenticated
    ? `${res.status} — key rejected: ${errorSummary(res.body)}; check --api-key and how it is sent (--auth bearer|api-key, -H)`
    : `${res.status} — auth required; pass --api-key`;
}

/**
 * A complaint about the model ("model \"\" not found, try pulling it first", code model_not_found; on Azure, whose
 * deployment is the model, code DeploymentNotFound "The API deployment for this resource does not exist"). A URL
 * echoed back (`/v1/models/x`) or a bare "Not Found" is not one.
 */
const MODEL_COMPLAINT =
  /model_not_found|DeploymentNotFound|\bdeployment\b[^/\n]{0,60}?\b(not found|does not exist)|\bmodel\b[^/\n]{0,60}?\b(not found|does not exist|unknown|invalid|required|missing|try pulling)|\b(unknown|invalid|missing|no such) model\b/i;

/** A 404 that complains about the model means the route exists and rejected our (empty) request. */
export function mentionsModel(body: Uint8Array): boolean {
  return MODEL_COMPLAINT.test(new TextDecoder().decode(body.subarray(0, 4096)));
}

/**
 * Does Phase B's answer leave existence open? Only then is Phase A worth a request: a 404 that does not complain
 * about the model, a 405, or no answer at all (nothing sent, or the connection refused or reset before a status;
 * a deadline or a malformed response is not asked again, that would only cost the same again).
 */
export function existenceOpen(out: HttpOutcome | undefined): boolean {
  if (!out) return true;
  if (!out.ok) return !out.partial && (out.error.kind === "connect" || out.error.kind === "reset");
  return (out.res.status === 404 && !mentionsModel(out.res.body)) || out.res.status === 405;
}

/**
 * Phase A for POST rows: an empty JSON object; any of 2xx/400/405/413/415/422 proves the route exists.
 * Sent at most once per route in a run: rows on the same route (a row and its [stream] twin) share the answer.
 */
export class ExistenceProbe {
  private readonly asked = new Map<string, Promise<HttpOutcome>>();

  async probe(
    http: RowHttp,
    row: Endpoint,
    authenticated: boolean,
  ): Promise<{ settled?: Outcome; status: number | null; out: HttpOutcome }> {
    const key = `${row.method} ${row.path}`;
    let answer = this.asked.get(key);
    if (!answer) {
      answer = http.send({ method: row.method, path: row.path, json: {} });
      this.asked.set(key, answer);
    }
    const out = await answer;
    const settled = existenceVerdict(out, row, authenticated, "A");
    return { settled, status: out.ok ? out.res.status : null, out };
  }
}
