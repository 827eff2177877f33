/**
 * A stream is scrubbed as a whole. A model can echo a key a few characters per delta, so no single event holds
 * enough of it to be recognised; what clients assemble is the concatenation of the string at one JSON path
 * (`choices.0.delta.content`, a tool call's `arguments`, a Responses `delta`) across events of one type. Each
 * such concatenation is scanned, and every piece of a match is redacted in the event it came from; the raw
 * body is then rewritten to carry the scrubbed events, so the SDKs (which re-read it) see the same.
 */
import { parseBounded } from "../http/json.js";
import type { SseEvent } from "../http/types.js";
import { REDACTED, type Scrubber } from "./scrubber.js";

interface Leaf {
  holder: Record<string | number, unknown>;
  key: string | number;
  value: string;
}

interface Parsed {
  root: unknown;
  changed: boolean;
}

export interface ScrubbedStream {
  events: SseEvent[];
  body: Uint8Array;
}

export function scrubStream(scrubber: Scrubber, events: SseEvent[], body: Uint8Array): ScrubbedStream {
  if (!scrubber.active) return { events, body };
  const parsed: (Parsed | undefined)[] = [];
  const groups = new Map<string, { leaf: Leaf; event: number }[]>();
  const add = (group: string, leaf: Leaf, event: number) => {
    const list = groups.get(group) ?? [];
    groups.set(group, list);
    list.push({ leaf, event });
  };
  events.forEach((e, i) => {
    const data = e.data.trimStart();
    let root: unknown;
    if (data.startsWith("{") || data.startsWith("[")) root = parseBounded(e.data)?.value;
    const type = e.event ?? "message";
    if (root !== undefined && typeof root === "object" && root !== null) {
      parsed[i] = { root, changed: false };
      walk(root, "", (path, leaf) => add(`${type} ${path}`, leaf, i));
    } else {
      // Plain-text data: the whole data of consecutive events of one type is the text.
      add(
        `${type} <text>`,
        { holder: e as unknown as Record<string, unknown>, key: "data", value: e.data },
        i,
      );
    }
  });

  const copies = events.map((e) => ({ ...e }));
  for (const list of groups.values()) {
    const joined = list.map((x) => x.leaf.value).join("");
    const spans = scrubber.spans(joined);
    if (spans.length === 0) continue;
    let offset = 0;
    for (const { leaf, event } of list) {
      const from = offset;
      const to = offset + leaf.value.length;
      offset = to;
      const local = spans
        .filter(([a, b]) => a < to && b > from)
        .map(([a, b]) => [Math.max(a, from) - from, Math.min(b, to) - from] as const);
      if (local.length === 0) continue;
      const value = redactPieces(leaf.value, local);
      const p = parsed[event];
      if (p) {
        leaf.holder[leaf.key] = value;
        p.changed = true;
      } else copies[event]!.data = value;
    }
  }
  const originals = events.map((e) => e.data);
  parsed.forEach((p, i) => {
    if (p?.changed) copies[i]!.data = JSON.stringify(p.root);
  });
  // Property names, and anything the joins did not cover, with the plain scan.
  for (const c of copies) c.data = scrubber.text(c.data);
  const changed = copies.some((c, i) => c.data !== originals[i]);
  if (!changed) return { events, body: scrubber.bytes(body) };
  return { events: copies, body: scrubber.bytes(rewriteBody(body, originals, copies)) };
}

/** Each piece of a match becomes `[REDACTED]` (a piece of a key is as secret as the key). */
function redactPieces(value: string, spans: readonly (readonly [number, number])[]): string {
  let out = "";
  let at = 0;
  for (const [a, b] of spans) {
    out += value.slice(at, a) + REDACTED;
    at = b;
  }
  return out + value.slice(at);
}

function walk(node: unknown, path: string, visit: (path: string, leaf: Leaf) => void): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      const p = `${path}.${i}`;
      if (typeof v === "string") visit(p, { holder: node as never, key: i, value: v });
      else walk(v, p, visit);
    });
  } else if (node && typeof node === "object") {
    const obj = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      const p = `${path}.${k}`;
      if (typeof v === "string") visit(p, { holder: obj, key: k, value: v });
      else walk(v, p, visit);
    }
  }
}

/**
 * The raw body with each changed event's data replaced, found in order. Single-line data (every JSON event a
 * real server sends) is replaced exactly; a multi-line event is left to the plain byte scan that follows.
 */
function rewriteBody(
  body: Uint8Array,
  originals: readonly string[],
  copies: readonly SseEvent[],
): Uint8Array {
  const raw = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("latin1");
  const parts: string[] = [];
  let cursor = 0;
  originals.forEach((original, i) => {
    const next = copies[i]!.data;
    if (next === original || original.includes("\n") || original === "") return;
    const needle = Buffer.from(original, "utf8").toString("latin1");
    const at = raw.indexOf(needle, cursor);
    if (at < 0) return;
    parts.push(raw.slice(cursor, at), Buffer.from(next, "utf8").toString("latin1"));
    cursor = at + needle.length;
  });
  parts.push(raw.slice(cursor));
  return Buffer.from(parts.join(""), "latin1");
}
