/**
 * Field-by-field findings on a Responses event stream, shared by [stream-forensics] and [tools-stream]:
 * sequence numbers from 0, item ids consistent with response.output_item.added, response.created's empty output,
 * the terminal event's status, function-call argument deltas, and the shape of reasoning items (when present).
 * Severity as in forensics.ts: FAIL when openai-node's helper breaks, WARN when clients cope.
 */
import { validateShape } from "../shapes/validate.js";
import { excerpt } from "./chat-depth.js";
import { asRecord, type Finding, finding } from "./depth.js";
import type { Frame } from "./stream-frames.js";

export interface Event {
  i: number;
  atMs: number;
  data: Record<string, unknown>;
  type: unknown;
}

export const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

export const eventsOf = (frames: readonly Frame[]): Event[] =>
  frames.flatMap((fr) => {
    const data = asRecord(fr.data);
    return data ? [{ i: fr.i, atMs: fr.atMs, data, type: data.type }] : [];
  });

/** What a failed Response or an error event says about why (ResponseError, ResponseErrorEvent: code, message). */
function failureOf(error: unknown): string {
  const e = asRecord(error);
  const nested = asRecord(e?.error);
  const say = (r: Record<string, unknown> | undefined) =>
    [r?.code, r?.message].filter((v) => typeof v === "string" && v).join(": ");
  return (say(e) || say(nested) || "no error given").slice(0, 160);
}

/**
 * The server's own failure comes before anything judged in the output: a Response with `status: "failed"`
 * answers nothing, so neither the model nor an ignored parameter is to blame for what it lacks.
 */
export function failedFindings(response: Record<string, unknown> | undefined, at = ""): Finding[] {
  if (response?.status !== "failed") return [];
  return [
    finding(
      "fail",
      `${at}/status`,
      "completed (or incomplete)",
      "failed",
      `the server failed the response (status "failed"): ${failureOf(response.error)}`,
    ),
  ];
}

/** A stream's failure: an `error` event (ResponseErrorEvent), or response.failed where it should complete. */
export function streamFailedFindings(events: readonly Event[]): Finding[] {
  const error = events.find((e) => e.type === "error");
  if (error) {
    return [
      finding(
        "fail",
        `stream/${error.i}`,
        "no error event",
        "an error event",
        `the stream carries an error event at ${error.i}: ${failureOf(error.data)}`,
      ),
    ];
  }
  const failed = events.find((e) => e.type === "response.failed");
  if (!failed) return [];
  return [
    finding(
      "fail",
      `stream/${failed.i}/type`,
      "response.completed",
      "response.failed",
      `the stream ends with response.failed: ${failureOf(asRecord(failed.data.response)?.error)}`,
    ),
  ];
}

/** OpenAI numbers events from 0; openai-node ignores the numbers, a resumed stream (starting_after) needs them. */
export function sequenceStartFindings(events: readonly Event[]): Finding[] {
  const first = events[0];
  const n = first?.data.sequence_number;
  if (!first || typeof n !== "number" || n === 0) return [];
  return [
    finding(
      "warn",
      `stream/${first.i}/sequence_number`,
      "0",
      String(n),
      `sequence_number starts at ${n}, not 0 (resuming with starting_after counts from 0)`,
    ),
  ];
}

/** response.created carries the response as it starts: `output: []` (openai-node's snapshot starts from it). */
export function createdFindings(events: readonly Event[]): Finding[] {
  const created = events.find((e) => e.type === "response.created");
  const output = asRecord(created?.data.response)?.output;
  if (!created || !Array.isArray(output) || output.length === 0) return [];
  return [
    finding(
      "warn",
      `stream/${created.i}/response/output`,
      "[]",
      `${output.length} item(s)`,
      `response.created already carries ${output.length} output item(s): openai-node's helper would add the streamed items after them`,
    ),
  ];
}

/**
 * Every event naming an item by `item_id` must name the item response.output_item.added put at its
 * `output_index`: clients that file events by id (the Agents SDK, Codex) and those that file by index must agree.
 */
export function itemIdFindings(events: readonly Event[]): Finding[] {
  const ids = new Map<number, unknown>();
  for (const e of events) {
    const d = e.data;
    if (e.type === "response.output_item.added" && typeof d.output_index === "number") {
      ids.set(d.output_index, asRecord(d.item)?.id);
      continue;
    }
    if (typeof d.item_id !== "string" || typeof d.output_index !== "number") continue;
    const expected = ids.get(d.output_index);
    if (typeof expected === "string" && expected !== d.item_id) {
      return [
        finding(
          "fail",
          `stream/${e.i}/item_id`,
          expected,
          d.item_id,
          `${String(e.type)} at event ${e.i} names item ${excerpt(d.item_id)} at output ${d.output_index}, where response.output_item.added put ${excerpt(expected)}`,
        ),
      ];
    }
  }
  return [];
}

/** The terminal event's response must say what the event says: incomplete with a reason, completed, failed. */
export function terminalFindings(events: readonly Event[]): Finding[] {
  const last = events.findLast((e) => TERMINAL.has(String(e.type)));
  const response = asRecord(last?.data.response);
  if (!last || !response) return [];
  const want = String(last.type).slice("response.".length);
  if (response.status !== want) {
    return [
      finding(
        "fail",
        `stream/${last.i}/response/status`,
        want,
        excerpt(response.status),
        `${String(last.type)} carries a response whose status is ${excerpt(response.status)}`,
      ),
    ];
  }
  const reason = asRecord(response.incomplete_details)?.reason;
  if (want === "incomplete" && typeof reason !== "string") {
    return [
      finding(
        "warn",
        `stream/${last.i}/response/incomplete_details/reason`,
        "a reason (max_output_tokens, content_filter)",
        "missing",
        "response.incomplete does not say why (incomplete_details.reason)",
      ),
    ];
  }
  return [];
}

