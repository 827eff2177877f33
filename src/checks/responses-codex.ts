/**
 * The Responses stream as Codex CLI reads it. Codex speaks only the Responses API, always streamed, with
 * `tool_choice: "auto"`, and parses the stream with its own Rust code, not openai-node's, so it breaks on other
 * things: openai-node throws on a response.created without `output`, Codex never looks at it; Codex takes every
 * output item from `response.output_item.done` and ignores the output of response.completed.
 *
 * Source: openai/codex codex-rs/codex-api/src/sse/responses.rs (process_sse: the events it matches, the
 * ResponseCompleted and usage structs it deserialises, "stream closed before response.completed") and
 * codex-rs/protocol/src/models.rs (ResponseItem and ContentItem, the item shapes it deserialises; an item that
 * does not deserialise is dropped). These rows send nothing: they read the [stream] and [tools-stream] rows'
 * bytes. Severity: FAIL when Codex fails the turn or loses the answer or the call, WARN when it copes.
 */
import type { Check, Outcome, ProbeContext } from "../probe/types.js";
import { excerpt } from "./chat-depth.js";
import { asRecord, type Finding, finding, INCONCLUSIVE, settle } from "./depth.js";
import { type Forensics, startForensics } from "./forensics.js";
import { type Event, eventsOf } from "./responses-events.js";

const CODEX = "Codex CLI (codex-rs/codex-api/src/sse/responses.rs)";
const isInt = (v: unknown) => Number.isInteger(v);

/** Why Codex's `ResponseCompleted` (id, optional usage) would not deserialise from this response, if it would not. */
export function completedParseError(response: Record<string, unknown>): string | undefined {
  if (typeof response.id !== "string") return "response has no string id";
  const usage = response.usage;
  if (usage === undefined || usage === null) return undefined;
  const u = asRecord(usage);
  if (!u) return "usage is not an object";
  for (const field of ["input_tokens", "output_tokens", "total_tokens"])
    if (!isInt(u[field])) return `usage.${field} is ${excerpt(u[field])}, not an integer`;
  const nested: [string, string][] = [
    ["input_tokens_details", "cached_tokens"],
    ["output_tokens_details", "reasoning_tokens"],
  ];
  for (const [details, field] of nested) {
    const d = u[details];
    if (d === undefined || d === null) continue;
    if (!isInt(asRecord(d)?.[field])) return `usage.${details}.${field} is missing or not an integer`;
  }
  return undefined;
}

const CONTENT_TYPES = new Set(["input_text", "input_image", "output_text"]);

/** Why Codex's `ResponseItem` would not deserialise from this item (so Codex drops it), if it would not. */
export function itemParseError(item: Record<string, unknown>): string | undefined {
  switch (item.type) {
    case "message": {
      if (typeof item.role !== "string") return "the message has no role";
      if (!Array.isArray(item.content)) return "the message has no content array";
      for (const part of item.content) {
        const p = asRecord(part);
        if (!p || !CONTENT_TYPES.has(String(p.type)))
          return `a content part of type ${excerpt(p?.type)}, which Codex's ContentItem does not know`;
        const field = p.type === "input_image" ? "image_url" : "text";
        if (typeof p[field] !== "string") return `a ${String(p.type)} part without a string ${field}`;
      }
      return undefined;
    }
    case "function_call":
      for (const field of ["name", "arguments", "call_id"])
        if (typeof item[field] !== "string")
          return `the function_call's ${field} is ${excerpt(item[field])}, not a string`;
      return undefined;
    case "reasoning":
      return Array.isArray(item.summary) ? undefined : "the reasoning item has no summary array";
    default:
      // Unknown item types deserialise as ResponseItem::Other and are ignored.
      return undefined;
  }
}

interface Terminal {
  event?: Event;
  response?: Record<string, unknown>;
}

function terminalOf(events: readonly Event[]): Terminal {
  const event = events.findLast((e) =>
    ["response.completed", "response.incomplete", "response.failed"].includes(String(e.type)),
  );
  return { event, response: asRecord(event?.data.response) };
}

/** Codex's whole-stream contract: a response.completed it can parse. */
function completionFindings(t: Terminal): Finding[] {
  if (t.event?.type === "response.failed")
    return [
      finding(
        "fail",
        `stream/${t.event.i}/type`,
        "response.completed",
        "response.failed",
        `the stream ends with response.failed: Codex reports it as the turn's error (${CODEX})`,
      ),
    ];
  if (!t.event || !t.response)
    return [
      finding(
        "fail",
        "stream",
        "response.completed",
        t.event ? `${String(t.event.type)} without a response` : "missing",
        `no response.completed: Codex fails the turn with "stream closed before response.completed" (${CODEX})`,
      ),
    ];
  // Codex handles no response.incomplete; it sets no max_output_tokens, so only aioc's request was cut here.
  if (t.event.type !== "response.completed") return [];
  const why = completedParseError(t.response);
  return why
    ? [
        finding(
          "fail",
          `stream/${t.event.i}/response`,
          "an id and, if usage is given, integer input/output/total tokens",
          why,
          `response.completed does not parse as Codex's ResponseCompleted (${why}): Codex fails the turn (${CODEX})`,
        ),
      ]
    : [];
}

