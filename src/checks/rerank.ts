/**
 * `/v1/rerank` (kind `ours`): the Jina/Cohere rerank convention that llama.cpp (`--reranking`), vLLM, TEI, LocalAI,
 * SGLang and LiteLLM serve. No OpenAI spec covers it, so the shape is the convention's own published one:
 * Cohere's Rerank API reference (docs.cohere.com/reference/rerank: request `model`, `query`, `documents`, `top_n`;
 * response `results[]` of `{index, relevance_score}`, most relevant first) and Jina's reranker API (jina.ai/reranker,
 * the same `results[]`, plus `usage.total_tokens`); vLLM documents its endpoint as Cohere-SDK compatible
 * (docs.vllm.ai, examples/pooling/score). Only the protocol is judged: which document ranks first is the model's.
 */
import { parseJson } from "../http/json.js";
import type { Check } from "../probe/types.js";
import type { Problem } from "../report/types.js";
import { contentTypeProblems, fail, judged, sendUsable, warn } from "./expect.js";

const SOURCE = "Cohere Rerank API (docs.cohere.com/reference/rerank)";
const DOCUMENTS = [
  "The capital of France is Paris.",
  "Reranking sorts documents by relevance.",
  "Bananas are yellow.",
];

/** The problems of a rerank response for `n` documents with `top_n` = `n`. */
export function rerankProblems(body: unknown, n: number): Problem[] {
  if (!body || typeof body !== "object" || Array.isArray(body))
    return [
      fail(
        "",
        "a JSON object {results: [...]}",
        // TEI's own /rerank answers a bare array of {index, score}; "object" would hide that.
        Array.isArray(body) ? `an array of ${body.length}` : body === null ? "null" : typeof body,
        SOURCE,
      ),
    ];
  const results = (body as { results?: unknown }).results;
  if (!Array.isArray(results))
    return [fail("/results", "an array of {index, relevance_score}", typeof results, SOURCE)];
  const problems: Problem[] = [];
  if (results.length !== n)
    problems.push(fail("/results", `${n} results (top_n ${n})`, `${results.length}`, SOURCE));
  const seen = new Set<number>();
  let previous = Number.POSITIVE_INFINITY;
  results.slice(0, 64).forEach((r, i) => {
    const at = `/results/${i}`;
    const { index, relevance_score: score } = (r ?? {}) as { index?: unknown; relevance_score?: unknown };
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= n)
      problems.push(
        fail(
          `${at}/index`,
          `an integer document index 0..${n - 1}`,
          JSON.stringify(index) ?? "undefined",
          SOURCE,
        ),
      );
    else if (seen.has(index as number))
      problems.push(fail(`${at}/index`, "each document once", `index ${index} again`, SOURCE));
    else seen.add(index as number);
    if (typeof score !== "number" || !Number.isFinite(score)) {
      problems.push(fail(`${at}/relevance_score`, "a number", JSON.stringify(score) ?? "undefined", SOURCE));
      return;
    }
    if (score > previous)
      problems.push(
        warn(
          `${at}/relevance_score`,
          "results sorted by relevance_score, highest first",
          `${score} after ${previous}`,
          SOURCE,
        ),
      );
    previous = score;
  });
  return problems;
}

const rerank: Check = async (ctx) => {
  const model = ctx.models.embedding;
  const json = {
    ...(model ? { model } : {}),
    query: "What is the capital of France?",
    documents: DOCUMENTS,
    top_n: DOCUMENTS.length,
  };
  const sent = await sendUsable(ctx, { method: "POST", path: ctx.row.path, json });
  if (sent.unusable) return sent.unusable;
  const parsed = parseJson(sent.res.body);
  if (!parsed.ok)
    return {
      ...judged(sent, [fail("body", "JSON", parsed.reason)]),
      verdict: { status: "FAIL", detail: parsed.reason },
    };
  sent.observation.json = parsed.value;
  const problems = [
    ...contentTypeProblems(sent.res.contentType, ["application/json"]),
    ...rerankProblems(parsed.value, DOCUMENTS.length),
  ];
  const outcome = judged(sent, problems);
  if (problems.length === 0) outcome.note = `${sent.res.status} · ${DOCUMENTS.length} results ranked`;
  return outcome;
};

export const rerankChecks: Record<string, Check> = { "/v1/rerank": rerank };
