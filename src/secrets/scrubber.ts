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
import { decodeLayer, identityLayer, type Layer, MAX_LAYERS } from "./normalize.js";

export const REDACTED = "[REDACTED]";
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
}

export class Scrubber {
  readonly secrets: readonly string[];
  /** Secrets too short to be redacted reliably. */
  readonly unreliable: readonly string[];
  private readonly needles: Needle[];
  /** Per fragment length, a bit filter of the needles' gram hashes. */
  private readonly filters: [number, Uint8Array][];

  constructor(secrets: readonly (string | undefined)[]) {
    const given = [...new Set(secrets.filter((s): s is string => !!s))];
    this.secrets = given.filter((s) => s.length >= MIN_SECRET);
    this.unreliable = given.filter((s) => s.length < MIN_SECRET);
    this.needles = this.secrets.flatMap(needlesFor);
    const filters = new Map<number, Uint8Array>();
    for (const n of this.needles) {
      const filter = filters.get(n.k) ?? new Uint8Array(FILTER_MASK + 1);
      filters.set(n.k, filter);
      for (const g of n.grams) {
        const h = hash(g, 0, n.k);
        filter[(h >>> 3) & FILTER_MASK]! |= 1 << (h & 7);
      }
    }
    this.filters = [...filters];
  }

  get active(): boolean {
    return this.needles.length > 0;
  }

  /** `text` with every secret replaced by `[REDACTED]`. */
  text(text: string): string {
    if (!this.active || text.length < MIN_SECRET) return text;
    return applySpans(text, this.spans(text));
  }

  /** Bytes (any encoding; scanned as Latin-1, which keeps every byte) with every secret replaced. */
  bytes(body: Uint8Array): Uint8Array {
    if (!this.active || body.length < MIN_SECRET) return body;
    const view = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("latin1");
    const spans = this.spans(view);
    return spans.length === 0 ? body : Buffer.from(applySpans(view, spans), "latin1");
  }

  /** Sorted, merged `[start, end)` spans of `text` that are (spellings of) a secret. */
  spans(text: string): [number, number][] {
    if (!this.active) return [];
    const found: [number, number][] = [];
    for (let from = 0; from < text.length; from += WINDOW) {
      const window =
        from === 0 && text.length <= WINDOW + OVERLAP ? text : text.slice(from, from + WINDOW + OVERLAP);
      for (const [a, b] of this.windowSpans(window)) found.push([a + from, b + from]);
      if (from + WINDOW + OVERLAP >= text.length) break;
    }
    return merge(found);
  }

  private windowSpans(text: string): [number, number][] {
    const out: [number, number][] = [];
    // Layer 0 needs no maps; later layers exist only when there is something to decode.
    for (const [a, b] of this.match(text)) out.push([a, b]);
    let layer: Layer | undefined;
    for (let depth = 0; depth < MAX_LAYERS; depth++) {
      layer = decodeLayer(layer ?? identityLayer(text));
      if (!layer) break;
      for (const [a, b] of this.match(layer.text)) out.push([layer.start[a]!, layer.end[b - 1]!]);
    }
    return out;
  }

  /** Spans of `text` covered by a fragment of some needle (case-folded). */
  private match(text: string): [number, number][] {
    const spans: [number, number][] = [];
    const folded = foldAscii(text);
    for (const [k, filter] of this.filters) {
      if (folded.length < k) continue;
      const pow = powMod(k);
      let h = hash(folded, 0, k);
      let run: [number, number] | undefined;
      for (let i = 0; ; i++) {
        // A bit filter on the rolling hash; only its rare hits build a string to check.
        if ((filter[(h >>> 3) & FILTER_MASK]! & (1 << (h & 7))) !== 0) {
          const gram = folded.slice(i, i + k);
          if (this.needles.some((n) => n.k === k && n.grams.has(gram))) {
            if (run && run[1] >= i) run[1] = i + k;
            else {
              run = [i, i + k];
              spans.push(run);
            }
          }
        }
        if (i + k >= folded.length) break;
        h = (Math.imul((h - Math.imul(folded.charCodeAt(i), pow)) | 0, BASE) + folded.charCodeAt(i + k)) | 0;
      }
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
/** 2^20 bits per fragment length: a false hit for about one text position in 10,000. */
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
  needles.push({ k: MIN_SECRET, grams: gramsOf(folded.slice(skip), MIN_SECRET) });
  if (skip > 0) needles.push({ k: skip + MIN_SECRET, grams: new Set([folded.slice(0, skip + MIN_SECRET)]) });
  const bytes = Buffer.from(secret, "utf8");
  // Hex: 8 secret bytes are 16 hex digits.
  needles.push({ k: 2 * MIN_SECRET, grams: gramsOf(bytes.toString("hex"), 2 * MIN_SECRET) });
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
  needles.push({ k: k64, grams });
  return needles.filter((n) => n.grams.size > 0);
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
