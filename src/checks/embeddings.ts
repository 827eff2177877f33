/** Phase B for embeddings. */
import type { Check } from "../probe/types.js";
import { expectJson, fail, requireModel } from "./expect.js";
import { vectorDefect } from "./vectors.js";

const embeddings: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const json = { model, input: "hello", encoding_format: "float" };
  const outcome = await expectJson(ctx, { method: "POST", path: ctx.row.path, json }, "EmbeddingList");
  const first = (outcome.observation?.json as { data?: { embedding?: unknown }[] } | undefined)?.data?.[0]
    ?.embedding;
  if (typeof first === "string") {
    outcome.problems.push(
      fail("/data/0/embedding", "array of numbers (encoding_format float)", "a base64 string", "Embedding"),
    );
  } else if (Array.isArray(first) && first.length === 0) {
    outcome.problems.push(fail("/data/0/embedding", "a non-empty vector", "array(0)", "Embedding"));
  } else if (Array.isArray(first)) {
    const defect = vectorDefect(first);
    if (defect) {
      outcome.problems.push(fail("/data/0/embedding", "finite floats, not all zero", defect, "Embedding"));
      outcome.verdict ??= { status: "FAIL", detail: `the embedding has ${defect}` };
    }
  }
  if (Array.isArray(first) && !outcome.verdict)
    outcome.note = `${outcome.httpStatus} · ${first.length} dimensions`;
  return outcome;
};

export const embeddingChecks: Record<string, Check> = { "/v1/embeddings": embeddings };
