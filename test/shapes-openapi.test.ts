/**
 * The canonical shapes (src/shapes/schemas.ts) against OpenAI's own OpenAPI document, so they cannot drift.
 *
 * Every object node (one carrying `x-source`) anywhere in every shape — nested objects, array items, anyOf
 * branches — is resolved in openapi.json and checked:
 *   (a) `required ∪ x-spec-required` equals the spec node's `required`;
 *   (b) every property we declare exists in the spec node;
 *   (c) each property's JSON types are a subset of the spec's (integer ⊆ number);
 *   (d) each enum value we allow is one the spec allows.
 * Map nodes (`additionalProperties`) are checked key by key in both directions, and a nested node's `x-source`
 * must be what the spec has at that position. Deliberate departures are listed in KNOWN_GAPS with their
 * evidence; each must still occur, so a spec fix forces its removal.
 *
 * The second half checks the shapes as validators: realistic OpenAI-style bodies give no problems, and broken
 * ones give the expected pointers and severities.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { Problem } from "../src/report/types.js";
import { type Schema, SOURCE, SPEC_REQUIRED } from "../src/shapes/dsl.js";
import { type ShapeName, shapes } from "../src/shapes/schemas.js";
import { describeProblem, validateShape } from "../src/shapes/validate.js";
import { locateOpenApi } from "./helpers/openapi-spec.js";

// ---------------------------------------------------------------------------------------------------------------
// Locating openapi.json

const located = locateOpenApi();
const doc = located.path ? (JSON.parse(readFileSync(located.path, "utf8")) as Json) : undefined;
const notFound = `openapi.json not found: set AIOC_OPENAPI or provide one of ${located.tried.join(", ")}`;

// ---------------------------------------------------------------------------------------------------------------
// Reading the spec

type Json = { [key: string]: unknown };
const JSON_TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"] as const;
type JsonType = (typeof JSON_TYPES)[number];

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const MAX_DEPTH = 64;

function pointerGet(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (isObj(cur) && !(key in cur) && typeof cur.$ref === "string") cur = deref(cur);
    if (Array.isArray(cur)) cur = cur[Number(key)];
    else if (isObj(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

function refTarget(ref: string): unknown {
  if (!ref.startsWith("#")) throw new Error(`external $ref not supported: ${ref}`);
  return pointerGet(doc, ref.slice(1));
}

/** Follows a chain of `$ref`s (siblings such as `nullable` are the caller's business). */
function deref(s: unknown): unknown {
  let cur = s;
  for (let i = 0; i < MAX_DEPTH && isObj(cur) && typeof cur.$ref === "string"; i++) cur = refTarget(cur.$ref);
  return cur;
}

/** `Component` or `Component#/json/pointer` → the raw spec node. */
function resolveSource(source: string): unknown {
  const [name = "", pointer = ""] = source.split("#");
  const schemas = (doc?.components as Json | undefined)?.schemas as Json | undefined;
  const component = schemas?.[name];
  if (component === undefined) return undefined;
  return pointer ? pointerGet(component, pointer) : component;
}

function typeOfValue(v: unknown): JsonType {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v as JsonType;
}

function typeMatches(t: JsonType, allowed: unknown[]): boolean {
  return allowed.includes(t) || (t === "integer" && allowed.includes("number"));
}

/** Could a value of JSON type `t` satisfy spec schema `s`? Handles $ref, anyOf/oneOf, allOf, nullable, type arrays. */
function specAllowsType(s: unknown, t: JsonType, depth = 0): boolean {
  if (!isObj(s) || depth > MAX_DEPTH) return true;
  if (t === "null" && s.nullable === true) return true;
  const ok: boolean[] = [];
  if (typeof s.$ref === "string") ok.push(specAllowsType(refTarget(s.$ref), t, depth + 1));
  if (s.type !== undefined) ok.push(typeMatches(t, asArray(s.type)));
  const values = [...asArray(s.enum), ...("const" in s ? [s.const] : [])];
  if (Array.isArray(s.enum) || "const" in s) {
    ok.push(values.some((v) => typeOfValue(v) === t || (t === "number" && typeOfValue(v) === "integer")));
  }
  for (const k of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(s[k])) ok.push((s[k] as unknown[]).some((b) => specAllowsType(b, t, depth + 1)));
  }
  if (Array.isArray(s.allOf)) ok.push(s.allOf.every((b) => specAllowsType(b, t, depth + 1)));
  return ok.every(Boolean);
}

/** Does spec schema `s` accept the primitive value `v` (enum / const / x-stainless-const / type)? */
function specAccepts(s: unknown, v: unknown, depth = 0): boolean {
  if (!isObj(s) || depth > MAX_DEPTH) return true;
  if (v === null && s.nullable === true) return true;
  const ok: boolean[] = [];
  if (typeof s.$ref === "string") ok.push(specAccepts(refTarget(s.$ref), v, depth + 1));
  if (s.type !== undefined) ok.push(typeMatches(typeOfValue(v), asArray(s.type)));
  if (Array.isArray(s.enum)) ok.push(s.enum.includes(v));
  if ("const" in s) ok.push(s.const === v);
  for (const k of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(s[k])) ok.push((s[k] as unknown[]).some((b) => specAccepts(b, v, depth + 1)));
  }
  if (Array.isArray(s.allOf)) ok.push(s.allOf.every((b) => specAccepts(b, v, depth + 1)));
  return ok.every(Boolean);
}

