/** Judging what an SDK call returned, shared by the client modules. */
import { compareVectors, decodeFloat32, vectorDefect } from "../checks/vectors.js";
import { type ClientResult, fail, pass } from "./types.js";

/** What the server itself sent for the embedding, read from the raw response (not the SDK's decoding of it). */
export interface SentEmbedding {
  embedding: unknown;
  /** The SDK asked for base64 (openai-node's default) and decodes what comes back as base64. */
  askedBase64: boolean;
}

/** What the server sent, decoded by aioc: the cause of a wrong SDK vector, stated as a fact, or undefined. */
function sentDefect(sent: SentEmbedding, base: number[] | undefined): string | undefined {
  const raw = sent.embedding;
  if (sent.askedBase64 && Array.isArray(raw)) {
    return `encoding_format base64 ignored: the server sent ${raw.length} floats, which the SDK decoded as base64 into garbage`;
  }
  if (typeof raw !== "string") return undefined;
  const decoded = decodeFloat32(raw);
  if ("error" in decoded) return `the server's embedding: ${decoded.error}`;
  const defect = vectorDefect(decoded.le);
  if (defect) return `the server's base64 embedding decodes to ${defect}`;
  if (base && decoded.le.length !== base.length)
    return `the server's base64 embedding decodes to ${decoded.le.length} floats; its float answer has ${base.length}`;
  return undefined;
}

/**
 * An embedding from an SDK, against the server's own float answer for the same input when there is one. `sent`
 * (what the server sent, when known) names the cause of a wrong vector from the bytes, never from a guess.
 */
export function judgeEmbedding(v: unknown, base: number[] | undefined, sent?: SentEmbedding): ClientResult {
  const cause = sent ? sentDefect(sent, base) : undefined;
  if (cause) return fail(cause);
  if (!Array.isArray(v)) return fail(`returned no embedding (${v === null ? "null" : typeof v})`);
  const defect = vectorDefect(v);
  if (defect) return fail(`returned an embedding with ${defect}`);
  if (base && v.length !== base.length)
    return fail(`returned ${v.length} dimensions where the server's float answer has ${base.length}`);
  const off = base ? compareVectors({ le: v }, base, "embedding", "the SDK's vector is")[0] : undefined;
  if (off) return { status: off.problem.severity === "fail" ? "FAIL" : "WARN", detail: off.detail };
  return pass(`${v.length} dimensions`);
}