/** Every output item must reach Codex as a response.output_item.done it can deserialise. */
function itemFindings(events: readonly Event[], t: Terminal): Finding[] {
  const findings: Finding[] = [];
  const done = events.filter((e) => e.type === "response.output_item.done");
  const doneIds = new Set<unknown>();
  for (const e of done) {
    const item = asRecord(e.data.item);
    if (!item) {
      findings.push(
        finding(
          "fail",
          `stream/${e.i}/item`,
          "an output item",
          "missing",
          "a response.output_item.done carries no item",
        ),
      );
      continue;
    }
    doneIds.add(item.id);
    const why = itemParseError(item);
    if (why)
      findings.push(
        finding(
          // Codex copes without a reasoning item, and a refusal is the model's (Codex drops it even from OpenAI).
          item.type === "reasoning" || why.includes('"refusal"') ? "warn" : "fail",
          `stream/${e.i}/item`,
          "an item Codex's ResponseItem deserialises",
          why,
          `response.output_item.done at event ${e.i}: ${why}; Codex drops the item (codex-rs/protocol/src/models.rs)`,
        ),
      );
  }
  const output = Array.isArray(t.response?.output) ? (t.response.output as unknown[]) : [];
  const missing = output
    .map((o) => asRecord(o))
    .filter((o): o is Record<string, unknown> => !!o && (o.type === "message" || o.type === "function_call"))
    .filter((o) => (o.id === undefined ? done.length === 0 : !doneIds.has(o.id)));
  const first = missing[0];
  if (first) {
    const lost = first.type === "function_call" ? "the call never runs" : "the answer is not recorded";
    findings.push(
      finding(
        "fail",
        `stream/${t.event?.i}/response/output`,
        "a response.output_item.done for every output item",
        `${missing.length} item(s) only in the final response`,
        `the final response's ${String(first.type)} item never came as a response.output_item.done, the only place Codex reads items from: ${lost} (${CODEX})`,
      ),
    );
  }
  return findings;
}

/** The row's outcome: no request of its own, the base stream's status and bytes. */
const readOutcome = (f: Forensics): Outcome => ({
  phase: "C",
  httpStatus: f.base.httpStatus,
  latencyMs: f.base.latencyMs,
  problems: [],
  observation: { ...f.obs, facts: { ...f.obs.facts, analysedFrom: "base stream row" } },
});

/** Statuses the base-row gate already reports as absent or unauthorised (depth.ts). */
const NOT_THERE = new Set([401, 403, 404, 405, 501]);

/** The base stream's events and what Codex's parser makes of them, or the skip when there is no stream. */
async function codexReading(ctx: ProbeContext) {
  const start = await startForensics(ctx);
  if (start.skip) {
    // The streamed request itself failed (a 500, a gateway error): Codex streams every turn, so it fails too.
    const base = await ctx.dependency();
    const status = base?.httpStatus;
    if (
      base?.verdict?.status === "FAIL" &&
      typeof status === "number" &&
      status >= 400 &&
      !NOT_THERE.has(status)
    )
      return {
        skip: {
          phase: "C" as const,
          httpStatus: status,
          latencyMs: base.latencyMs,
          problems: [],
          verdict: {
            status: "FAIL" as const,
            detail: `the streamed request failed (${base.verdict.detail}): Codex streams every turn`,
          },
        },
      };
    return start;
  }
  const { f } = start;
  const events = eventsOf(f.view.frames);
  const t = terminalOf(events);
  return { f, events, findings: [...completionFindings(t), ...itemFindings(events, t)] };
}

const codexStream: Check = async (ctx) => {
  const read = await codexReading(ctx);
  if ("skip" in read) return read.skip;
  const { f, events, findings } = read;
  const items = events.filter((e) => e.type === "response.output_item.done").length;
  return settle(readOutcome(f), findings, `${f.base.httpStatus} · ${items} item(s) as Codex reads them`);
};

/**
 * The forced call of [tools-stream], read as Codex reads a call. Codex sends tool_choice "auto", so a server that
 * ignored the forcing proves nothing either way about Codex's calls: inconclusive, not a failure.
 */
const codexTools: Check = async (ctx) => {
  const read = await codexReading(ctx);
  if ("skip" in read) return read.skip;
  const { f, events, findings } = read;
  const calls = events
    .filter((e) => e.type === "response.output_item.done")
    .map((e) => asRecord(e.data.item))
    .filter((i) => i?.type === "function_call" && !itemParseError(i));
  if (calls.length === 0 && !findings.some((x) => x.problem.severity === "fail"))
    findings.push(
      finding(
        "warn",
        "stream/output",
        "a function_call item",
        `no function call ${INCONCLUSIVE}`,
        `inconclusive: the answer to the forced tool_choice holds no function call, so Codex's tool path is unproven here (Codex sends tool_choice "auto"; whether a model calls is its own choice then)`,
      ),
    );
  const name = calls[0]?.name;
  return settle(readOutcome(f), findings, `${f.base.httpStatus} · a ${String(name)} call Codex can run`);
};

export const responsesCodexChecks: Record<string, Check> = {
  "/v1/responses[codex-stream]": codexStream,
  "/v1/responses[codex-tools]": codexTools,
};
