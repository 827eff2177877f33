/**
 * Requests that are meant to be refused (malformed JSON, unknown model, no key…): send, observe the status and
 * the parsed body, and judge the OpenAI error envelope.
 * Pointer conventions (deviation predicates match on them): `status` for the status, `body` for the envelope.
 */
import { parseJson } from "../http/json.js";
import type { HttpRequest } from "../http/types.js";
import type { Outcome, ProbeContext } from "../probe/types.js";
import { validateShape } from "../shapes/validate.js";
import { type Finding, finding } from "./depth.js";
import { errorSummary, isErrorEnvelope, observe, unusable } from "./expect.js";

export interface Refusal {
  outcome: Outcome;
  /** The HTTP status; undefined when there was no complete response (the outcome then already FAILs). */
  status?: number;
  json?: unknown;
}

export async function sendForRefusal(ctx: ProbeContext, req: HttpRequest): Promise<Refusal> {
  const out = await ctx.http.send(req);
  if (!out.ok) return { outcome: unusable(out, "C")! };
  const { res } = out;
  const observation = observe(out, req.json);
  if (req.raw !== undefined) observation.facts.sentRaw = req.raw;
  const parsed = parseJson(res.body);
  if (parsed.ok) observation.json = parsed.value;
  return {
    outcome: { phase: "C", httpStatus: res.status, latencyMs: res.latencyMs, problems: [], observation },
    status: res.status,
    json: parsed.ok ? parsed.value : undefined,
  };
}

/**
 * The body of an error answer. Not the envelope → WARN: openai-node and the AI SDK still raise an API error,
 * but its message becomes the raw body, so users see `{"detail": …}` instead of the reason.
 */
export function envelopeFindings(refusal: Refusal): Finding[] {
  const body = refusal.outcome.observation?.body;
  if (!isErrorEnvelope(refusal.json)) {
    const got = refusal.json === undefined ? "not JSON" : "JSON without error.message";
    return [
      finding(
        "warn",
        "body",
        "the OpenAI error envelope {error: {message, type, param, code}}",
        got,
        `error body is not the OpenAI envelope: ${errorSummary(body)}`,
      ),
    ];
  }
  // type/param/code missing are spec-required warnings; grade() describes them.
  return validateShape("Error", refusal.json).map((problem) => ({
    problem,
    detail: `error envelope: ${problem.pointer.slice(1).replaceAll("/", ".")} ${problem.got === "missing" ? "missing" : `is ${problem.got}`}`,
  }));
}

/** How a 5xx answer to a client mistake breaks clients: openai-node retries 5xx, resending the bad request. */
export function serverFault(status: number, what: string): Finding {
  return finding(
    "fail",
    "status",
    "4xx",
    String(status),
    `${status} for ${what}: a client error reported as a server fault (openai-node retries 5xx, resending it)`,
  );
}

/**
 * The findings for a refusal that should have status `expected`: a 5xx is a server fault, `expected` is judged
 * by its body alone, another 4xx is WARN (`why` adds what that status costs clients). Undefined for a 2xx: the
 * caller decides what accepting the request means.
 */
export function refusalFindings(
  r: Refusal,
  expected: number,
  what: string,
  why: (status: number) => string,
): Finding[] | undefined {
  const status = r.status!;
  if (status < 300) return undefined;
  if (status >= 500) return [serverFault(status, what), ...envelopeFindings(r)];
  const body = envelopeFindings(r);
  if (status === expected) return body;
  return [
    finding(
      "warn",
      "status",
      String(expected),
      String(status),
      `${status} for ${what}; OpenAI answers ${expected}${why(status)}`,
    ),
    ...body,
  ];
}

/** The `error.code` of an envelope, if any. */
export function errorCode(json: unknown): unknown {
  return (json as { error?: { code?: unknown } } | undefined)?.error?.code;
}
