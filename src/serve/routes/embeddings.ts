/** POST /v1/embeddings: deterministic unit vectors hashed from each input, as floats or base64 float32. */
import { createHash } from "node:crypto";
import type { Route } from "../context.js";
import { countTokens } from "../generate.js";
import { requestModel } from "../models.js";
import type { Params } from "../params.js";
import { badRequest, json, missingParam } from "../reply.js";

const DEFAULT_DIMENSIONS = 16;
const MAX_DIMENSIONS = 3072;
const MAX_INPUTS = 2048;

const invalidInput = () =>
  badRequest(
    "'$.input' is invalid. Expected a non-empty string, an array of non-empty strings, or token arrays.",
    "input",
    "invalid_value",
  );

/** Each input as a hash key and its token count; token arrays count one token per number. */
function readInputs(p: Params): { key: string; tokens: number }[] {
  const raw = p.raw("input");
  if (raw === undefined) throw missingParam("input");
  const list = typeof raw === "string" || (Array.isArray(raw) && typeof raw[0] === "number") ? [raw] : raw;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_INPUTS) throw invalidInput();
  return list.map((item) => {
    if (typeof item === "string" && item !== "") return { key: item, tokens: countTokens(item) };
    if (Array.isArray(item) && item.length > 0 && item.every((t) => Number.isInteger(t))) {
      return { key: JSON.stringify(item), tokens: item.length };
    }
    throw invalidInput();
  });
}

/**
 * A unit vector from a hash stream of the input. Any prefix is the same direction as a shorter request's
 * vector (so `dimensions` truncates), and values are float32 so base64 decodes to exactly the float output.
 */
export function embed(key: string, dimensions = DEFAULT_DIMENSIONS): number[] {
  const raw: number[] = [];
  for (let block = 0; raw.length < dimensions; block++) {
    const h = createHash("sha256").update(`${block}\0${key}`).digest();
    for (let i = 0; i < h.length && raw.length < dimensions; i += 2) {
      raw.push((h.readUInt16LE(i) / 65535) * 2 - 1);
    }
  }
  const norm = Math.hypot(...raw) || 1;
  return raw.map((v) => Math.fround(v / norm));
}

export function toBase64(vector: readonly number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => {
    buf.writeFloatLE(v, i * 4);
  });
  return buf.toString("base64");
}

export const embeddingRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/embeddings",
    body: "json",
    handle: (ctx) => {
      const p = ctx.body;
      const model = requestModel(p);
      const inputs = readInputs(p);
      const format = p.string("encoding_format", ["float", "base64"]) ?? "float";
      const dimensions = p.int("dimensions", { min: 1, max: MAX_DIMENSIONS }) ?? DEFAULT_DIMENSIONS;
      const data = inputs.map(({ key }, index) => {
        const vector = embed(key, dimensions);
        return { object: "embedding", index, embedding: format === "base64" ? toBase64(vector) : vector };
      });
      const tokens = inputs.reduce((sum, i) => sum + i.tokens, 0);
      return json({ object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
    },
  },
];
