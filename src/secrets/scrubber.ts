/**
 * Secrets never reach any output. The scrubber finds a secret in text a server sent (or in the user's own
 * secret-bearing inputs, such as a URL with a key in its query) however it was spelled, and replaces it:
 *
 * - any 8 or more contiguous characters of the secret count as the secret (so a key cut at a clip point, or
 *   split across stream deltas, is still caught); a well-known prefix such as `sk-` alone does not;
 * - matching is case-insensitive and runs on every decoding layer (percent-encoding once or twice, JSON
 *   escapes, HTML entities; see normalize.ts), redacting the original characters the match came from;
 * - hex and base64 spellings (e.g. `base64("Bearer " + key)`) are matched as derived secrets.
 *
 * Secrets shorter than 8 characters cannot be told from ordinary words (`EMPTY`, `ollama`, `wrong`), so they
 * are not matched at all; callers say so once (`unreliable`).
 */
import { decodeLayer, ESCAPE_START, identityLayer, type Layer, MAX_LAYERS } from "./normalize.js";

export const REDACTED = "[REDACTED]";
const REDACTED_BYTES = Buffer.from(REDACTED);
/** Shortest secret, and shortest fragment of one, that is redacted. */
export const MIN_SECRET = 8;
/** Longer texts are scanned in windows of this size, overlapping by OVERLAP (far more than an encoded key). */
const WINDOW = 1 << 20;
const OVERLAP = 16 << 10;

/** Prefixes that name a key's kind rather than being secret (`sk-proj-…`, `hf_…`, `gsk_…`). */
const PUBLIC_PREFIX = /^(?:[a-z]{2,6}[-_])(?:(?:proj|live|test|admin|svcacct|ant|or|v1)[-_])?/i;

interface Needle {
  /** Fragment length: this many contiguous characters of the needle are a match. */
  k: number;
  grams: Set<string>;
  /** The first 8 characters of each gram: what the rolling scan looks for. */
  heads: Set<string>;
}

function needle(k: number, grams: Set<string>): Needle {
  return { k, grams, heads: new Set([...grams].map((g) => g.slice(0, MIN_SECRET))) };
}

export class Scrubber {
  readonly secrets: readonly string[];
  /** Secrets too short to be redacted reliably. */
  readonly unreliable: readonly string[];
  private readonly needles: Needle[];
  /** A bit filter of the hashes of the needles' 8-character heads. */
  private readonly filter = new Uint8Array(FILTER_MASK + 1);

  constructor(secrets: readonly (string | undefined)[]) {
    const given = [...new Set(secrets.filter((s): s is string => !!s))];
    this.secrets = given.filter((s) => s.length >= MIN_SECRET);
    this.unreliable = given.filter((s) => s.length < MIN_SECRET);
    this.needles = this.secrets.flatMap(needlesFor);
    for (const n of this.needles) {
      for (const head of n.heads) {
        const h = hash(head, 0, MIN_SECRET);
        this.filter[(h >>> 3) & FILTER_MASK]! |= 1 << (h & 7);
      }
    }
  }

  get active(): boolean {
    return this.needles.length > 0;
  }

  /** `text` with every secret replaced by `[REDACTED]`. */
  text(text: string): string {
    if (!this.active || text.length < MIN_SECRET) return text;
    return applySpans(text, this.spans(text));
  }

  /**
   * Bytes (any encoding; scanned as Latin-1, which keeps every byte) with every secret replaced. Scanned a
   * window at a time, so a clean body costs no copy of itself.
   */
  bytes(body: Uint8Array): Uint8Array {
    if (!this.active || body.length < MIN_SECRET) return body;
    const buf = asBuffer(body);
    const found: [number, number][] = [];
    for (const spans of this.windows(buf.length, latin1(buf))) found.push(...spans);
    return replaceBytes(buf, body, merge(found));
  }