export interface StreamedCall {
  key: string;
  itemId: unknown;
  name: unknown;
  deltas: string;
  done?: { arguments: unknown; name: unknown; at: number };
  item?: Record<string, unknown>;
}

/**
 * Function calls as a client assembles them: the item announced by output_item.added, its argument deltas,
 * the .done event and output_item.done; findings where the pieces disagree.
 */
export function streamedCalls(events: readonly Event[]): { calls: StreamedCall[]; findings: Finding[] } {
  const byKey = new Map<string, StreamedCall>();
  const indexOf = new Map<string, number>();
  const findings: Finding[] = [];
  const keyOf = (d: Record<string, unknown>): string => {
    if (typeof d.output_index === "number") return String(d.output_index);
    const id = typeof d.item_id === "string" ? d.item_id : asRecord(d.item)?.id;
    return String(indexOf.get(String(id)) ?? id);
  };
  for (const e of events) {
    const d = e.data;
    const item = asRecord(d.item);
    if (e.type === "response.output_item.added" && item?.type === "function_call") {
      const key = typeof d.output_index === "number" ? String(d.output_index) : String(byKey.size);
      if (typeof item.id === "string") indexOf.set(item.id, Number(key));
      // openai-node appends the deltas to the added item's arguments (ResponseAccumulator), "" as OpenAI sends it.
      const sent = typeof item.arguments === "string" ? item.arguments : "";
      byKey.set(key, { key, itemId: item.id, name: item.name, deltas: sent });
    }
    const call = byKey.get(keyOf(d));
    if (e.type === "response.function_call_arguments.delta") {
      if (!call) {
        findings.push(
          finding(
            "fail",
            `stream/${e.i}/output_index`,
            "a function_call item added before",
            String(d.output_index ?? d.item_id),
            `function_call_arguments.delta at event ${e.i} extends no function_call item announced by output_item.added`,
          ),
        );
        continue;
      }
      if (typeof d.delta === "string") call.deltas += d.delta;
    }
    if (e.type === "response.function_call_arguments.done" && call) {
      call.done = { arguments: d.arguments, name: d.name, at: e.i };
      for (const p of validateShape("ResponseFunctionCallArgumentsDoneEvent", d))
        findings.push({ problem: { ...p, pointer: `stream/${e.i}${p.pointer}` }, detail: "" });
    }
    if (e.type === "response.output_item.done" && item?.type === "function_call" && call) call.item = item;
  }
  const calls = [...byKey.values()];
  for (const call of calls) findings.push(...callFindings(call));
  return { calls, findings: findings.map(withDetail) };
}

const withDetail = (f: Finding): Finding =>
  f.detail
    ? f
    : { ...f, detail: `${f.problem.pointer}: expected ${f.problem.expected}, got ${f.problem.got}` };

function callFindings(call: StreamedCall): Finding[] {
  const at = `stream/output/${call.key}`;
  if (!call.done) {
    // The AI SDK and Codex take the call from output_item.done, openai-node from response.completed: with the
    // whole call in output_item.done they run it; without it, a client waiting for the arguments never does.
    const whole = call.item && call.item.arguments === call.deltas;
    return [
      whole
        ? finding(
            "warn",
            at,
            "response.function_call_arguments.done",
            "none",
            `function call ${excerpt(call.itemId)} never gets function_call_arguments.done (the spec's event; clients that read the call from output_item.done cope)`,
          )
        : finding(
            "fail",
            at,
            "response.function_call_arguments.done",
            "none",
            `function call ${excerpt(call.itemId)} never gets function_call_arguments.done nor a whole output_item.done (clients waiting for the arguments never run the tool)`,
          ),
    ];
  }
  if (call.done.arguments !== call.deltas) {
    return [
      finding(
        "fail",
        `stream/${call.done.at}/arguments`,
        excerpt(call.deltas),
        excerpt(call.done.arguments),
        `function_call_arguments.done says ${excerpt(call.done.arguments)} but the deltas add up to ${excerpt(call.deltas)}`,
      ),
    ];
  }
  if (call.item && call.item.arguments !== call.deltas) {
    return [
      finding(
        "fail",
        `${at}/arguments`,
        excerpt(call.deltas),
        excerpt(call.item.arguments),
        `output_item.done's function_call says arguments ${excerpt(call.item.arguments)}, the deltas ${excerpt(call.deltas)}`,
      ),
    ];
  }
  return [];
}

/** Reasoning items are optional; one that is sent must have the ReasoningItem shape (clients echo it back). */
export function reasoningFindings(output: unknown, at: string): Finding[] {
  if (!Array.isArray(output)) return [];
  return output.flatMap((item, k) => {
    if (asRecord(item)?.type !== "reasoning") return [];
    return validateShape("ReasoningItem", item).map((p) =>
      withDetail({
        problem: { ...p, pointer: `${at}/${k}${p.pointer}` },
        detail: `reasoning item ${k}: ${p.pointer.slice(1) || "item"} is ${p.got}, expected ${p.expected}`,
      }),
    );
  });
}
