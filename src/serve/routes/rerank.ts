/**
 * POST /v1/rerank, the Jina/Cohere convention (see checks/rerank.ts for its sources): every document scored by the
 * share of the query's words it contains (deterministic, no model), most relevant first, cut to `top_n`.
 */
import type { Route } from "../context.js";
import { countTokens } from "../generate.js";
import { requestModel } from "../models.js";
import { badRequest, json, missingParam } from "../reply.js";

const MAX_DOCUMENTS = 1000;
const words = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

export function relevance(query: string, document: string): number {
  const q = words(query);
  const d = words(document);
  if (q.size === 0) return 0;
  let shared = 0;
  for (const w of q) if (d.has(w)) shared++;
  return Math.round((shared / q.size) * 1e6) / 1e6;
}

export const rerankRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/rerank",
    body: "json",
    handle: (ctx) => {
      const p = ctx.body;
      const model = requestModel(p, "aioc-embedding");
      const query = p.string("query");
      if (query === undefined || query === "") throw missingParam("query");
      const documents = p.raw("documents");
      if (documents === undefined) throw missingParam("documents");
      if (
        !Array.isArray(documents) ||
        documents.length === 0 ||
        documents.length > MAX_DOCUMENTS ||
        !documents.every((d) => typeof d === "string")
      )
        throw badRequest(
          "'$.documents' is invalid. Expected a non-empty array of strings.",
          "documents",
          "invalid_value",
        );
      const topN = p.int("top_n", { min: 1 }) ?? documents.length;
      const withText = p.raw("return_documents") === true;
      const results = (documents as string[])
        .map((text, index) => ({
          index,
          relevance_score: relevance(query, text),
          ...(withText ? { document: { text } } : {}),
        }))
        .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
        .slice(0, topN);
      const tokens = countTokens(query) + (documents as string[]).reduce((n, d) => n + countTokens(d), 0);
      return json({
        id: `rerank-${Date.now().toString(36)}`,
        model,
        results,
        usage: { total_tokens: tokens },
      });
    },
  },
];
