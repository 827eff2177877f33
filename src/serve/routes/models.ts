import type { Ctx, Route } from "../context.js";
import { isKnownModel, MODELS, modelObject } from "../models.js";
import { json, modelNotFound } from "../reply.js";

function model(ctx: Ctx, id: string) {
  const object = modelObject(id);
  if (ctx.quirks.has("missing-created")) {
    const { created: _, ...rest } = object;
    return rest;
  }
  return object;
}

export const modelRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/models",
    body: "none",
    handle: (ctx) => json({ object: "list", data: MODELS.map((m) => model(ctx, m.id)) }),
  },
  {
    method: "GET",
    path: "/v1/models/{model}",
    body: "none",
    handle: (ctx) => {
      const id = ctx.params.model ?? "";
      if (!isKnownModel(id)) throw modelNotFound(id);
      return json(model(ctx, id));
    },
  },
];
