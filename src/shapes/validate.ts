import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type { Problem } from "../report/types.js";
import { type Schema, SOURCE, SPEC_REQUIRED } from "./dsl.js";
import { precompiled } from "./precompiled.js";
import { type ShapeName, shapes } from "./schemas.js";

// The bundle carries validators generated at build time, so it never compiles a shape; unbundled runs (tsx)
// compile each on first use.
const compileShape = precompiled ? undefined : (await import("./compile.js")).compileShape;
const validator = (name: ShapeName): ValidateFunction => precompiled?.[name] ?? compileShape!(name);

/** Renders a JSON pointer as the path a person reads: `/choices/0/message` → `choices[0].message`. */
export function fieldPath(pointer: string): string {
  if (!pointer || pointer === "/") return "(body)";
  // Not a JSON pointer (`header:content-type`, `stream`, `stream/3/…`): already readable as it is.
  if (!pointer.startsWith("/")) return pointer;
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "object") return "object";
  return `${typeof value} ${String(value)}`;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur: unknown = data;
  for (const part of pointer.split("/").slice(1)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}

/** The nearest `x-source` along an Ajv schemaPath such as `#/properties/choices/items/required`. */
function sourceOf(schemaPath: string, root: Schema): string | undefined {
  let node: unknown = root;
  let found: string | undefined;
  for (const part of schemaPath.replace(/^#\//, "").split("/")) {
    if (!node || typeof node !== "object") break;
    const src = (node as Schema)[SOURCE];
    if (typeof src === "string") found = src;
    node = (node as Schema)[part];
  }
  return found;
}

function toProblem(err: ErrorObject, data: unknown, root: Schema): Problem | undefined {
  const source = sourceOf(err.schemaPath, root);
  if (err.keyword === "required" || err.keyword === SPEC_REQUIRED) {
    const field = String((err.params as { missingProperty: string }).missingProperty);
    return {
      pointer: `${err.instancePath}/${field}`,
      expected: err.keyword === "required" ? "present" : "present (spec-required)",
      got: "missing",
      severity: err.keyword === "required" ? "fail" : "warn",
      source,
    };
  }
  // anyOf reports its branches' errors separately; the branch errors already say what is wrong.
  if (err.keyword === "anyOf" || err.keyword === "if") return undefined;
  const got = describe(valueAt(data, err.instancePath));
  let expected = err.message ?? err.keyword;
  if (err.keyword === "type") expected = String((err.params as { type: string }).type);
  if (err.keyword === "enum")
    expected = `one of ${(err.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  if (err.keyword === "minItems") expected = `at least ${(err.params as { limit: number }).limit} item(s)`;
  return { pointer: err.instancePath, expected, got, severity: "fail", source };
}

/** Validates a parsed JSON body against a canonical shape; returns field-level problems (empty when valid). */
export function validateShape(name: ShapeName, data: unknown): Problem[] {
  return problemsOf(validator(name), name, data);
}

/** validateShape with a given validator for the shape (the precompiled-equivalence test runs both kinds). */
export function problemsOf(fn: ValidateFunction, name: ShapeName, data: unknown): Problem[] {
  if (fn(data)) return [];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  /** Type findings by pointer: a value that matches none of a union's types is one finding, not one per branch. */
  const typed = new Map<string, Problem>();
  const errors = fn.errors ?? [];
  /** A nullable object or array whose value failed inside: the null branch's "expected null" is noise. */
  const failedInside = (err: ErrorObject) =>
    errors.some((e) => e.instancePath.startsWith(`${err.instancePath}/`));
  for (const err of errors) {
    if (err.keyword === "type" && (err.params as { type: string }).type === "null" && failedInside(err))
      continue;
    const p = toProblem(err, data, shapes[name]);
    if (!p) continue;
    const key = `${p.pointer}|${p.expected}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const union = err.keyword === "type" ? typed.get(p.pointer) : undefined;
    if (union) {
      union.expected = `${union.expected} or ${p.expected}`;
      continue;
    }
    if (err.keyword === "type") typed.set(p.pointer, p);
    problems.push(p);
  }
  // Fails first.
  return problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "fail" ? -1 : 1));
}

/** One line a person understands: "`choices[0].message.content` missing". */
export function describeProblem(p: Problem): string {
  const field = `\`${fieldPath(p.pointer)}\``;
  if (p.got === "missing") return `${field} missing${p.severity === "warn" ? " (spec-required)" : ""}`;
  return `${field} is ${p.got}, expected ${p.expected}`;
}
