import type { Route } from "../context.js";
import { isKnownModel, MODELS, modelObject } from "../models.js";
import { json, modelNotFound } from "../reply.js";

export const modelRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/models",
    body: "none",
    handle: () => json({ object: "list", data: MODELS.map((m) => modelObject(m.id)) }),
  },
  {
    method: "GET",
    path: "/v1/models/{model}",
    body: "none",
    handle: (ctx) => {
      const id = ctx.params.model ?? "";
      if (!isKnownModel(id)) throw modelNotFound(id);
      return json(modelObject(id));
    },
  },
];
