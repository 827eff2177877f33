/** GET /openapi.json: the document built from the route table at start-up (serve/openapi.ts). */
import type { Route } from "../context.js";
import { json } from "../reply.js";

export const openapiRoutes: Route[] = [
  { method: "GET", path: "/openapi.json", body: "none", handle: (ctx) => json(ctx.openapi) },
];
