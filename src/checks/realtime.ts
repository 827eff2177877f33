/**
 * `/v1/realtime` (ext): OpenAI's GA Realtime protocol over WebSocket, text only. The upgrade with `?model=` existing
 * is the route existing; then the event order clients wait on: `session.created` first, `session.update` answered by
 * `session.updated`, a text `response.create` ending in `response.done`. Event shapes are the pinned spec's server
 * events (RealtimeServerEventSessionCreated, RealtimeServerEventSessionUpdated, RealtimeServerEventResponseDone with
 * RealtimeResponse, RealtimeServerEventError; session per RealtimeSessionCreateResponseGA). A missing or out-of-order
 * event FAILs (clients wait for it forever); a missing field WARNs (openai-node's realtime client reads events as
 * they come, unvalidated).
 */
import { pathSegment } from "../http/path-segment.js";
import type { Outcome, ProbeContext } from "../probe/types.js";
import type { Conversation } from "../realtime/session.js";
import type { Problem } from "../report/types.js";
import { fail, warn } from "./expect.js";

type Event = Record<string, unknown>;
const isObject = (v: unknown): v is Event => typeof v === "object" && v !== null && !Array.isArray(v);

const RESPONSE_STATUSES = ["completed", "cancelled", "failed", "incomplete", "in_progress"];

/** Field problems of one server event (the spec requires `event_id` and `type` on every one). */
export function eventProblems(event: Event, at: string): Problem[] {
  const problems: Problem[] = [];
  const source = sourceOf(String(event.type));
  if (typeof event.event_id !== "string")
    problems.push(warn(`${at}/event_id`, "string", typeof event.event_id, source));
  if (event.type === "session.created" || event.type === "session.updated") {
    const session = event.session;
    if (!isObject(session))
      problems.push(fail(`${at}/session`, "the session object", typeof session, source));
    else {
      const ga = "RealtimeSessionCreateResponseGA";
      if (session.type !== "realtime")
        problems.push(
          warn(`${at}/session/type`, '"realtime"', JSON.stringify(session.type) ?? "undefined", ga),
        );
      if (typeof session.id !== "string")
        problems.push(warn(`${at}/session/id`, "string", typeof session.id, ga));
      if (typeof session.object !== "string")
        problems.push(warn(`${at}/session/object`, "string", typeof session.object, ga));
    }
  }
  if (event.type === "response.done") {
    const response = event.response;
    if (!isObject(response))
      problems.push(fail(`${at}/response`, "the response object", typeof response, source));
    else {
      if (typeof response.id !== "string")
        problems.push(warn(`${at}/response/id`, "string", typeof response.id, "RealtimeResponse"));
      if (response.object !== "realtime.response")
        problems.push(
          warn(
            `${at}/response/object`,
            '"realtime.response"',
            JSON.stringify(response.object) ?? "undefined",
            "RealtimeResponse",
          ),
        );
      if (!RESPONSE_STATUSES.includes(String(response.status)))
        problems.push(
          warn(
            `${at}/response/status`,
            RESPONSE_STATUSES.join(" | "),
            JSON.stringify(response.status) ?? "undefined",
            "RealtimeResponse",
          ),
        );
    }
  }
  return problems;
}

const SOURCES: Record<string, string> = {
  "session.created": "RealtimeServerEventSessionCreated",
  "session.updated": "RealtimeServerEventSessionUpdated",
  "response.done": "RealtimeServerEventResponseDone",
  error: "RealtimeServerEventError",
};
const sourceOf = (type: string) => SOURCES[type] ?? "RealtimeServerEvent";

/** A protocol failure that ends the script: the event clients wait on never came, or came out of order. */
class Broken extends Error {
  constructor(readonly problem: Problem) {
    super(problem.got);
  }
}

