/**
 * Stream forensics for the Responses API: typed events in a valid order, increasing sequence numbers, and
 * text deltas that add up to the final text (see forensics.ts for the severity rule).
 */
import type { Check } from "../probe/types.js";
import { excerpt } from "./chat-depth.js";
import { asRecord, type Finding, finding } from "./depth.js";
import { framingFindings, settleForensics, startForensics } from "./forensics.js";
import {
  createdFindings,
  type Event,
  eventsOf,
  itemIdFindings,
  reasoningFindings,
  sequenceStartFindings,
  streamedCalls,
  streamFailedFindings,
  TERMINAL,
  terminalFindings,
} from "./responses-events.js";

function orderFindings(events: Event[]): Finding[] {
  const findings: Finding[] = [];
  const first = events[0];
  if (first && first.type !== "response.created") {
    findings.push(
      finding(
        "fail",
        `stream/${first.i}/type`,
        "response.created",
        excerpt(first.type),
        `the first event is ${excerpt(first.type)}, not response.created (openai-node's stream helper throws)`,
      ),
    );
  }
  if (first?.type === "response.created" && !Array.isArray(asRecord(first.data.response)?.output)) {
    findings.push(
      finding(
        "fail",
        `stream/${first.i}/response/output`,
        "an array",
        "missing",
        'response.created carries no output array (openai-node\'s responses.stream() throws "rsp.output is not iterable")',
      ),
    );
  }
  const last = events.at(-1);
  if (last && !TERMINAL.has(String(last.type))) {
    findings.push(
      finding(
        "fail",
        `stream/${last.i}/type`,
        "response.completed",
        excerpt(last.type),
        `the stream ends with ${excerpt(last.type)}, not response.completed: clients waiting for the final response hang or fail`,
      ),
    );
  }
  return findings;
}

/** openai-node ignores sequence numbers while streaming; they matter when a stream is resumed. */
function sequenceFindings(events: Event[]): Finding[] {
  let previous = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    const n = e.data.sequence_number;
    if (typeof n !== "number") {
      return [
        finding(
          "warn",
          `stream/${e.i}/sequence_number`,
          "an integer",
          "missing",
          `the event at ${e.i} has no sequence_number`,
        ),
      ];
    }
    if (n <= previous) {
      return [
        finding(
          "warn",
          `stream/${e.i}/sequence_number`,
          `greater than ${previous}`,
          String(n),
          `sequence_number ${n} after ${previous}: not strictly increasing (resuming with starting_after would skip or repeat events)`,
        ),
      ];
    }
    previous = n;
  }
  return [];
}

/** Events that name an output item (and a content part) by index; openai-node's accumulator looks them up so. */
const ITEM_EVENTS = /^response\.(output_item|content_part|output_text|function_call_arguments|refusal)\./;
const PART_EVENTS = /^response\.(content_part|output_text|refusal)\./;

/** The first event that lacks `output_index` (or, for a content event, `content_index`). */
function indexFindings(events: Event[]): Finding[] {
  for (const e of events) {
    const type = String(e.type);
    const field = !ITEM_EVENTS.test(type)
      ? undefined
      : typeof e.data.output_index !== "number"
        ? "output_index"
        : PART_EVENTS.test(type) && typeof e.data.content_index !== "number"
          ? "content_index"
          : undefined;
    if (!field) continue;
    const what = field === "output_index" ? "output" : "content";
    return [
      finding(
        "fail",
        `stream/${e.i}/${field}`,
        "an integer",
        "missing",
        `${type} at event ${e.i} has no ${field} (openai-node's responses.stream() throws "missing ${what} at index undefined")`,
      ),
    ];
  }
  return [];
}

interface TextPart {
  deltas: string;
  done?: string;
  deltaAfterDone: boolean;
}

/**
 * Replays the structure openai-node's accumulator relies on: a text delta must extend an output item and a
 * content part announced before it, and the deltas must add up to the text of output_text.done and of the
 * final response.
 */
