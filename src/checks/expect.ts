/**
 * Shared Phase B building blocks: send one request, check status, content type, framing and shape.
 * Group check files describe WHAT to send and which shape to expect; this file says HOW it is judged.
 */
import { parseJson } from "../http/json.js";
import type { HttpOutcome, HttpRequest, HttpResponse } from "../http/types.js";
import { modelFlag } from "../probe/models.js";
import type { Observation, Outcome, ProbeContext } from "../probe/types.js";
import type { Problem } from "../report/types.js";
import type { ShapeName } from "../shapes/schemas.js";
import { validateShape } from "../shapes/validate.js";
import { isDone, lostAfterDone, streamView } from "./stream-frames.js";

export function fail(pointer: string, expected: string, got: string, source?: string): Problem {
  return { pointer, expected, got, severity: "fail", ...(source ? { source } : {}) };
}

export function warn(pointer: string, expected: string, got: string, source?: string): Problem {
  return { pointer, expected, got, severity: "warn", ...(source ? { source } : {}) };
}

/** The message of an OpenAI error envelope, or a short excerpt of whatever came back. */
export function errorSummary(body: Uint8Array | undefined): string {
  if (!body || body.length === 0) return "empty body";
  const parsed = parseJson(body);
  if (parsed.ok) {
    const err = (parsed.value as { error?: unknown; detail?: unknown })?.error;
    if (err && typeof err === "object" && typeof (err as { message?: unknown }).message === "string") {
      return (err as { message: string }).message.slice(0, 120);
    }
    if (typeof err === "string") {
      // `{"error": "SyntaxError", "message": "…"}`: the tag alone says little.
      const message = (parsed.value as { message?: unknown }).message;
      return (typeof message === "string" && message !== err ? `${err}: ${message}` : err).slice(0, 120);
    }
    const detail = (parsed.value as { detail?: unknown })?.detail;
    if (detail !== undefined) return JSON.stringify(detail).slice(0, 120);
  }
  return new TextDecoder().decode(body.subarray(0, 120)).replace(/\s+/g, " ").trim();
}

/**
 * A 501 with an OpenAI error envelope says "not implemented" cleanly: WARN, the same on every row of every group
 * and phase (existence, Phase B, Phase C). Undefined for any other answer.
 */
export function notImplemented(
  body: Uint8Array,
  status: number,
): { status: "WARN"; detail: string } | undefined {
  if (status !== 501) return undefined;
  const parsed = parseJson(body);
  if (!parsed.ok || !isErrorEnvelope(parsed.value)) return undefined;
  return { status: "WARN", detail: `501 — not implemented: ${errorSummary(body)}` };
}

export function isErrorEnvelope(value: unknown): boolean {
  const err = (value as { error?: unknown } | null)?.error;
  return !!err && typeof err === "object" && typeof (err as { message?: unknown }).message === "string";
}

export function emptyObservation(): Observation {
  return { status: null, headers: {}, contentType: "", facts: {} };
}

/** Turns a transport-level failure or a non-2xx status into an Outcome; undefined when the response is usable. */
export function unusable(out: HttpOutcome, phase: "B" | "C" = "B"): Outcome | undefined {
  if (!out.ok) {
    return {
      phase,
      httpStatus: out.partial?.status ?? null,
      latencyMs: out.partial?.latencyMs ?? null,
      problems: [fail("http", "a complete response", out.error.message)],
      verdict: { status: "FAIL", detail: out.error.message },
    };
  }
  const { res } = out;
  const unimplemented = notImplemented(res.body, res.status);
  if (unimplemented) {
    return {
      phase,
      httpStatus: 501,
      latencyMs: res.latencyMs,
      problems: [],
      verdict: unimplemented,
      observation: observe(out),
    };
  }
  if (res.status < 200 || res.status >= 300) {
    return {
      phase,
      httpStatus: res.status,
      latencyMs: res.latencyMs,
      problems: [fail("status", "2xx", String(res.status))],
      verdict: { status: "FAIL", detail: `${res.status} — ${errorSummary(res.body)}` },
      observation: observe(out),
    };
  }
  return undefined;
}

export function observe(out: HttpOutcome, sent?: unknown): Observation {
  const res = out.ok ? out.res : out.partial;
  const obs: Observation = {
    status: res?.status ?? null,
    headers: res?.headers ?? {},
    contentType: res?.contentType ?? "",
    body: res?.body,
    facts: {},
  };
  if (sent !== undefined) obs.sent = sent;
  return obs;
}

export function mediaType(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}

/** A complete 2xx response to judge, and the row's observation of it. */
interface Usable {
  res: HttpResponse;
  observation: Observation;
}

type Sent = { unusable: Outcome } | ({ unusable?: undefined } & Usable);

/** Sends the request: the row's outcome when the response is unusable (see `unusable`), else the response. */
export async function sendUsable(ctx: ProbeContext, req: HttpRequest): Promise<Sent> {
  const out = await ctx.http.send(req);
  const bad = unusable(out);
  if (bad || !out.ok) return { unusable: bad! };
  return { res: out.res, observation: observe(out, req.json) };
}

