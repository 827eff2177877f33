/**
 * Which recorded exchange answers a request (`aioc serve --replay`). A request matches a recorded one with the
 * same method, path and query, the same authentication (none, the key, aioc's deliberately wrong key) and the
 * same salient signature of its body: every field verbatim except the free text a prober may reword (message
 * contents, `input`, `prompt`, `instructions`), of which only the shape counts (roles, types, names, how many).
 * Among matches an identical body wins, then the one served least often, then the earliest recorded, so a
 * probe that sends the same requests gets the same answers in the same order.
 */
import { createHash } from "node:crypto";
import type { RecordedAuth } from "../http/record.js";

/** Fields whose text is the prober's wording, not a protocol choice. */
const FREE_TEXT = new Set(["messages", "input", "prompt", "instructions"]);
/** Inside free text, these still say what the request is (a tool turn, an image part, ...). */
const SHAPE_KEYS = new Set(["role", "type", "name"]);

/** aioc's deliberately invented ids (`aioc-no-such-model-1f2e3d4c`) carry random hex: any hex matches. */
export function unrandom(text: string): string {
  return text.replace(/\b(aioc-[a-z0-9-]*?-)[0-9a-f]{6,}\b/g, "$1<random>");
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function canonical(value: Json, freeText = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, freeText)).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys
      .map((k) => {
        const v = value[k]!;
        const shapeOnly = freeText || FREE_TEXT.has(k);
        const keep = freeText && SHAPE_KEYS.has(k) && typeof v === "string";
        return `${JSON.stringify(k)}:${keep ? JSON.stringify(v) : canonical(v, shapeOnly)}`;
      })
      .join(",")}}`;
  }
  if (freeText && typeof value === "string") return '"<text>"';
  return typeof value === "string" ? JSON.stringify(unrandom(value)) : JSON.stringify(value);
}

/** Field names (and values of plain fields; files by name only) of a multipart body, sorted. */
function multipartFields(contentType: string, body: Buffer): string {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return "?";
  const parts = body.toString("latin1").split(`--${boundary[1] ?? boundary[2]}`);
  const fields: string[] = [];
  for (const part of parts) {
    const head = part.slice(0, part.indexOf("\r\n\r\n") + 1 || part.length);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) continue;
    if (/filename="/i.test(head)) fields.push(`${name}=<file>`);
    else
      fields.push(
        `${name}=${part
          .slice(part.indexOf("\r\n\r\n") + 4)
          .replace(/\r\n$/, "")
          .slice(0, 200)}`,
      );
  }
  return fields.sort().join("&");
}

/** The salient signature of a request body (see the file comment). */
export function bodySignature(contentType: string, body: Buffer): string {
  if (body.length === 0) return "empty";
  if (/^multipart\/form-data/i.test(contentType)) return `multipart:${multipartFields(contentType, body)}`;
  try {
    return `json:${canonical(JSON.parse(body.toString("utf8")) as Json)}`;
  } catch {
    return `raw:${createHash("sha256").update(body).digest("hex")}`;
  }
}

export function authOf(authorization: string | undefined, wrongKey: string): RecordedAuth {
  if (!authorization) return "none";
  return authorization.trim() === `Bearer ${wrongKey}` ? "wrong" : "key";
}

export interface Candidate {
  method: string;
  path: string;
  auth: RecordedAuth;
  signature: string;
  body: Buffer;
  served: number;
  order: number;
}

/** The recorded exchange that answers this request, or undefined when none was recorded. */
export function pick<T extends Candidate>(
  candidates: readonly T[],
  request: Pick<Candidate, "auth" | "signature" | "body">,
): T | undefined {
  let best: T | undefined;
  let bestRank: number[] = [];
  for (const c of candidates) {
    if (c.auth !== request.auth || c.signature !== request.signature) continue;
    const rank = [c.body.equals(request.body) ? 0 : 1, c.served, c.order];
    if (!best || compare(rank, bestRank) < 0) {
      best = c;
      bestRank = rank;
    }
  }
  return best;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** What a 404 for an unrecorded request names, so the user sees which field made the difference. */
export function describeRequest(signature: string): string {
  return signature.length > 300 ? `${signature.slice(0, 300)}…` : signature;
}
