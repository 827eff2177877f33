/**
 * Decoding layers for secret matching. A server can echo a key percent-encoded (once or twice, upper- or
 * lower-case hex), JSON-escaped (`\/`, `\u0073`), as HTML entities, or mixed; instead of listing spellings,
 * each layer decodes one level of every such escape and remembers, for every decoded character, the span of
 * the original text it came from, so a match found in any layer redacts exactly the original bytes.
 */

/** One decoded view of a text: `text[i]` came from the original span `[start[i], end[i])`. */
export interface Layer {
  text: string;
  start: Int32Array;
  end: Int32Array;
}

/** Layers decoded beyond the original text (enough for double URL-encoding inside a JSON string). */
export const MAX_LAYERS = 3;

/** A character that can start an escape some layer decodes. */
export const ESCAPE_START = /[%&\\]/;

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  quot: '"',
  apos: "'",
  lt: "<",
  gt: ">",
  sol: "/",
  colon: ":",
  plus: "+",
  equals: "=",
  percnt: "%",
  bsol: "\\",
};

const JSON_SIMPLE: Record<string, string> = {
  "/": "/",
  "\\": "\\",
  '"': '"',
  "'": "'",
  n: "\n",
  r: "\r",
  t: "\t",
  b: "\b",
  f: "\f",
};

function hexValue(s: string, from: number, digits: number): number {
  if (from + digits > s.length) return -1;
  let v = 0;
  for (let i = from; i < from + digits; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** The escape at `i` as [decoded text, length in `s`], or undefined when `s[i]` is a plain character. */
function unescapeAt(s: string, i: number): [string, number] | undefined {
  const c = s[i];
  if (c === "%") {
    const v = hexValue(s, i + 1, 2);
    return v < 0 ? undefined : [String.fromCharCode(v), 3];
  }
  if (c === "\\") {
    const next = s[i + 1];
    if (next === undefined) return undefined;
    if (next === "u") {
      const v = hexValue(s, i + 2, 4);
      return v < 0 ? undefined : [String.fromCharCode(v), 6];
    }
    if (next === "x") {
      const v = hexValue(s, i + 2, 2);
      return v < 0 ? undefined : [String.fromCharCode(v), 4];
    }
    const simple = JSON_SIMPLE[next];
    return simple === undefined ? undefined : [simple, 2];
  }
  if (c === "&") {
    const m = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,6}));?/.exec(s.slice(i, i + 12));
    if (!m) return undefined;
    if (m[3] !== undefined) {
      const named = NAMED_ENTITIES[m[3].toLowerCase()];
      if (named === undefined || !m[0].endsWith(";")) return undefined;
      return [named, m[0].length];
    }
    const code = m[1] !== undefined ? Number(m[1]) : Number.parseInt(m[2]!, 16);
    if (code > 0x10ffff) return undefined;
    return [String.fromCodePoint(code), m[0].length];
  }
  return undefined;
}

/** Decodes one level of escapes in `prev`; undefined when it holds none (no further layer can differ). */
export function decodeLayer(prev: Layer): Layer | undefined {
  const s = prev.text;
  if (!ESCAPE_START.test(s)) return undefined;
  const out = new Uint16Array(s.length);
  const start = new Int32Array(s.length);
  const end = new Int32Array(s.length);
  let n = 0;
  let changed = false;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    const escaped = c === 37 || c === 38 || c === 92 ? unescapeAt(s, i) : undefined;
    if (!escaped) {
      out[n] = c;
      start[n] = prev.start[i]!;
      end[n] = prev.end[i]!;
      n++;
      i++;
      continue;
    }
    changed = true;
    const [decoded, length] = escaped;
    // A decoded astral character is two UTF-16 units; both map to the whole escape.
    for (let k = 0; k < decoded.length; k++) {
      out[n] = decoded.charCodeAt(k);
      start[n] = prev.start[i]!;
      end[n] = prev.end[i + length - 1]!;
      n++;
    }
    i += length;
  }
  if (!changed) return undefined;
  return { text: UTF16.decode(out.subarray(0, n)), start: start.subarray(0, n), end: end.subarray(0, n) };
}

const UTF16 = new TextDecoder("utf-16le");

/** The original text as layer 0: every character maps to itself. */
export function identityLayer(text: string): Layer {
  const start = new Int32Array(text.length);
  const end = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    start[i] = i;
    end[i] = i + 1;
  }
  return { text, start, end };
}
