/** Byte sizes and strict JSON parsing of untrusted bodies. */
export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${Math.round(n / (1 << 30))} GB`;
  if (n >= 1 << 20) return `${Math.round(n / (1 << 20))} MB`;
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10))} KB`;
  return `${n} B`;
}

/** A JSON object (not an array, not null): the shape of an envelope, a body, a section. */
export const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Several checks read the same response body; each parse of a large one costs its size twice over (the decoded
 * text and the value), so a body is parsed once. Parsed values are shared: readers must not mutate them.
 */
const parsed = new WeakMap<Uint8Array, ParsedJson>();

/** Decodes a body as strict UTF-8 and parses JSON; says precisely what is wrong when it cannot. */
export function parseJson(body: Uint8Array): ParsedJson {
  let result = parsed.get(body);
  if (!result) {
    result = parseUncached(body);
    parsed.set(body, result);
  }
  return result;
}

function parseUncached(body: Uint8Array): ParsedJson {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return { ok: false, reason: "body is not valid UTF-8" };
  }
  if (text.trim() === "") return { ok: false, reason: "empty body" };
  const tooComplex = jsonTooComplex(text);
  if (tooComplex) return { ok: false, reason: `body too complex to analyse (${tooComplex})` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const head = text.trimStart().slice(0, 1);
    return { ok: false, reason: head === "<" ? "body is HTML, not JSON" : "body is not valid JSON" };
  }
}

/**
 * Parse work is bounded like bytes are: V8 builds an object with many keys in quadratic time (1,000,000 keys in
 * one object: seconds of CPU and a gigabyte), and every later walk of a deep value recurses. Real responses have
 * objects with tens of keys (a listing of 100,000 models is 100,000 small objects).
 */
export const JSON_BUDGET = { keysPerObject: 10_000, keys: 1_000_000, depth: 256 } as const;

/** Why `text` exceeds the parse budget, found by a scan that costs far less than parsing; undefined if it does not. */
export function jsonTooComplex(text: string): string | undefined {
  const keys: number[] = [];
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip the string: to the next quote not escaped by an odd run of backslashes.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return undefined;
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
        i = end;
        if (slashes % 2 === 0) break;
      }
    } else if (c === 123 || c === 91) {
      keys.push(c === 123 ? 0 : -1);
      if (keys.length > JSON_BUDGET.depth) return `nested deeper than ${JSON_BUDGET.depth} levels`;
    } else if (c === 125 || c === 93) keys.pop();
    else if (c === 58 && keys.length > 0 && keys[keys.length - 1]! >= 0) {
      const n = ++keys[keys.length - 1]!;
      if (n > JSON_BUDGET.keysPerObject) return `an object with more than ${JSON_BUDGET.keysPerObject} keys`;
      if (++total > JSON_BUDGET.keys) return `more than ${JSON_BUDGET.keys} keys`;
    }
  }
  return undefined;
}

/** `JSON.parse` under the budget: undefined when the text is not JSON or exceeds it. */
export function parseBounded(text: string): { value: unknown } | undefined {
  if (jsonTooComplex(text)) return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * An observed answer's JSON: what the check parsed, else its raw body (an error response) parsed here under the
 * budget. Undefined when empty, over 1 MiB or not JSON.
 */
export function observedJson(obs: { json?: unknown; body?: Uint8Array }): unknown {
  if (obs.json !== undefined) return obs.json;
  if (!obs.body || obs.body.length === 0 || obs.body.length > 1 << 20) return undefined;
  return parseBounded(new TextDecoder().decode(obs.body))?.value;
}
