/**
 * Reading an untrusted OpenAPI document: local `#/…` $refs only, with a fixed work budget.
 *
 * Why not a library: the parsers/dereferencers made for this (@apidevtools/json-schema-ref-parser,
 * @readme/openapi-parser) follow remote and file $refs by default, dereference whole documents in memory (a cyclic
 * or fan-out $ref graph is exactly what a hostile server sends) and cost tens of modules at start-up. aioc needs the
 * property names of one request body per endpoint: a ref lookup by JSON pointer, an `allOf`/`anyOf`/`oneOf` merge,
 * and three bounds (ref hops, nesting depth, nodes visited). That is this file.
 */
import { isJsonObject } from "../http/json.js";

type Json = Record<string, unknown>;

export const RESOLVE_BUDGET = { nodes: 20_000, depth: 32, refHops: 64 } as const;

/**
 * The `/v1` a document's `servers[0].url` adds in front of its paths (`{"url": "/v1"}`, paths `/chat/completions`),
 * or a Swagger 2 document's `basePath`; "" when none (or not a plain path).
 */
export function documentPrefix(doc: unknown): string {
  if (!isJsonObject(doc)) return "";
  const first = Array.isArray(doc.servers) ? doc.servers[0] : undefined;
  const url =
    isJsonObject(first) && typeof first.url === "string"
      ? first.url
      : typeof doc.swagger === "string" && typeof doc.basePath === "string"
        ? doc.basePath
        : "";
  const path = url.replace(/^[a-z]+:\/\/[^/]*/i, "").replace(/\/+$/, "");
  return /^\/[\w./-]{0,64}$/.test(path) ? path : "";
}

/** The full path of a document's path key under its prefix. */
export const prefixed = (prefix: string, raw: string) =>
  prefix && !raw.startsWith(`${prefix}/`) ? `${prefix}${raw}` : raw;

/** The value at a local JSON pointer (`#/components/schemas/X`); undefined for remote refs or a miss. */
export function lookupRef(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/").slice(0, 16)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isJsonObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** Why a walk stopped early, if it did. */
export interface Walk {
  nodes: number;
  stopped?: string;
}

/** Follows a chain of $refs (a ref to a ref …), bounded; undefined on a cycle, a miss or a remote ref. */
export function deref(doc: unknown, node: unknown, walk: Walk): unknown {
  const seen = new Set<string>();
  let current = node;
  while (isJsonObject(current) && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (seen.has(ref) || seen.size >= RESOLVE_BUDGET.refHops) {
      walk.stopped ??= `cyclic or overlong $ref chain at ${ref.slice(0, 80)}`;
      return undefined;
    }
    seen.add(ref);
    current = lookupRef(doc, ref);
  }
  return current;
}

/**
 * The property names an object schema declares, through $ref and `allOf`/`anyOf`/`oneOf` (the union: a request
 * accepts what any branch accepts). Each schema is entered once, so a cyclic graph ends; the node budget bounds
 * fan-out.
 */
export function propertyNames(doc: unknown, schema: unknown, walk: Walk = { nodes: 0 }): Set<string> {
  const names = new Set<string>();
  const entered = new Set<unknown>();
  const visit = (node: unknown, depth: number) => {
    if (walk.stopped) return;
    if (++walk.nodes > RESOLVE_BUDGET.nodes) {
      walk.stopped = `more than ${RESOLVE_BUDGET.nodes} schema nodes`;
      return;
    }
    if (depth > RESOLVE_BUDGET.depth) {
      walk.stopped = `schemas nested deeper than ${RESOLVE_BUDGET.depth} levels`;
      return;
    }
    const resolved = deref(doc, node, walk);
    if (!isJsonObject(resolved) || entered.has(resolved)) return;
    entered.add(resolved);
    if (isJsonObject(resolved.properties))
      for (const key of Object.keys(resolved.properties).slice(0, 1000)) names.add(key);
    for (const key of ["allOf", "anyOf", "oneOf"]) {
      const branches = resolved[key];
      if (Array.isArray(branches)) for (const b of branches.slice(0, 64)) visit(b, depth + 1);
    }
  };
  visit(schema, 0);
  return names;
}

/**
 * Swagger 2 has no requestBody: the body is the `in: "body"` parameter's schema, a form its `in: "formData"`
 * parameters (one property each).
 */
function swagger2Body(doc: unknown, op: Json, walk: Walk): unknown {
  const params = Array.isArray(op.parameters) ? op.parameters.slice(0, 200) : [];
  const form: Json = {};
  for (const p of params) {
    const param = deref(doc, p, walk);
    if (!isJsonObject(param)) continue;
    if (param.in === "body") return param.schema;
    if (param.in === "formData" && typeof param.name === "string") form[param.name] = {};
  }
  return Object.keys(form).length > 0 ? { type: "object", properties: form } : undefined;
}

/** The request body schema of one operation (JSON first, then multipart, then form; Swagger 2's body parameter). */
export function requestSchema(doc: unknown, operation: unknown, walk: Walk): unknown {
  const op = deref(doc, operation, walk);
  if (!isJsonObject(op)) return undefined;
  if (op.requestBody === undefined && isJsonObject(doc) && typeof doc.swagger === "string")
    return swagger2Body(doc, op, walk);
  const body = deref(doc, op.requestBody, walk);
  if (!isJsonObject(body) || !isJsonObject(body.content)) return undefined;
  const content = body.content;
  const media =
    content["application/json"] ??
    content["multipart/form-data"] ??
    content["application/x-www-form-urlencoded"];
  return isJsonObject(media) ? media.schema : undefined;
}

/** Query parameter names of one operation (path-level and operation-level `parameters`). */
export function queryParameterNames(
  doc: unknown,
  pathItem: unknown,
  operation: unknown,
  walk: Walk,
): Set<string> {
  const names = new Set<string>();
  for (const holder of [pathItem, operation]) {
    const h = deref(doc, holder, walk);
    const list = isJsonObject(h) && Array.isArray(h.parameters) ? h.parameters.slice(0, 200) : [];
    for (const p of list) {
      const param = deref(doc, p, walk);
      if (isJsonObject(param) && param.in === "query" && typeof param.name === "string")
        names.add(param.name);
    }
  }
  return names;
}
