/** Phase B for moderations; the model is optional (OpenAI picks its default classifier). */
import type { Check } from "../probe/types.js";
import { expectJson } from "./expect.js";

const moderations: Check = (ctx) => {
  const model = ctx.models.moderation;
  const json = model ? { model, input: "hello world" } : { input: "hello world" };
  return expectJson(ctx, { method: "POST", path: ctx.row.path, json }, "Moderation");
};

export const moderationChecks: Record<string, Check> = { "/v1/moderations": moderations };
