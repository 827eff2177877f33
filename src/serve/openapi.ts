/**
 * The reference server's own `/openapi.json`, derived from its route table (never hand-written), as FastAPI derives
 * vLLM's: one path item per served route, and for each POST the request properties OpenAI's pinned spec declares
 * (the reference server accepts them all), by `$ref` to a component so readers exercise ref resolution.
 */
import { OPENAI_REQUEST_PARAMS } from "../declared/openai-surface.js";
import { VERSION } from "../version.js";
import type { BodyKind, Route } from "./context.js";

const componentName = (path: string) =>
  `${path
    .replace(/^\/v1\//, "")
    .split(/[/_{}]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("")}Request`;

/** Request properties of the conventions aioc serves beyond OpenAI (checks/rerank.ts cites them). */
const CONVENTION_PARAMS: Readonly<Record<string, readonly string[]>> = {
  "/v1/rerank": ["model", "query", "documents", "top_n", "return_documents"],
};

const MEDIA: Partial<Record<BodyKind, string[]>> = {
  json: ["application/json"],
  multipart: ["multipart/form-data"],
  "json-or-multipart": ["application/json", "multipart/form-data"],
};

/** `hidden`: templates the server does not serve (a profile's missing routes); `declared`: listed anyway. */
export function buildOpenapi(
  routes: readonly Route[],
  hidden: ReadonlySet<string>,
  declared: readonly string[] = [],
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  const keep = (r: Route) => r.path.startsWith("/v1/") && (!hidden.has(r.path) || declared.includes(r.path));
  for (const route of routes.filter(keep)) {
    const op: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${componentName(route.path).replace(/Request$/, "")}`,
      responses: { "200": { description: "Successful Response" } },
    };
    const media = MEDIA[route.body];
    if (route.method === "POST" && media) {
      const name = componentName(route.path);
      const props = OPENAI_REQUEST_PARAMS[route.path] ?? CONVENTION_PARAMS[route.path] ?? [];
      schemas[name] = { type: "object", properties: Object.fromEntries(props.map((p) => [p, {}])) };
      const ref = { schema: { $ref: `#/components/schemas/${name}` } };
      op.requestBody = { required: true, content: Object.fromEntries(media.map((m) => [m, ref])) };
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: op };
  }
  return {
    openapi: "3.1.0",
    info: { title: "aioc reference server", version: VERSION },
    paths,
    components: { schemas },
  };
}