/** The script: what is waited for is kept in `step`, so a session that ends early says what never came. */
export function realtimeScript(problems: Problem[], step: { waiting: string; seen: string[] }) {
  let n = 0;
  const read = async (c: Conversation): Promise<Event> => {
    const event = await c.next();
    const at = `ws/${n++}`;
    if (!isObject(event) || typeof event.type !== "string")
      throw new Broken(
        fail(at, "a JSON server event with a type", "a frame that is not one", "RealtimeServerEvent"),
      );
    step.seen.push(event.type);
    problems.push(...eventProblems(event, at));
    if (event.type === "error") {
      const message =
        isObject(event.error) && typeof event.error.message === "string" ? event.error.message : "no message";
      throw new Broken(
        fail(at, step.waiting, `error event: ${message.slice(0, 160)}`, "RealtimeServerEventError"),
      );
    }
    return event;
  };
  const until = async (c: Conversation, type: string) => {
    step.waiting = type;
    for (;;) {
      const event = await read(c);
      if (event.type === type) return event;
    }
  };
  return async (c: Conversation) => {
    step.waiting = "session.created";
    const first = await read(c);
    if (first.type !== "session.created")
      throw new Broken(
        fail("ws/0/type", "session.created first", String(first.type), "RealtimeServerEventSessionCreated"),
      );
    c.send({
      type: "session.update",
      session: {
        type: "realtime",
        output_modalities: ["text"],
        instructions: "Answer in one short sentence.",
      },
    });
    await until(c, "session.updated");
    c.send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content: [{ type: "input_text", text: "Say hello." }] },
    });
    c.send({ type: "response.create", response: { output_modalities: ["text"] } });
    const done = await until(c, "response.done");
    // A response.done that reports failure answered nothing (RealtimeResponse.status_details.error says why).
    const response = isObject(done.response) ? done.response : {};
    if (response.status === "failed") {
      const details = isObject(response.status_details) ? response.status_details : {};
      const error = isObject(details.error) ? details.error : {};
      const why = [error.code, error.message].filter((v) => typeof v === "string" && v).join(": ");
      throw new Broken(
        fail(
          `ws/${n - 1}/response/status`,
          "a completed response",
          `response.done with status "failed" (${why.slice(0, 160) || "no error given"})`,
          "RealtimeResponse",
        ),
      );
    }
  };
}

export async function realtime(ctx: ProbeContext): Promise<Outcome> {
  const none = { phase: "B" as const, httpStatus: null, latencyMs: null, problems: [] as Problem[] };
  if (!ctx.http.upgrade) return { ...none, skip: "no WebSocket transport in this context" };
  const model = ctx.models.chat ?? ctx.listedModels[0] ?? "gpt-realtime";
  const problems: Problem[] = [];
  const step = { waiting: "session.created", seen: [] as string[] };
  let broken: Problem | undefined;
  const script = realtimeScript(problems, step);
  const { runSession } = await import("../realtime/session.js");
  const result = await ctx.http.upgrade(ctx.row.path, (target) =>
    runSession(target, `model=${pathSegment(model)}`, async (c) => {
      try {
        await script(c);
      } catch (err) {
        if (err instanceof Broken) broken = err.problem;
        else throw err;
      }
    }),
  );
  const latencyMs = result.latencyMs;
  const { end } = result;
  if (end.kind === "refused") {
    if (end.status === 404) {
      return {
        ...none,
        phase: "A",
        httpStatus: 404,
        latencyMs,
        verdict: { status: "WARN", detail: "404 — not implemented (optional)" },
      };
    }
    const what =
      end.status >= 300 && end.status < 400
        ? "a redirect, not followed"
        : end.body.replace(/\s+/g, " ").slice(0, 120) || "no body";
    return {
      ...none,
      httpStatus: end.status,
      latencyMs,
      problems: [fail("status", "101 Switching Protocols", String(end.status))],
      verdict: { status: "FAIL", detail: `${end.status} — upgrade refused (${what})` },
    };
  }
  const opened = result.exchange.response?.status === 101;
  if (broken) problems.unshift(broken);
  else if (end.kind === "error") {
    const p = fail("ws", step.waiting, end.message, sourceOf(step.waiting));
    problems.unshift(p);
    if (!opened)
      return {
        ...none,
        latencyMs,
        problems,
        verdict: { status: "FAIL", detail: `no WebSocket session: ${end.message}` },
      };
  }
  const outcome: Outcome = { ...none, httpStatus: 101, latencyMs, problems };
  const order = step.seen.length > 0 ? step.seen.slice(0, 6).join(" → ") : "no events";
  if (broken || end.kind === "error") {
    const why = broken
      ? `${broken.expected}, got ${broken.got}`
      : `no ${step.waiting}: ${(end as { message: string }).message}`;
    outcome.verdict = { status: "FAIL", detail: `101 · ${why} (events: ${order})` };
  } else if (problems.length === 0)
    outcome.note = `101 · ${step.seen.length} events · session.created → session.updated → response.done`;
  return outcome;
}

export const realtimeChecks = { "/v1/realtime": realtime };
