/**
 * Existence calibration. "Not 404" reads as "the route exists" only if the server tells routes apart: a gateway
 * that rejects every request alike (Portkey without routing headers: 400 "Either x-portkey-config or
 * x-portkey-provider header is required"), a catch-all, or a framework's uniform 400/405 answers a path that
 * cannot exist the same way. So one request per run goes to such a path (a random suffix), and a route whose
 * existence answer matches it (status and normalised body) proves nothing: it is absent behind a catch-all, or,
 * when every route answers alike, the whole run is inconclusive and the report says so once.
 */
import { randomBytes } from "node:crypto";
import type { Endpoint } from "../catalog/endpoints.js";
import { errorSummary, fail, isErrorEnvelope, observe } from "../checks/expect.js";
import { parseJson } from "../http/json.js";
import type { HttpOutcome, HttpRequest } from "../http/types.js";
import type { Notice, Result } from "../report/types.js";
import type { Outcome } from "./types.js";

/** Set on the observation of a row that answered like the calibration path (read by Phase C's base gate). */
export const LIKE_NO_ROUTE = "answersLikeNoRoute";

/** The detail of that absent verdict, after its status code (scope.ts recognises the absence by it). */
export const LIKE_NO_ROUTE_DETAIL = "answers exactly like a path that cannot exist, so the route is absent";

/** Did this row get that verdict (an answer equal to the calibration path's)? Read by scope and the notices. */
export const answeredLikeNoRoute = (r: Result): boolean =>
  r.detail.startsWith(`${r.httpStatus} — ${LIKE_NO_ROUTE_DETAIL}`);

interface Fingerprint {
  status: number;
  body: string;
  /** The server's message, for the reader. */
  message: string;
}

/** Bodies are compared on their first KiB once the parts that vary per request are masked. */
const COMPARED = 1024;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The body with what legitimately differs between two requests masked: the request's own path (catch-alls
 * echo it: LM Studio's "Unexpected endpoint or method. (POST /v1/…)"), the method, ids, numbers, whitespace.
 */
