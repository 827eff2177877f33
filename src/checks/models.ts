/** Phase B for model discovery. `/v1/models` runs first; its answer drives model sniffing. */
import { pathSegment } from "../http/path-segment.js";
import type { Check } from "../probe/types.js";
import { expectJson, skipped, warn } from "./expect.js";

const list: Check = (ctx) => expectJson(ctx, { method: "GET", path: ctx.row.path }, "ModelList");

const retrieve: Check = async (ctx) => {
  // Retrieve a model /v1/models listed: a 404 for any other id (say a --model the list lacks, or with no list
  // at all) is no evidence that retrieving a listed model fails, which is what this row reports.
  const listed = ctx.listedModels;
  const id = ctx.models.chat && listed.includes(ctx.models.chat) ? ctx.models.chat : listed[0];
  if (!id) return skipped("/v1/models listed no model to retrieve");
  const outcome = await expectJson(ctx, { method: "GET", path: `/v1/models/${pathSegment(id)}` }, "Model");
  if (outcome.observation) outcome.observation.facts.requestedModel = id;
  const got = (outcome.observation?.json as { id?: unknown } | undefined)?.id;
  if (typeof got === "string" && got !== id)
    outcome.problems.push(warn("/id", JSON.stringify(id), JSON.stringify(got), "Model"));
  return outcome;
};

/** Extracts the advertised model ids from a `/v1/models` answer (tolerating shape errors). */
export function listedModelIds(json: unknown): string[] {
  const data = (json as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) return [];
  return data.map((m) => (m as { id?: unknown })?.id).filter((id): id is string => typeof id === "string");
}

export const modelChecks: Record<string, Check> = {
  "/v1/models": list,
  "/v1/models/{model}": retrieve,
};