/** The Phase B outcome of a usable response with the problems found in it. */
export function judged({ res, observation }: Usable, problems: Problem[]): Outcome {
  return { phase: "B", httpStatus: res.status, latencyMs: res.latencyMs, problems, observation };
}

/** A failed `header:content-type` problem unless the media type is one of `accepted`. */
export function contentTypeProblems(contentType: string, accepted: readonly string[]): Problem[] {
  if (accepted.includes(mediaType(contentType))) return [];
  return [fail("header:content-type", accepted.join(" or "), contentType || "(none)")];
}

/** Sends a request whose answer must be JSON of the given shape. */
export async function expectJson(ctx: ProbeContext, req: HttpRequest, shape: ShapeName): Promise<Outcome> {
  const sent = await sendUsable(ctx, req);
  if (sent.unusable) return sent.unusable;
  const parsed = parseJson(sent.res.body);
  if (!parsed.ok) {
    return {
      ...judged(sent, [fail("body", "JSON", parsed.reason)]),
      verdict: { status: "FAIL", detail: parsed.reason },
    };
  }
  sent.observation.json = parsed.value;
  const problems = contentTypeProblems(sent.res.contentType, ["application/json"]);
  problems.push(...validateShape(shape, parsed.value));
  return judged(sent, problems);
}

export interface SseExpectation {
  /** Shape of every data frame. */
  frame: ShapeName;
  /** Chat and completions streams end with `data: [DONE]`; Responses streams do not. */
  requireDone: boolean;
}

/** Sends a streaming request: checks framing, parses and validates every frame, records timing. */
export async function expectSse(
  ctx: ProbeContext,
  req: HttpRequest,
  expect: SseExpectation,
): Promise<Outcome> {
  const sent = await sendUsable(ctx, { ...req, sse: {} });
  if (sent.unusable) return sent.unusable;
  const { res, observation } = sent;
  const problems = contentTypeProblems(res.contentType, ["text/event-stream"]);
  const events = res.events ?? [];
  observation.events = events;
  const frames: unknown[] = [];
  const seen = new Set<string>();
  events.forEach((event, i) => {
    if (isDone(event)) return;
    const parsed = parseJson(new TextEncoder().encode(event.data));
    if (!parsed.ok) {
      frames.push(undefined);
      problems.push(fail(`stream/${i}`, "a JSON data frame", parsed.reason));
      return;
    }
    frames.push(parsed.value);
    if (isErrorEnvelope(parsed.value)) {
      problems.push(
        fail(
          `stream/${i}/error`,
          "a chunk",
          `error event: ${errorSummary(new TextEncoder().encode(event.data))}`,
        ),
      );
      return;
    }
    for (const p of validateShape(expect.frame, parsed.value)) {
      // The same defect in every chunk is one finding, reported at its first occurrence.
      const key = `${p.pointer.replace(/\/\d+\//g, "/*/")}|${p.expected}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ ...p, pointer: `stream/${i}${p.pointer}` });
    }
  });
  observation.frames = frames;
  const view = streamView(observation);
  const { sawDone, afterDone } = view;
  observation.sawDone = sawDone;
  if (events.length === 0) {
    const parsed = parseJson(res.body);
    const got = parsed.ok ? "a plain JSON body (no SSE frames)" : "no SSE events";
    problems.push(fail("stream", "SSE data frames", got));
  } else if (expect.requireDone && !sawDone) {
    // openai-node ends at the end of the body, so clients cope: WARN by the README rule.
    problems.push(warn("stream", "terminated by data: [DONE]", "stream ended without [DONE]"));
  }
  if (afterDone > 0) {
    // openai-node stops at [DONE]: what follows is harmless unless the client needed it.
    const lost = lostAfterDone(view);
    problems.push(
      lost.length > 0
        ? fail(
            "stream",
            "nothing after [DONE]",
            `${afterDone} frame(s) after [DONE] carry ${lost.join(" and ")}`,
          )
        : warn("stream", "nothing after [DONE]", `${afterDone} frame(s) after [DONE]`),
    );
  }
  const first = events[0];
  return {
    ...judged(sent, problems),
    note: `${res.status} · ${events.length} events`,
    metrics: {
      ttfbMs: Math.round(res.ttfbMs),
      chunks: events.length,
      ...(first ? { ttftMs: Math.round(first.atMs) } : {}),
    },
  };
}

/** A row that sends nothing and becomes SKIP with `reason`. */
export function skipped(reason: string, phase: "B" | "C" = "B"): Outcome {
  return { phase, httpStatus: null, latencyMs: null, problems: [], skip: reason };
}

/** Requires a model of the row's kind; returns a SKIP outcome when none is known. */
export function requireModel(ctx: ProbeContext): string | Outcome {
  const kind = ctx.row.model;
  if (!kind) throw new Error(`${ctx.row.id} declares no model kind`);
  return ctx.models[kind] || skipped(`no ${kind} model advertised; pass ${modelFlag(kind)}`);
}