export function normalise(body: Uint8Array, url: string): string {
  let text = new TextDecoder().decode(body.subarray(0, COMPARED * 4));
  const { pathname } = new URL(url);
  const parts = [url, pathname, pathname.replace(/^.*?\/v1\//, "/"), pathname.split("/").at(-1) ?? ""];
  for (const part of parts.filter((p) => p.length >= 3)) {
    text = text.replace(new RegExp(escapeRegExp(part), "g"), "<path>");
  }
  return text
    .replace(/\b(GET|POST|PUT|PATCH|DELETE)\b/g, "<method>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<id>")
    .replace(/\b(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{12,}\b/g, "<id>")
    .replace(/\d+/g, "0")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, COMPARED);
}

/** An HTML page's title (a proxy's or a framework's error page, an SPA's index). */
export function htmlTitle(body: Uint8Array): string | undefined {
  const head = new TextDecoder().decode(body.subarray(0, 4096));
  if (!/^\s*(<!doctype html|<html|<head|<title)/i.test(head)) return undefined;
  const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(head)?.[1]?.replace(/\s+/g, " ").trim();
  return title || undefined;
}

/** The server's own words: an error envelope's message, a gateway's top-level `message`, else an excerpt. */
function rejectionMessage(body: Uint8Array): string {
  const title = htmlTitle(body);
  if (title) return `an HTML page: ${title.slice(0, 120)}`;
  const parsed = parseJson(body);
  const message = parsed.ok ? (parsed.value as { message?: unknown } | null)?.message : undefined;
  if (parsed.ok && !isErrorEnvelope(parsed.value) && typeof message === "string")
    return message.slice(0, 120);
  return errorSummary(body);
}

/**
 * Does a 2xx body carry something a route serves? Not an empty object (a server answering `{}` to every path), a
 * body that is nothing but `{"error": …}` (LM Studio answers unknown routes so, with 200), an empty body, or one
 * that is not JSON at all (an SPA's index.html served on every path): those are compared with the calibration
 * answer like errors. (Audio or an event stream that equals the calibration path's answer is a catch-all too.)
 */
function servesSomething(body: Uint8Array): boolean {
  const parsed = parseJson(body);
  if (!parsed.ok) return false;
  const value = parsed.value;
  if (Array.isArray(value)) return value.length > 0;
  if (!value || typeof value !== "object") return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.join() !== "error";
}

function fingerprint(out: HttpOutcome): Fingerprint | undefined {
  if (!out.ok) return undefined;
  const { status, body } = out.res;
  return { status, body: normalise(body, out.exchange.request.url), message: rejectionMessage(body) };
}

/** The row name calibration requests carry (in recordings). */
export const CALIBRATION_ROW = "(calibration)";

export class Calibration {
  /** A path no server serves. */
  readonly path = `/v1/aioc-calibration-${randomBytes(6).toString("hex")}`;
  private answer?: Promise<Fingerprint | undefined>;
  private settled?: Fingerprint;
  /** Rows whose existence answer was indistinguishable from the calibration path's. */
  readonly matched = new Set<string>();
  /** Rows whose existence answer told their route apart from it. */
  private differed = 0;

  constructor(private readonly send: (req: HttpRequest) => Promise<HttpOutcome>) {}

  /** Sends the calibration request (once). */
  start(): Promise<Fingerprint | undefined> {
    this.answer ??= this.send({ method: "POST", path: this.path, json: {} }).then((out) => {
      this.settled = fingerprint(out);
      return this.settled;
    });
    return this.answer;
  }

  /**
   * Is this answer indistinguishable from the calibration path's (so it proves nothing about the route)? A 2xx
   * with a real body proves the route serves something whatever else answers alike (a server that answers every
   * path with its model list still lists models); only errors, and 2xx bodies that serve nothing, are compared.
   */
  async matches(out: HttpOutcome): Promise<boolean> {
    if (out.ok && out.res.status < 300 && servesSomething(out.res.body)) return false;
    const mine = fingerprint(out);
    const like = await this.start();
    return !!mine && !!like && mine.status === like.status && mine.body === like.body;
  }

  /**
   * For a row whose one answer also settles existence (GET rows; POST rows whose Phase B answered): the absent
   * verdict when that answer is the calibration path's; undefined when it tells the route apart.
   */
  async verdict(out: HttpOutcome, row: Endpoint): Promise<Outcome | undefined> {
    if (!(await this.matches(out))) {
      if (out.ok) this.differed++;
      return undefined;
    }
    this.matched.add(row.id);
    return this.absent(out, row, "A");
  }

  /** Existence was shown by an answer unlike the calibration path's (Phase A's): counts for the uniform test. */
  proven(outcome: Outcome): Outcome {
    this.differed++;
    return outcome;
  }

  /**
   * Phase A answered like the calibration path and nothing else settled existence: the route is absent (or,
   * when every route answers alike, unknown: see applyUniformRejection). A row that could not be checked
   * anyway (no model) keeps its skip, without the "route exists" it would have claimed.
   */
  unproven(row: Endpoint, outcome: Outcome | undefined, phaseA: HttpOutcome): Outcome {
    this.matched.add(row.id);
    return outcome?.skip ? outcome : this.absent(phaseA, row, "A");
  }

  private absent(out: HttpOutcome, row: Endpoint, phase: "A" | "B"): Outcome {
    const observation = observe(out);
    observation.facts[LIKE_NO_ROUTE] = true;
    const status = observation.status;
    const message = out.ok ? rejectionMessage(out.res.body) : "";
    const detail = `${status} — ${LIKE_NO_ROUTE_DETAIL} (${message})`;
    const base = {
      phase,
      httpStatus: status,
      latencyMs: out.ok ? out.res.latencyMs : null,
      observation,
    } as const;
    return row.kind === "core"
      ? {
          ...base,
          problems: [fail("status", "the route to exist", `the answer to ${this.path}`)],
          verdict: { status: "FAIL", detail },
        }
      : { ...base, problems: [], verdict: { status: "WARN", detail: `${detail} (optional)` } };
  }

  /** The shared rejection when every route compared answered like the calibration path with an error. */
  uniformRejection(): Fingerprint | undefined {
    const like = this.settled;
    if (!like || like.status < 400 || this.differed > 0 || this.matched.size < 2) return undefined;
    return like;
  }
}

/**
 * When every route rejects requests alike, nothing is known about any of them: the rows that matched become
 * SKIP and the report gets one notice naming the rejection. Returns the notice, or undefined.
 */
export function applyUniformRejection(results: Result[], calibration: Calibration): Notice | undefined {
  const like = calibration.uniformRejection();
  if (!like) return undefined;
  const rejection = `${like.status} ${like.message}`;
  for (const r of results) {
    if (!calibration.matched.has(r.id)) continue;
    r.status = "SKIP";
    r.detail = `inconclusive: every route, even one that cannot exist, answers ${rejection}`;
    r.problems = [];
    r.deviations = [];
  }
  return {
    kind: "uniform-rejection",
    message: `every route rejects requests with: ${rejection}; the server needs something aioc did not send: a header? a key?`,
  };
}
