/** Embedding vectors: decoding base64 float32 and comparing a vector with a reference. */
import { type Finding, finding } from "./depth.js";

/** Components that differ by at most this are the same vector. */
const TOLERANCE = 1e-5;
/** Above this cosine similarity a differing vector is the same embedding with numeric noise. */
const SAME_DIRECTION = 0.999;

export const isVector = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x));

/**
 * Why a vector is not a usable embedding, or undefined: non-numbers, non-finite values (JSON has no Infinity, but
 * `1e400` parses to it), or all zeros (no direction: every cosine similarity is 0/0).
 */
export function vectorDefect(v: readonly unknown[]): string | undefined {
  if (v.length === 0) return "no components (an empty vector)";
  let zero = true;
  for (const x of v) {
    if (Array.isArray(x)) return "nested arrays (an array of vectors, not one vector of numbers)";
    if (typeof x !== "number") return "non-numeric components";
    if (!Number.isFinite(x)) return "non-finite components (Infinity or NaN; JSON 1e400 parses to Infinity)";
    if (x !== 0) zero = false;
  }
  return zero ? `all ${v.length} components zero` : undefined;
}

export interface Decoded {
  /** Little-endian float32, as OpenAI encodes. */
  le: number[];
  /** The same bytes read big-endian, to name that mistake when it is the one. */
  be?: number[];
}

export function decodeFloat32(value: unknown): Decoded | { error: string; got: string } {
  if (typeof value !== "string") return { error: "the embedding is not a base64 string", got: typeof value };
  if (value.length === 0) return { error: "the base64 embedding is empty", got: "empty string" };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value))
    return { error: "the embedding is not standard base64", got: "other characters" };
  const bytes = Buffer.from(value, "base64");
  if (bytes.length % 4 !== 0) {
    return {
      error: `${bytes.length} bytes is not a whole number of float32 values`,
      got: `${bytes.length} bytes`,
    };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const le: number[] = [];
  const be: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    le.push(view.getFloat32(i, true));
    be.push(view.getFloat32(i, false));
  }
  if (!le.every(Number.isFinite))
    return { error: "the base64 embedding decodes to NaN or infinite values", got: "non-finite floats" };
  return { le, be };
}

function maxDifference(a: readonly number[], b: readonly number[]): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * `got` against the float vector the server gave for the same input. Small numeric noise (some servers batch
 * nondeterministically) is WARN; another length, byte order or vector is FAIL.
 */
export function compareVectors(
  got: Decoded,
  reference: readonly number[],
  pointer = "/data/0/embedding",
  subject = "decodes to",
): Finding[] {
  const n = got.le.length;
  if (n !== reference.length) {
    return [
      finding(
        "fail",
        pointer,
        `${reference.length} floats`,
        String(n),
        `${subject} ${n} floats; the float answer has ${reference.length}`,
      ),
    ];
  }
  const diff = maxDifference(got.le, reference);
  if (diff <= TOLERANCE) return [];
  if (got.be && maxDifference(got.be, reference) <= TOLERANCE) {
    return [
      finding(
        "fail",
        pointer,
        "little-endian float32",
        "big-endian float32",
        "the base64 embedding is big-endian float32; OpenAI (and its SDKs) use little-endian",
      ),
    ];
  }
  const d = diff.toPrecision(2);
  const noise = cosine(got.le, reference) >= SAME_DIRECTION;
  return [
    finding(
      noise ? "warn" : "fail",
      pointer,
      `the float vector (±${TOLERANCE})`,
      `max difference ${d}`,
      noise
        ? `${subject} nearly the float vector (max difference ${d}): embeddings vary between calls`
        : `${subject} a different vector than the float answer (max difference ${d})`,
    ),
  ];
}