function specTypes(s: unknown): JsonType[] {
  const all = JSON_TYPES.filter((t) => specAllowsType(s, t));
  return all.includes("number") ? all.filter((t) => t !== "integer") : all;
}

/** Every enum / const value reachable from a spec schema, or "any" when some branch leaves values open. */
function specValues(s: unknown, depth = 0): unknown[] | "any" {
  const r = deref(s);
  if (!isObj(r) || depth > MAX_DEPTH) return "any";
  if (Array.isArray(r.enum)) return r.enum;
  if ("const" in r) return [r.const];
  const branches = [...asArray(r.anyOf), ...asArray(r.oneOf)].filter((b) => !isNullOnly(b));
  if (branches.length === 0) return "any";
  const out: unknown[] = [];
  for (const b of branches) {
    const vs = specValues(b, depth + 1);
    if (vs === "any") return "any";
    out.push(...vs);
  }
  return out;
}

function isNullOnly(s: unknown): boolean {
  const r = deref(s);
  return isObj(r) && r.type === "null" && !r.properties;
}

/** The array item schemas a spec schema allows (through $ref / anyOf / oneOf / allOf), or undefined. */
function specItems(s: unknown, depth = 0): unknown {
  const r = deref(s);
  if (!isObj(r) || depth > MAX_DEPTH) return undefined;
  const found: unknown[] = [];
  if (r.items !== undefined) found.push(r.items);
  for (const b of [...asArray(r.anyOf), ...asArray(r.oneOf), ...asArray(r.allOf)]) {
    const items = specItems(b, depth + 1);
    if (items !== undefined) found.push(items);
  }
  if (found.length === 0) return undefined;
  return found.length === 1 ? found[0] : { anyOf: found };
}

/** Raw nodes a schema can stand for: itself, its $ref targets and its anyOf/oneOf/allOf branches, transitively. */
function candidates(s: unknown, out = new Set<unknown>(), depth = 0): Set<unknown> {
  if (!isObj(s) || depth > MAX_DEPTH || out.has(s)) return out;
  out.add(s);
  if (typeof s.$ref === "string") candidates(refTarget(s.$ref), out, depth + 1);
  for (const b of [...asArray(s.anyOf), ...asArray(s.oneOf), ...asArray(s.allOf)])
    candidates(b, out, depth + 1);
  return out;
}

interface ObjectView {
  properties: Map<string, unknown>;
  required: Set<string>;
}

/**
 * An object node as clients see it: `$ref` followed, `allOf` merged (properties and required united), and a
 * union (`anyOf`/`oneOf` of several objects) reduced to what every branch has: the common properties (any
 * branch's schema) and the fields every branch requires. A `{type: null}` branch is ignored.
 */
