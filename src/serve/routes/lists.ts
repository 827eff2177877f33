/** Files, fine-tuning jobs and batches: implemented as empty lists with every spec field. */
import type { Route } from "../context.js";
import { json } from "../reply.js";

const cursorList = { object: "list", data: [], first_id: null, last_id: null, has_more: false };

export const listRoutes: Route[] = [
  { method: "GET", path: "/v1/files", body: "none", handle: () => json(cursorList) },
  {
    method: "GET",
    path: "/v1/fine_tuning/jobs",
    body: "none",
    handle: () => json({ object: "list", data: [], has_more: false }),
  },
  { method: "GET", path: "/v1/batches", body: "none", handle: () => json(cursorList) },
];