function textFindings(events: Event[]): { findings: Finding[]; firstDeltaMs?: number; deltas: number } {
  const findings: Finding[] = [];
  const items = new Map<number, unknown>();
  const parts = new Map<string, unknown>();
  const texts = new Map<string, TextPart>();
  /** Output positions by item id: events without output_index are placed by their item_id instead. */
  const byItemId = new Map<string, number>();
  let firstDeltaMs: number | undefined;
  let deltas = 0;
  for (const e of events) {
    const d = e.data;
    const itemId = typeof d.item_id === "string" ? d.item_id : asRecord(d.item)?.id;
    const oi =
      typeof d.output_index === "number"
        ? d.output_index
        : e.type === "response.output_item.added"
          ? items.size
          : (byItemId.get(String(itemId)) ?? -1);
    // A message's one text part is part 0 when the server does not say.
    const ci = typeof d.content_index === "number" ? d.content_index : 0;
    const key = `${oi}/${ci}`;
    if (e.type === "response.output_item.added") {
      items.set(oi, asRecord(d.item)?.type);
      if (typeof itemId === "string") byItemId.set(itemId, oi);
      // openai-node's accumulator keeps the added item as sent: content parts it already carries are there.
      const content = asRecord(d.item)?.content;
      if (Array.isArray(content)) {
        for (const [k, p] of content.entries()) parts.set(`${oi}/${k}`, asRecord(p)?.type);
      }
    }
    if (e.type === "response.content_part.added") parts.set(key, asRecord(d.part)?.type);
    if (e.type === "response.output_text.delta") {
      deltas++;
      if (typeof d.delta === "string" && d.delta && firstDeltaMs === undefined) firstDeltaMs = e.atMs;
      if (!findings.length && !items.has(oi)) {
        findings.push(
          finding(
            "fail",
            `stream/${e.i}/output_index`,
            "an output item added before",
            String(d.output_index ?? d.item_id),
            `a text delta refers to output ${String(d.output_index ?? d.item_id)} before response.output_item.added (openai-node's stream helper throws)`,
          ),
        );
      } else if (!findings.length && items.get(oi) === "message" && parts.get(key) !== "output_text") {
        findings.push(
          finding(
            "fail",
            `stream/${e.i}/content_index`,
            "an output_text part added before",
            String(d.content_index),
            `a text delta refers to content part ${String(d.content_index)} before response.content_part.added (openai-node's stream helper throws)`,
          ),
        );
      }
      const part = texts.get(key) ?? { deltas: "", deltaAfterDone: false };
      texts.set(key, part);
      if (part.done !== undefined) part.deltaAfterDone = true;
      if (typeof d.delta === "string") part.deltas += d.delta;
    }
    if (e.type === "response.output_text.done") {
      const part = texts.get(key) ?? { deltas: "", deltaAfterDone: false };
      texts.set(key, part);
      part.done = typeof d.text === "string" ? d.text : "";
      if (part.done !== part.deltas) {
        findings.push(
          finding(
            "fail",
            `stream/${e.i}/text`,
            excerpt(part.deltas),
            excerpt(part.done),
            `output_text.done says ${excerpt(part.done)} but the deltas add up to ${excerpt(part.deltas)}`,
          ),
        );
      }
    }
  }
  for (const [key, part] of texts) {
    if (part.deltaAfterDone) {
      findings.push(
        finding(
          "warn",
          "stream",
          "output_text.delta before output_text.done",
          "a delta after done",
          `a text delta for output ${key.replace("/", ", content ")} arrives after its output_text.done`,
        ),
      );
    }
  }
  findings.push(...finalTextFindings(events, texts));
  return { findings, firstDeltaMs, deltas };
}

/** The deltas of each part against the text in response.completed's output. */
function finalTextFindings(events: Event[], texts: Map<string, TextPart>): Finding[] {
  const completed = events.findLast((e) => e.type === "response.completed");
  const output = asRecord(completed?.data.response)?.output;
  if (!completed || !Array.isArray(output)) return [];
  for (const [key, part] of texts) {
    const [oi, ci] = key.split("/").map(Number) as [number, number];
    // A delta no output item can be found for is reported where it arrives (textFindings).
    if (oi < 0) continue;
    const text = asRecord((asRecord(output[oi])?.content as unknown[] | undefined)?.[ci])?.text;
    if (text !== part.deltas) {
      return [
        finding(
          "fail",
          `stream/${completed.i}/response/output/${oi}/content/${ci}/text`,
          excerpt(part.deltas),
          excerpt(text),
          `response.completed's text is ${excerpt(text)} but the deltas add up to ${excerpt(part.deltas)}`,
        ),
      ];
    }
  }
  return [];
}

const responsesForensics: Check = async (ctx) => {
  const start = await startForensics(ctx);
  if (start.skip) return start.skip;
  const { f } = start;
  const events = eventsOf(f.view.frames);
  const text = textFindings(events);
  const findings = [
    // The server's own failure first: what it leaves out of the stream follows from it.
    ...streamFailedFindings(events),
    ...framingFindings(f, false),
    ...orderFindings(events),
    ...sequenceFindings(events),
    ...indexFindings(events),
    ...text.findings,
    // Field by field (responses-events.ts): numbering from 0, item ids, created's output, terminal status,
    // function-call arguments and reasoning items.
    ...sequenceStartFindings(events),
    ...itemIdFindings(events),
    ...createdFindings(events),
    ...terminalFindings(events),
    ...streamedCalls(events).findings,
  ];
  const completed = events.findLast((e) => TERMINAL.has(String(e.type)));
  findings.push(
    ...reasoningFindings(
      asRecord(completed?.data.response)?.output,
      `stream/${completed?.i}/response/output`,
    ),
  );
  const used = asRecord(asRecord(completed?.data.response)?.usage)?.output_tokens;
  return settleForensics(f, findings, text.firstDeltaMs, typeof used === "number" ? used : text.deltas);
};

export const responsesForensicsChecks: Record<string, Check> = {
  "/v1/responses[stream-forensics]": responsesForensics,
};