function objectView(s: unknown, depth = 0): ObjectView {
  const r = deref(s);
  const view: ObjectView = { properties: new Map(), required: new Set() };
  if (!isObj(r) || depth > MAX_DEPTH) return view;
  const add = (name: string, schema: unknown) => {
    const prev = view.properties.get(name);
    view.properties.set(name, prev === undefined ? schema : { allOf: [prev, schema] });
  };
  if (isObj(r.properties)) for (const [k, v] of Object.entries(r.properties)) add(k, v);
  for (const f of asArray(r.required)) view.required.add(String(f));
  for (const b of asArray(r.allOf)) {
    const sub = objectView(b, depth + 1);
    for (const [k, v] of sub.properties) add(k, v);
    for (const f of sub.required) view.required.add(f);
  }
  const branches = [...asArray(r.anyOf), ...asArray(r.oneOf)].filter((b) => !isNullOnly(b));
  if (branches.length > 0) {
    const subs = branches.map((b) => objectView(b, depth + 1));
    const first = subs[0]!;
    for (const [k] of first.properties) {
      if (subs.every((v) => v.properties.has(k))) add(k, { anyOf: subs.map((v) => v.properties.get(k)) });
    }
    for (const f of first.required) if (subs.every((v) => v.required.has(f))) view.required.add(f);
  }
  return view;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading our shapes

function ourTypes(s: Schema): JsonType[] {
  const out = new Set<JsonType>();
  if (s.type !== undefined) for (const t of asArray(s.type)) out.add(t as JsonType);
  else if (Array.isArray(s.anyOf))
    for (const b of s.anyOf as Schema[]) for (const t of ourTypes(b)) out.add(t);
  else if (Array.isArray(s.enum)) for (const v of s.enum) out.add(typeOfValue(v));
  else if ("const" in s) out.add(typeOfValue(s.const));
  else for (const t of JSON_TYPES) out.add(t); // unconstrained
  return [...out];
}

function ourValues(s: Schema): unknown[] {
  const out: unknown[] = [];
  if (Array.isArray(s.enum)) out.push(...s.enum);
  if ("const" in s) out.push(s.const);
  for (const b of asArray(s.anyOf) as Schema[]) out.push(...ourValues(b));
  return out;
}

const fmtSet = (xs: readonly unknown[]) =>
  `{${xs.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ")}}`;
const fmtList = (xs: readonly unknown[]) => `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;

// ---------------------------------------------------------------------------------------------------------------
// The cross-check

interface Mismatch {
  /** `<source> <field> <check>`: what KNOWN_GAPS matches on. */
  key: string;
  text: string;
}

type Miss = (field: string, check: string, text: string) => void;

interface NodeReport {
  /** Where the node sits in our shape, e.g. `ChatCompletion.choices[].message`. */
  where: string;
  source: string;
  mismatches: Mismatch[];
}

function crossCheck(root: Schema, name: string): NodeReport[] {
  const reports: NodeReport[] = [];

  /** An object node with `x-source`; `specHere` is the spec schema at the same position (nested nodes). */
  function checkNode(node: Schema, where: string, specHere: unknown): void {
    const source = node[SOURCE];
    const report: NodeReport = { where, source: String(source), mismatches: [] };
    reports.push(report);
    const miss = (field: string, check: string, text: string) =>
      report.mismatches.push({
        key: `${source} ${field} ${check}`,
        text: `${where} (${source}) · ${field}: ${text}`,
      });

    const raw = typeof source === "string" ? resolveSource(source) : undefined;
    if (raw === undefined) {
      miss("(node)", "source", `x-source ${JSON.stringify(source)} does not resolve in components.schemas`);
      return;
    }
    if (specHere !== undefined && !candidates(specHere).has(raw)) {
      miss("(node)", "position", `x-source ${source} is not the schema the spec has at this position`);
    }
    const spec = objectView(raw);

    // (a) required ∪ x-spec-required = spec required
    const required = asArray(node.required).map(String);
    const specRequired = asArray(node[SPEC_REQUIRED]).map(String);
    const ours = new Set([...required, ...specRequired]);
    const theirs = [...spec.required].sort();
    for (const f of required.filter((f) => specRequired.includes(f))) {
      miss(f, "required-twice", "listed in both required and x-spec-required");
    }
    for (const f of [...ours].filter((f) => !spec.required.has(f))) {
      const list = required.includes(f) ? "required" : "x-spec-required";
      miss(f, "required-extra", `ours lists it in ${list}; spec required is ${fmtList(theirs)}`);
    }
    for (const f of theirs.filter((f) => !ours.has(f))) {
      miss(
        f,
        "required-missing",
        `spec requires it; ours has required ${fmtList(required)} + x-spec-required ${fmtList(specRequired)}`,
      );
    }

    // (b)–(d) per declared property
    for (const [name, prop] of Object.entries((node.properties ?? {}) as Record<string, Schema>)) {
      if (!spec.properties.has(name)) {
        miss(
          name,
          "property",
          `declared by ours; not a property of the spec node (spec has ${fmtList([...spec.properties.keys()])})`,
        );
        continue;
      }
      compare(prop, spec.properties.get(name), name, where, miss);
    }
  }

  /** (c) types and (d) enum of one of our schemas against the spec's, then down into its structure. */
  function compare(ours: Schema, spec: unknown, field: string, where: string, miss: Miss): void {
    const types = ourTypes(ours);
    const wider = types.filter((t) => !specAllowsType(spec, t));
    if (wider.length > 0) {
      miss(
        field,
        "types",
        `types ours ${fmtSet(types)} ⊄ spec ${fmtSet(specTypes(spec))} (extra: ${fmtSet(wider)})`,
      );
    }
    const values = ourValues(ours);
    const rejected = values.filter((v) => !specAccepts(spec, v));
    if (rejected.length > 0) {
      const theirs = specValues(spec);
      miss(
        field,
        "enum",
        `enum ours ${fmtList(values)} ⊄ spec ${theirs === "any" ? "(open)" : fmtList(theirs)} (extra: ${fmtList(rejected)})`,
      );
    }
    descend(ours, spec, field, where, miss);
  }

  function descend(ours: Schema, spec: unknown, field: string, where: string, miss: Miss): void {
    const at = `${where}.${field}`;
    if (typeof ours[SOURCE] === "string") {
      checkNode(ours, at, spec);
      return;
    }
    if (ours.type === "object" && isObj(ours.properties) && ours.additionalProperties === undefined) {
      miss(field, "source", "object node with properties but no x-source");
    }
    if (ours.additionalProperties !== undefined) checkMap(ours, spec, field, miss);
    if (isObj(ours.items)) {
      const items = specItems(spec);
      if (items !== undefined) compare(ours.items as Schema, items, `${field}[]`, where, miss);
    }
    for (const b of asArray(ours.anyOf) as Schema[]) descend(b, spec, field, where, miss);
    // if/then/else is a union told apart by a tag: each branch is checked like an anyOf branch.
    for (const b of [ours.then, ours.else].filter(isObj) as Schema[]) descend(b, spec, field, where, miss);
  }

  /**
   * A map node (`additionalProperties`, optionally with a few named exceptions in `properties`) stands for the
   * spec object's named keys. Each key's schema must match in both directions: narrower would fail OpenAI's own
   * responses, wider would pass what the spec forbids.
   */
  function checkMap(ours: Schema, spec: unknown, field: string, miss: Miss): void {
    const view = objectView(spec);
    const named = (ours.properties ?? {}) as Record<string, Schema>;
    // `additionalProperties: true` (or a non-object) leaves the other keys open.
    const rest: Schema = isObj(ours.additionalProperties) ? ours.additionalProperties : {};
    for (const key of Object.keys(named)) {
      if (!view.properties.has(key))
        miss(`${field}.${key}`, "property", "declared by ours; not a property of the spec object");
    }
    for (const [key, theirs] of view.properties) {
      const mine = named[key] ?? rest;
      const types = ourTypes(mine);
      const wider = types.filter((t) => !specAllowsType(theirs, t));
      const narrower = specTypes(theirs).filter((t) => !typeMatches(t, types));
      if (wider.length > 0 || narrower.length > 0) {
        miss(`${field}.${key}`, "types", `types ours ${fmtSet(types)} ≠ spec ${fmtSet(specTypes(theirs))}`);
      }
    }
  }

  checkNode(root, name, undefined);
  return reports;
}

/**
 * Deliberate departures from openapi.json, each with its evidence. Keys are `<x-source> <field> <check>`.
 * The last test below fails when one no longer occurs, so a fixed spec (or shape) retires its entry.
 */
const KNOWN_GAPS: { key: string; why: string }[] = [
  {
    key: "ImagesResponse data required-extra",
    why:
      "The spec leaves `data` optional (only `created` is required), but an image response without `data` is " +
      "unusable: every client reads data[0].url or data[0].b64_json. Absence must FAIL, so `data` stays in required.",
  },
  {
    key: "Embedding embedding types",
    why:
      "The spec types `embedding` as number[] only, yet CreateEmbeddingRequest.encoding_format offers `base64`, " +
      "for which OpenAI returns a base64 string (the openai SDKs request it by default). The shape accepts both; " +
      "the embeddings check asks for float and flags a string itself.",
  },
  {
    key: "CreateCompletionResponse#/properties/choices/items finish_reason types",
    why:
      "The legacy completions stream reuses CreateCompletionResponse for its chunks, and every chunk but the last " +
      "carries finish_reason null (OpenAI's own stream does); the TextCompletion shape validates those chunks too.",
  },
  {
    key: "ListFilesResponse first_id types",
    why:
      "An empty page has no first id: the newer list resources in the same document (VideoListResource, " +
      "SkillListResource, ...) model it as string|null; ListFilesResponse has not caught up. null must not FAIL.",
  },
  {
    key: "ListFilesResponse last_id types",
    why: "As first_id: null on an empty page.",
  },
  {
    key: "CreateChatCompletionResponse system_fingerprint types",
    why:
      "The spec types the deprecated system_fingerprint as string, but servers send null (openai-api-mock's " +
      "chunks do) and the SDKs accept it (openai-python: Optional[str]; openai-node never validates). null must not FAIL.",
  },
  {
    key: "CreateChatCompletionStreamResponse system_fingerprint types",
    why: "As CreateChatCompletionResponse system_fingerprint.",
  },
  {
    key: "CreateCompletionResponse system_fingerprint types",
    why: "As CreateChatCompletionResponse system_fingerprint.",
  },
  {
    key: "ChatCompletionResponseMessage tool_calls types",
    why:
      "Servers that build answers from openai-python's own models send every Optional field, tool_calls: null " +
      "included (LiteLLM's Message did); the SDKs take null as none (openai-python: Optional[List[...]]; openai-node " +
      "reads tool_calls?.). No client breaks, so null must not FAIL.",
  },
  {
    key: "ChatCompletionStreamResponseDelta role types",
    why:
      "A delta field that is null is absent from that chunk: openai-node's stream helper copies role only when it " +
      "is truthy, and openai-python types ChoiceDelta.role Optional. null must not FAIL.",
  },
  {
    key: "ChatCompletionStreamResponseDelta tool_calls types",
    why: "As delta.role: openai-node skips a falsy delta.tool_calls; ChoiceDelta.tool_calls is Optional.",
  },
  {
    key: "ChatCompletionMessageToolCallChunk id types",
    why:
      "Continuation deltas of a streamed call may say id: null: openai-node keeps the first id (it copies id only " +
      "when truthy) and openai-python types ChoiceDeltaToolCall.id Optional. A call that never gets an id is still " +
      "judged by [tools-stream].",
  },
  {
    key: "ChatCompletionMessageToolCallChunk type types",
    why: "As id: copied only when truthy; ChoiceDeltaToolCall.type is Optional.",
  },
  {
    key: "ChatCompletionMessageToolCallChunk#/properties/function name types",
    why: "As id: copied only when truthy; ChoiceDeltaToolCallFunction.name is Optional.",
  },
  {
    key: "ChatCompletionMessageToolCallChunk#/properties/function arguments types",
    why: "As id: appended only when truthy; ChoiceDeltaToolCallFunction.arguments is Optional.",
  },
  {
    key: "Image b64_json types",
    why:
      "openai-python's Image types b64_json, url and revised_prompt Optional, so answers built from it carry nulls " +
      "for the fields an image lacks; clients read the one they asked for. The images check decides whether the " +
      "b64_json asked for came (a url instead, or nothing, FAILs there).",
  },
  { key: "Image url types", why: "As Image b64_json." },
  { key: "Image revised_prompt types", why: "As Image b64_json." },
];

const isKnown = (m: Mismatch) => KNOWN_GAPS.some((g) => g.key === m.key);

const SHAPE_NAMES = Object.keys(shapes) as ShapeName[];

test("shapes match OpenAI's openapi.json", async (t) => {
  if (!doc) {
    t.skip(notFound);
    return;
  }
  t.diagnostic(`openapi.json: ${located.path}`);
  const reports = new Map(SHAPE_NAMES.map((name) => [name, crossCheck(shapes[name], name)]));

  for (const name of SHAPE_NAMES) {
    await t.test(`${name}: every object node agrees with its x-source`, () => {
      const mismatches = reports.get(name)!.flatMap((r) => r.mismatches);
      for (const m of mismatches.filter(isKnown)) t.diagnostic(`known gap: ${m.text}`);
      const problems = mismatches.filter((m) => !isKnown(m));
      assert.equal(problems.length, 0, `\n${problems.map((m) => `  ✗ ${m.text}`).join("\n")}\n`);
    });
  }

  await t.test("the walk reaches nested nodes, array items and anyOf branches", () => {
    const visited = reports.get("ChatCompletionChunk")!.map((r) => `${r.where} = ${r.source}`);
    for (const expected of [
      "ChatCompletionChunk = CreateChatCompletionStreamResponse",
      // array items
      "ChatCompletionChunk.choices[] = CreateChatCompletionStreamResponse#/properties/choices/items",
      // nested objects, arrays within them
      "ChatCompletionChunk.choices[].delta = ChatCompletionStreamResponseDelta",
      "ChatCompletionChunk.choices[].delta.tool_calls[].function = ChatCompletionMessageToolCallChunk#/properties/function",
      // usage is nullable(usage): the object sits in an anyOf branch
      "ChatCompletionChunk.usage = CompletionUsage",
    ]) {
      assert.ok(visited.includes(expected), `not visited: ${expected}\nvisited: ${visited.join("\n  ")}`);
    }
    const total = [...reports.values()].reduce((n, r) => n + r.length, 0);
    assert.ok(total >= 40, `expected to visit every object node, visited ${total}`);
  });

  await t.test("the cross-check catches drift (a deliberately wrong node)", () => {
    const wrong: Schema = {
      type: "object",
      [SOURCE]: "Model",
      properties: {
        id: { type: "integer" },
        object: { type: "string", enum: ["model", "models"] },
        created: { anyOf: [{ type: "integer" }, { type: "null" }] },
        colour: { type: "string" },
      },
      required: ["id"],
      [SPEC_REQUIRED]: ["object", "created"],
    };
    const found = crossCheck(wrong, "Wrong").flatMap((r) => r.mismatches);
    assert.deepEqual(found.map((m) => m.key).sort(), [
      "Model colour property",
      "Model created types",
      "Model id types",
      "Model object enum",
      "Model owned_by required-missing",
    ]);
    const text = found.find((m) => m.key === "Model id types")!.text;
    assert.equal(text, "Wrong (Model) · id: types ours {integer} ⊄ spec {string} (extra: {integer})");

    // A nested node must name the schema the spec has at its position.
    const misplaced: Schema = {
      type: "object",
      [SOURCE]: "ListModelsResponse",
      properties: {
        data: {
          type: "array",
          items: {
            type: "object",
            [SOURCE]: "OpenAIFile",
            properties: { id: { type: "string" } },
            required: ["id", "object", "bytes", "created_at", "filename", "purpose", "status"],
          },
        },
      },
      required: ["data", "object"],
    };
    assert.deepEqual(
      crossCheck(misplaced, "Misplaced").flatMap((r) => r.mismatches.map((m) => m.text)),
      [
        "Misplaced.data[] (OpenAIFile) · (node): x-source OpenAIFile is not the schema the spec has at this position",
      ],
    );
  });

  await t.test("every KNOWN_GAPS entry still occurs (remove it once the spec or shape changes)", () => {
    const keys = new Set([...reports.values()].flat().flatMap((r) => r.mismatches.map((m) => m.key)));
    const stale = KNOWN_GAPS.filter((g) => !keys.has(g.key)).map((g) => g.key);
    assert.deepEqual(stale, [], `KNOWN_GAPS entries that no longer occur: ${stale.join("; ")}`);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The shapes as validators

const created = 1_741_569_952;

const chatCompletion = () => ({
  id: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
  object: "chat.completion",
  created,
  model: "gpt-4o-2024-08-06",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: "Hello! How can I assist you today?",
        refusal: null,
        annotations: [],
      },
      logprobs: null,
      finish_reason: "stop",
    },
  ],
  usage: {
    prompt_tokens: 19,
    completion_tokens: 10,
    total_tokens: 29,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: "default",
  system_fingerprint: "fp_fc9f1d7035",
});

const model = { id: "gpt-4o-mini", object: "model", created: 1_721_172_741, owned_by: "system" };

const outputMessage = {
  type: "message",
  id: "msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41",
  status: "completed",
  role: "assistant",
  content: [{ type: "output_text", text: "Hi there.", annotations: [], logprobs: [] }],
};

const response = {
  id: "resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41",
  object: "response",
  created_at: 1_741_476_777,
  status: "completed",
  completed_at: 1_741_476_778,
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  model: "gpt-4o-2024-08-06",
  output: [
    { type: "reasoning", id: "rs_1", summary: [] },
    outputMessage,
    { type: "function_call", call_id: "call_1", name: "get_weather", arguments: "{}", status: "completed" },
  ],
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: null, summary: null },
  store: true,
  temperature: 1,
  text: { format: { type: "text" } },
  tool_choice: "auto",
  tools: [],
  top_p: 1,
  truncation: "disabled",
  usage: {
    input_tokens: 328,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 52,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 380,
  },
  user: null,
  metadata: {},
};

const moderationResult = (illicit: boolean | null) => {
  const names = [
    "hate",
    "hate/threatening",
    "harassment",
    "harassment/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
  ];
  return {
    flagged: false,
    categories: Object.fromEntries(names.map((n) => [n, n.startsWith("illicit") ? illicit : false])),
    category_scores: Object.fromEntries(names.map((n) => [n, 1.2e-5])),
    category_applied_input_types: Object.fromEntries(names.map((n) => [n, ["text"]])),
  };
};

const SAMPLES: Record<ShapeName, unknown> = {
  Error: {
    error: {
      message:
        "Incorrect API key provided: sk-abc. You can find your API key at https://platform.openai.com/account/api-keys.",
      type: "invalid_request_error",
      param: null,
      code: "invalid_api_key",
    },
  },
  Model: model,
  ModelList: {
    object: "list",
    data: [
      model,
      { id: "text-embedding-3-small", object: "model", created: 1_705_948_997, owned_by: "system" },
    ],
  },
  ChatCompletion: chatCompletion(),
  ChatCompletionChunk: {
    id: "chatcmpl-123",
    object: "chat.completion.chunk",
    created,
    model: "gpt-4o-mini",
    system_fingerprint: "fp_44709d6fcb",
    choices: [
      {
        index: 0,
        delta: { role: "assistant", content: "", refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ],
    usage: null,
    obfuscation: "a1b2",
  },
  TextCompletion: {
    id: "cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7",
    object: "text_completion",
    created: 1_589_478_378,
    model: "gpt-3.5-turbo-instruct",
    system_fingerprint: "fp_44709d6fcb",
    choices: [{ text: "\n\nThis is indeed a test", index: 0, logprobs: null, finish_reason: "length" }],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
  },
  Response: response,
  ResponseOutputMessage: outputMessage,
  ResponseStreamEvent: {
    type: "response.in_progress",
    sequence_number: 1,
    response: { ...response, status: "in_progress" },
  },
  ResponseTextDeltaEvent: {
    type: "response.output_text.delta",
    item_id: "msg_123",
    output_index: 0,
    content_index: 0,
    delta: "In",
    sequence_number: 4,
    logprobs: [],
    obfuscation: "x",
  },
  ResponseCompletedEvent: { type: "response.completed", response, sequence_number: 9 },
  EmbeddingList: {
    object: "list",
    data: [{ object: "embedding", embedding: [0.0023064255, -0.009327292, -0.0028842222], index: 0 }],
    model: "text-embedding-3-small",
    usage: { prompt_tokens: 8, total_tokens: 8 },
  },
  ImagesResponse: {
    created: 1_713_833_628,
    data: [{ b64_json: "iVBORw0KGgo=", revised_prompt: "A single red dot on a white background." }],
    usage: {
      total_tokens: 100,
      input_tokens: 50,
      output_tokens: 50,
      input_tokens_details: { text_tokens: 10, image_tokens: 40 },
    },
  },
  Transcription: {
    text: "Imagine the wildest idea that you've ever had.",
    usage: { type: "duration", seconds: 3 },
  },
  TranscriptionVerbose: {
    task: "transcribe",
    language: "english",
    duration: 8.470000267028809,
    text: "The beach was a popular spot on a hot summer day.",
    segments: [
      {
        id: 0,
        seek: 0,
        start: 0,
        end: 3.32,
        text: " The beach was a popular spot",
        tokens: [50364],
        temperature: 0,
      },
    ],
  },
  Translation: { text: "Hello, my name is Wolfgang and I come from Germany. Where are you heading today?" },
  Moderation: {
    id: "modr-0d9740456c391e43c445bf0f010940c7",
    model: "omni-moderation-latest",
    results: [moderationResult(false)],
  },
  FileList: {
    object: "list",
    data: [
      {
        id: "file-abc123",
        object: "file",
        bytes: 175,
        created_at: 1_613_677_385,
        expires_at: 1_677_614_202,
        filename: "salesOverview.pdf",
        purpose: "assistants",
        status: "processed",
      },
    ],
    first_id: "file-abc123",
    last_id: "file-abc123",
    has_more: false,
  },
  FineTuningJobList: {
    object: "list",
    data: [
      {
        object: "fine_tuning.job",
        id: "ftjob-abc123",
        model: "gpt-4o-mini-2024-07-18",
        created_at: 1_721_764_800,
        fine_tuned_model: null,
        organization_id: "org-123",
        result_files: [],
        status: "queued",
        validation_file: null,
        training_file: "file-abc123",
        hyperparameters: { batch_size: "auto", learning_rate_multiplier: "auto", n_epochs: "auto" },
        error: null,
        finished_at: null,
        trained_tokens: null,
        seed: 683_058_546,
        metadata: { key: "value" },
      },
    ],
    has_more: true,
  },
  BatchList: {
    object: "list",
    data: [
      {
        id: "batch_abc123",
        object: "batch",
        endpoint: "/v1/chat/completions",
        errors: null,
        input_file_id: "file-abc123",
        completion_window: "24h",
        status: "completed",
        output_file_id: "file-cvaTdG",
        error_file_id: "file-HOWS94",
        created_at: 1_711_471_533,
        request_counts: { total: 100, completed: 95, failed: 5 },
        metadata: { customer_id: "user_123456789" },
      },
    ],
    first_id: "batch_abc123",
    last_id: "batch_abc456",
    has_more: true,
  },
  Video: {
    id: "video_123",
    object: "video",
    model: "sora-2",
    status: "queued",
    progress: 0,
    created_at: 1_712_697_600,
    completed_at: null,
    expires_at: null,
    prompt: "A calico cat playing a piano on stage",
    size: "1280x720",
    seconds: "8",
    remixed_from_video_id: null,
    error: null,
  },
  // responses group: examples from the API reference
  FunctionToolCall: {
    id: "fc_12345xyz",
    type: "function_call",
    call_id: "call_12345xyz",
    name: "get_weather",
    arguments: '{"location":"Paris, France"}',
    status: "completed",
  },
  ReasoningItem: { id: "rs_123", type: "reasoning", summary: [], encrypted_content: null },
  ResponseItemList: {
    object: "list",
    data: [
      { id: "msg_abc123", type: "message", role: "user", content: [{ type: "input_text", text: "Hi" }] },
    ],
    first_id: "msg_abc123",
    last_id: "msg_abc123",
    has_more: false,
  },
  ResponseFunctionCallArgumentsDoneEvent: {
    type: "response.function_call_arguments.done",
    item_id: "item-abc",
    name: "get_weather",
    output_index: 1,
    arguments: '{ "arg": 123 }',
    sequence_number: 1,
  },
  CompactResource: {
    id: "resp_001",
    object: "response.compaction",
    output: [{ type: "compaction", id: "cmp_001", encrypted_content: "encrypted-summary" }],
    created_at: 1731459200,
    usage: { input_tokens: 42897, output_tokens: 12000, total_tokens: 54912 },
  },
  Conversation: {
    id: "conv_123",
    object: "conversation",
    created_at: 1741900000,
    metadata: { topic: "demo" },
  },
  Upload: {
    id: "upload_abc123",
    object: "upload",
    bytes: 2147483648,
    created_at: 1719184911,
    filename: "training_examples.jsonl",
    purpose: "fine-tune",
    status: "pending",
    expires_at: 1719127296,
  },
};

const brief = (ps: Problem[]) => ps.map((p) => `${p.severity} ${p.pointer} (${p.expected}; got ${p.got})`);

describe("shapes as validators", () => {
  for (const name of Object.keys(shapes) as ShapeName[]) {
    test(`${name}: a realistic OpenAI body has no problems`, () => {
      assert.deepEqual(brief(validateShape(name, SAMPLES[name])), []);
    });
  }

  test("also valid: an empty file page, a base64 embedding, a streamed legacy chunk, a null illicit category", () => {
    const empty = { object: "list", data: [], first_id: null, last_id: null, has_more: false };
    assert.deepEqual(brief(validateShape("FileList", empty)), []);
    const b64 = {
      object: "list",
      data: [{ object: "embedding", embedding: "AAAAAA==", index: 0 }],
      model: "m",
      usage: { prompt_tokens: 1, total_tokens: 1 },
    };
    assert.deepEqual(brief(validateShape("EmbeddingList", b64)), []);
    const chunk = {
      id: "cmpl-1",
      object: "text_completion",
      created,
      model: "m",
      choices: [{ text: "Hi", index: 0, logprobs: null, finish_reason: null }],
    };
    assert.deepEqual(brief(validateShape("TextCompletion", chunk)), []);
    const textModeration = { id: "modr-1", model: "text-moderation-007", results: [moderationResult(null)] };
    assert.deepEqual(brief(validateShape("Moderation", textModeration)), []);
  });

  test("missing choices[0].message.content is a FAIL, rendered as a person reads it", () => {
    const body = chatCompletion();
    delete (body.choices[0]!.message as { content?: unknown }).content;
    const problems = validateShape("ChatCompletion", body);
    assert.deepEqual(problems, [
      {
        pointer: "/choices/0/message/content",
        expected: "present",
        got: "missing",
        severity: "fail",
        source: "ChatCompletionResponseMessage",
      },
    ]);
    assert.equal(describeProblem(problems[0]!), "`choices[0].message.content` missing");
  });

  test("missing refusal is a WARN (spec-required); missing system_fingerprint is nothing (not spec-required)", () => {
    const body = chatCompletion();
    delete (body.choices[0]!.message as { refusal?: unknown }).refusal;
    delete (body as { system_fingerprint?: unknown }).system_fingerprint;
    const problems = validateShape("ChatCompletion", body);
    assert.deepEqual(brief(problems), [
      "warn /choices/0/message/refusal (present (spec-required); got missing)",
    ]);
    assert.equal(problems[0]!.source, "ChatCompletionResponseMessage");
    assert.equal(describeProblem(problems[0]!), "`choices[0].message.refusal` missing (spec-required)");
  });

  test("top-level omissions split into FAIL (clients need it) and WARN (spec-required), fails first", () => {
    const { id: _id, created: _created, object: _object, ...rest } = chatCompletion();
    assert.deepEqual(brief(validateShape("ChatCompletion", rest)), [
      "fail /id (present; got missing)",
      "warn /object (present (spec-required); got missing)",
      "warn /created (present (spec-required); got missing)",
    ]);
  });

  test("wrong types and values are FAILs with both sides", () => {
    const body = chatCompletion();
    (body.choices[0] as { finish_reason: unknown }).finish_reason = "done";
    (body as { created: unknown }).created = "1741569952";
    const problems = validateShape("ChatCompletion", body);
    assert.deepEqual(brief(problems), [
      'fail /created (integer; got string "1741569952")',
      'fail /choices/0/finish_reason (one of stop, length, tool_calls, content_filter, function_call; got string "done")',
    ]);
    assert.equal(
      describeProblem(problems[1]!),
      '`choices[0].finish_reason` is string "done", expected one of stop, length, tool_calls, content_filter, function_call',
    );
    const empty = { ...chatCompletion(), choices: [] };
    assert.deepEqual(brief(validateShape("ChatCompletion", empty)), [
      "fail /choices (at least 1 item(s); got array(0))",
    ]);
  });

  test("stream chunks: null finish_reason is fine, a missing index warns, a missing delta fails", () => {
    const chunk = SAMPLES.ChatCompletionChunk as { choices: Record<string, unknown>[] };
    const { index: _index, ...noIndex } = chunk.choices[0]!;
    assert.deepEqual(brief(validateShape("ChatCompletionChunk", { ...chunk, choices: [noIndex] })), [
      "warn /choices/0/index (present (spec-required); got missing)",
    ]);
    const { delta: _delta, ...noDelta } = chunk.choices[0]!;
    assert.deepEqual(brief(validateShape("ChatCompletionChunk", { ...chunk, choices: [noDelta] })), [
      "fail /choices/0/delta (present; got missing)",
    ]);
  });

  test("an error envelope with only a message warns for type, param and code", () => {
    const problems = validateShape("Error", { error: { message: "model not found" } });
    assert.deepEqual(
      problems.map((p) => [p.pointer, p.severity, p.source]),
      [
        ["/error/type", "warn", "Error"],
        ["/error/param", "warn", "Error"],
        ["/error/code", "warn", "Error"],
      ],
    );
  });

  test("Responses: stream events need a type and warn without sequence_number; output items only need a type", () => {
    assert.deepEqual(brief(validateShape("ResponseStreamEvent", { type: "response.created", response })), [
      "warn /sequence_number (present (spec-required); got missing)",
    ]);
    assert.deepEqual(brief(validateShape("ResponseStreamEvent", { sequence_number: 0 })), [
      "fail /type (present; got missing)",
    ]);
    const badOutput = { ...response, output: [{ id: "x" }] };
    assert.deepEqual(
      validateShape("Response", badOutput).map((p) => [p.pointer, p.severity, p.source]),
      [["/output/0/type", "fail", "OutputItem"]],
    );
  });

  test("listings: a job or batch missing spec-required fields warns; a non-boolean category fails", () => {
    const job = {
      object: "list",
      data: [{ id: "ftjob-1", object: "fine_tuning.job", status: "queued" }],
      has_more: false,
    };
    const warned = validateShape("FineTuningJobList", job);
    assert.ok(
      warned.length > 0 && warned.every((p) => p.severity === "warn" && p.source === "FineTuningJob"),
    );
    assert.ok(warned.some((p) => p.pointer === "/data/0/training_file"));
    const batch = { object: "list", data: [{ id: "batch_1" }], has_more: false };
    assert.deepEqual(
      validateShape("BatchList", batch).map((p) => `${p.severity} ${p.pointer}`),
      ["object", "endpoint", "input_file_id", "completion_window", "status", "created_at"].map(
        (f) => `warn /data/0/${f}`,
      ),
    );
    const moderation = { id: "modr-1", model: "m", results: [moderationResult(false)] };
    (moderation.results[0]!.categories as Record<string, unknown>).hate = null;
    assert.deepEqual(
      validateShape("Moderation", moderation).map((p) => `${p.severity} ${p.pointer}`),
      ["fail /results/0/categories/hate"],
    );
  });
});
