/** Phase C embeddings: batch input, base64 encoding (openai-node's default) and shortened vectors. */
import type { Check, Outcome, ProbeContext } from "../probe/types.js";
import { type Finding, finding, refusedOptional, settle, startC } from "./depth.js";
import { expectJson } from "./expect.js";
import { compareVectors, decodeFloat32, isVector, vectorDefect } from "./vectors.js";

interface EmbeddingListJson {
  data?: { index?: unknown; embedding?: unknown }[];
}

const INPUT = "hello"; // the base row's input, so the base row's vector is the reference

async function postEmbeddings(
  ctx: ProbeContext,
  json: Record<string, unknown>,
): Promise<{ outcome: Outcome; data?: EmbeddingListJson["data"] }> {
  const outcome = await expectJson(ctx, { method: "POST", path: ctx.row.path, json }, "EmbeddingList");
  outcome.phase = "C";
  if (outcome.verdict) return { outcome };
  const data = (outcome.observation?.json as EmbeddingListJson | undefined)?.data;
  return { outcome, data: Array.isArray(data) ? data : [] };
}

/** The float vector the base row got for `INPUT`, when it got one. */
export function baseVector(base: Outcome): number[] | undefined {
  const v = (base.observation?.json as EmbeddingListJson | undefined)?.data?.[0]?.embedding;
  return isVector(v) && v.length > 0 ? v : undefined;
}

const batch: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const { outcome, data } = await postEmbeddings(ctx, {
    model: start.model,
    input: [INPUT, "world"],
    encoding_format: "float",
  });
  if (!data) return settle(outcome, []);
  if (data.length !== 2) {
    return settle(outcome, [
      finding(
        "fail",
        "/data",
        "2 embeddings",
        String(data.length),
        `${data.length} embedding(s) for 2 inputs`,
      ),
    ]);
  }
  const findings: Finding[] = [];
  // An embedding without `index` is placed by its position, as the SDKs and LangChain read data[i] (deviation
  // missing-index: the shapes WARN about it); only a present, wrong index misplaces a vector.
  const indexes = data.map((d) => d?.index);
  if (indexes.some((index, position) => index !== undefined && index !== position)) {
    const swapped = indexes[0] === 1 && indexes[1] === 0;
    findings.push(
      finding(
        "fail",
        "/data",
        "index 0 then 1",
        JSON.stringify(indexes),
        swapped
          ? "data is not in input order: code reading data[i] for input i gets the wrong vectors"
          : `embeddings carry indexes ${JSON.stringify(indexes)}, expected [0,1]`,
      ),
    );
  }
  const [a, b] = data.map((d) => d?.embedding);
  const vectors = [a, b];
  const broken = vectors.findIndex((v) => Array.isArray(v) && v.length > 0 && vectorDefect(v) !== undefined);
  if (broken >= 0) {
    const why = vectorDefect(vectors[broken] as unknown[])!;
    const at = `/data/${broken}/embedding`;
    findings.push(
      finding("fail", at, "finite floats, not all zero", why, `embedding ${broken} of the batch has ${why}`),
    );
  } else if (!isVector(a) || !isVector(b) || a.length === 0 || b.length === 0) {
    findings.push(
      finding(
        "fail",
        "/data",
        "two non-empty float vectors",
        "other",
        "the batch did not return two float vectors",
      ),
    );
  } else if (a.length !== b.length) {
    findings.push(
      finding(
        "fail",
        "/data/1/embedding",
        `${a.length} dimensions`,
        String(b.length),
        `the two vectors differ in length (${a.length} vs ${b.length})`,
      ),
    );
  } else if (a.every((x, i) => x === b[i])) {
    findings.push(
      finding(
        "warn",
        "/data/1/embedding",
        'a vector for "world"',
        'the vector for "hello"',
        "both inputs got the identical vector: only the first input embedded?",
      ),
    );
  }
  const dims = isVector(a) ? a.length : 0;
  return settle(outcome, findings, `${outcome.httpStatus} · 2 embeddings × ${dims} dimensions, in order`);
};

const base64: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const { outcome, data } = await postEmbeddings(ctx, {
    model: start.model,
    input: INPUT,
    encoding_format: "base64",
  });
  if (!data) return settle(outcome, []);
  const got = data[0]?.embedding;
  const at = "/data/0/embedding";
  if (Array.isArray(got)) {
    return settle(outcome, [
      finding(
        "fail",
        at,
        "a base64 string (encoding_format base64)",
        `array(${got.length})`,
        `encoding_format base64 ignored, floats came back: openai-node asks for base64 by default and decodes these floats into a garbage vector of ${Math.floor(got.length / 4)} dimensions, silently`,
      ),
    ]);
  }
  const decoded = decodeFloat32(got);
  if ("error" in decoded)
    return settle(outcome, [
      finding("fail", at, "base64 of little-endian float32", decoded.got, decoded.error),
    ]);
  const defect = vectorDefect(decoded.le);
  if (defect)
    return settle(outcome, [
      finding("fail", at, "finite floats, not all zero", defect, `the base64 embedding decodes to ${defect}`),
    ]);
  const reference = baseVector(start.base);
  if (!reference)
    return settle(
      outcome,
      [],
      `${outcome.httpStatus} · base64 decodes to ${decoded.le.length} floats (no float answer to compare)`,
    );
  return settle(
    outcome,
    compareVectors(decoded, reference, at),
    `${outcome.httpStatus} · base64 decodes to the float vector (${reference.length} dimensions)`,
  );
};

const DIMENSIONS = 8;

const dimensions: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = { model: start.model, input: INPUT, encoding_format: "float", dimensions: DIMENSIONS };
  const { outcome, data } = await postEmbeddings(ctx, json);
  if (!data) return settle(refusedOptional(outcome, ctx.row, "dimensions"), []);
  const got = data[0]?.embedding;
  const at = "/data/0/embedding";
  const broken = Array.isArray(got) && got.length > 0 ? vectorDefect(got) : undefined;
  if (broken)
    return settle(outcome, [
      finding("fail", at, "finite floats, not all zero", broken, `the embedding has ${broken}`),
    ]);
  if (!isVector(got) || got.length === 0) {
    return settle(outcome, [
      finding(
        "fail",
        at,
        "a float vector",
        Array.isArray(got) ? "array(0)" : typeof got,
        "no float vector came back",
      ),
    ]);
  }
  if (got.length === DIMENSIONS)
    return settle(outcome, [], `${outcome.httpStatus} · ${DIMENSIONS} dimensions as requested`);
  const full = baseVector(start.base)?.length;
  if (full === undefined || got.length === full) {
    return settle(outcome, [
      finding(
        "warn",
        at,
        `${DIMENSIONS} dimensions`,
        String(got.length),
        `dimensions not honoured: ${got.length} dimensions came back (asked for ${DIMENSIONS})`,
      ),
    ]);
  }
  return settle(outcome, [
    finding(
      "fail",
      at,
      `${DIMENSIONS} dimensions`,
      String(got.length),
      `dimensions: ${DIMENSIONS} gave ${got.length} dimensions`,
    ),
  ]);
};

export const embeddingDepthChecks: Record<string, Check> = {
  "/v1/embeddings[batch]": batch,
  "/v1/embeddings[base64]": base64,
  "/v1/embeddings[dimensions]": dimensions,
};