  /** `bytes`, yielding to the event loop between windows: a 16 MB body never stalls other requests. */
  async bytesAsync(body: Uint8Array): Promise<Uint8Array> {
    if (!this.active || body.length <= WINDOW) return this.bytes(body);
    const buf = asBuffer(body);
    const found: [number, number][] = [];
    for (const spans of this.windows(buf.length, latin1(buf))) {
      found.push(...spans);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return replaceBytes(buf, body, merge(found));
  }

  /** Sorted, merged `[start, end)` spans of `text` that are (spellings of) a secret. */
  spans(text: string): [number, number][] {
    if (!this.active) return [];
    const found: [number, number][] = [];
    const slice = (a: number, b: number) => (a === 0 && b >= text.length ? text : text.slice(a, b));
    for (const spans of this.windows(text.length, slice)) found.push(...spans);
    return merge(found);
  }

  /** The spans of each window in turn, in whole-text offsets. */
  private *windows(
    length: number,
    slice: (from: number, to: number) => string,
  ): Generator<[number, number][]> {
    for (let from = 0; from < length; from += WINDOW) {
      const to = Math.min(length, from + WINDOW + OVERLAP);
      yield this.windowSpans(slice(from, to)).map(([a, b]) => [a + from, b + from] as [number, number]);
      if (to >= length) break;
    }
  }

  private windowSpans(text: string): [number, number][] {
    const out: [number, number][] = [];
    // Layer 0 needs no maps; later layers exist only when there is something to decode.
    for (const [a, b] of this.match(text)) out.push([a, b]);
    if (!ESCAPE_START.test(text)) return out;
    let layer: Layer | undefined = identityLayer(text);
    for (let depth = 0; depth < MAX_LAYERS; depth++) {
      layer = decodeLayer(layer);
      if (!layer) break;
      for (const [a, b] of this.match(layer.text)) out.push([layer.start[a]!, layer.end[b - 1]!]);
    }
    return out;
  }

  /**
   * Spans of `text` covered by a fragment of some needle (case-folded). One rolling hash of 8 characters runs
   * over the text; a bit filter of the needles' 8-character heads lets only rare positions build a string.
   */
  private match(text: string): [number, number][] {
    const spans: [number, number][] = [];
    const folded = foldAscii(text);
    const k = MIN_SECRET;
    if (folded.length < k) return spans;
    const filter = this.filter;
    const pow = powMod(k);
    let h = hash(folded, 0, k);
    let run: [number, number] | undefined;
    for (let i = 0; ; i++) {
      if ((filter[(h >>> 3) & FILTER_MASK]! & (1 << (h & 7))) !== 0) {
        const head = folded.slice(i, i + k);
        for (const n of this.needles) {
          if (!n.heads.has(head) || (n.k > k && !n.grams.has(folded.slice(i, i + n.k)))) continue;
          if (run && run[1] >= i) run[1] = Math.max(run[1], i + n.k);
          else {
            run = [i, i + n.k];
            spans.push(run);
          }
        }
      }
      if (i + k >= folded.length) break;
      h = (Math.imul((h - Math.imul(folded.charCodeAt(i), pow)) | 0, BASE) + folded.charCodeAt(i + k)) | 0;
    }
    return spans;
  }

  /** A copy of a JSON-like value with every string (values and property names) scrubbed. */
  value<T>(v: T): T {
    if (!this.active) return v;
    const walk = (x: unknown): unknown => {
      if (typeof x === "string") return this.text(x);
      if (Array.isArray(x)) return x.map(walk);
      if (x && typeof x === "object") {
        return Object.fromEntries(Object.entries(x).map(([key, val]) => [this.text(key), walk(val)]));
      }
      return x;
    };
    return walk(v) as T;
  }
}

const BASE = 31;
/** 2^20 bits: a false hit for about one text position in 10,000. */
const FILTER_MASK = (1 << 17) - 1;

/** BASE^(k-1): the weight of the character leaving the rolling window. */
function powMod(k: number): number {
  let p = 1;
  for (let i = 0; i < k - 1; i++) p = Math.imul(p, BASE);
  return p;
}

function hash(s: string, from: number, k: number): number {
  let h = 0;
  for (let i = from; i < from + k; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/** ASCII case folding keeps every index in place (full Unicode folding can change lengths). */
function foldAscii(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

function gramsOf(s: string, k: number): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i + k <= s.length; i++) grams.add(s.slice(i, i + k));
  return grams;
}

function needlesFor(secret: string): Needle[] {
  const folded = foldAscii(secret);
  const prefix = PUBLIC_PREFIX.exec(secret)?.[0].length ?? 0;
  const needles: Needle[] = [];
  // Fragments of the secret part; the public prefix is redacted only together with 8 secret characters.
  const skip = secret.length - prefix >= MIN_SECRET ? prefix : 0;
  needles.push(needle(MIN_SECRET, gramsOf(folded.slice(skip), MIN_SECRET)));
  if (skip > 0) needles.push(needle(skip + MIN_SECRET, new Set([folded.slice(0, skip + MIN_SECRET)])));
  const bytes = Buffer.from(secret, "utf8");
  // Hex: 8 secret bytes are 16 hex digits.
  needles.push(needle(2 * MIN_SECRET, gramsOf(bytes.toString("hex"), 2 * MIN_SECRET)));
  // Base64 and base64url at each of the three alignments a secret can have inside a longer encoded string; only
  // characters determined by the secret's bits alone. 11 characters carry 8 bytes.
  const b64: string[] = [];
  for (let align = 0; align < 3; align++) {
    const padded = Buffer.concat([Buffer.alloc(align), bytes, Buffer.alloc(2)]);
    const encoded = padded.toString("base64");
    const core = encoded.slice(Math.ceil((8 * align) / 6), Math.floor((8 * (align + bytes.length)) / 6));
    b64.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  const k64 = Math.ceil((8 * MIN_SECRET) / 6);
  const grams = new Set<string>();
  for (const core of b64) for (const g of gramsOf(foldAscii(core), k64)) grams.add(g);
  needles.push(needle(k64, grams));
  return needles.filter((n) => n.grams.size > 0);
}

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function latin1(buf: Buffer): (from: number, to: number) => string {
  return (from, to) => buf.toString("latin1", from, to);
}

function replaceBytes(buf: Buffer, original: Uint8Array, spans: readonly [number, number][]): Uint8Array {
  if (spans.length === 0) return original;
  const parts: Buffer[] = [];
  let at = 0;
  for (const [a, b] of spans) {
    parts.push(buf.subarray(at, a), REDACTED_BYTES);
    at = b;
  }
  parts.push(buf.subarray(at));
  return Buffer.concat(parts);
}

function merge(spans: [number, number][]): [number, number][] {
  if (spans.length < 2) return spans;
  spans.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [[...spans[0]!]];
  for (const [a, b] of spans.slice(1)) {
    const last = out.at(-1)!;
    if (a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function applySpans(text: string, spans: readonly (readonly [number, number])[]): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const [a, b] of spans) {
    parts.push(text.slice(at, a), REDACTED);
    at = b;
  }
  parts.push(text.slice(at));
  return parts.join("");
}
