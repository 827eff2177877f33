/**
 * A corpus of bodies for one canonical shape, derived from its schema: a complete valid body, then that body
 * broken one way at a time (each required and spec-required field removed, each value given the wrong type,
 * each enum a value outside it, each array emptied and its items broken in turn), plus non-object bodies.
 */
import type { Schema } from "../../src/shapes/dsl.js";
import { SPEC_REQUIRED } from "../../src/shapes/dsl.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WRONG: Json[] = [null, 42, 1.5, "text", true, [], {}];

function sampleOf(schema: Schema): Json {
  if (Array.isArray(schema.anyOf)) return sampleOf(schema.anyOf[0] as Schema);
  if (schema.then) return sampleOf(schema.then as Schema);
  if (Array.isArray(schema.enum)) return schema.enum[0] as Json;
  switch (schema.type) {
    case "string":
      return "s";
    case "integer":
      return 7;
    case "number":
      return 0.5;
    case "boolean":
      return false;
    case "array": {
      const items = schema.items as Schema;
      // A tagged union's items: one of each branch.
      return items.then
        ? [sampleOf(items.then as Schema), sampleOf(items.else as Schema)]
        : [sampleOf(items)];
    }
    default: {
      const out: { [key: string]: Json } = {};
      for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>))
        out[key] = sampleOf(sub);
      for (const key of (schema[SPEC_REQUIRED] ?? []) as string[]) out[key] ??= "s";
      if (schema.additionalProperties) out.extra = sampleOf(schema.additionalProperties as Schema);
      return out;
    }
  }
}

/** Every one-step breakage of `value` (valid for `schema`), each as a whole new body built by `rebuild`. */
function breakages(schema: Schema, value: Json, rebuild: (v: Json | undefined) => Json, out: Json[]): void {
  for (const w of WRONG) if (JSON.stringify(w) !== JSON.stringify(value)) out.push(rebuild(w));
  if (Array.isArray(schema.enum)) out.push(rebuild("not-in-the-enum"));
  const branches = [schema.then, schema.else, ...((schema.anyOf as Schema[] | undefined) ?? [])] as const;
  for (const branch of branches) if (branch) breakages(branch as Schema, value, rebuild, out);
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => {
      breakages(
        schema.items as Schema,
        item,
        (v) => rebuild(value.map((x, j) => (j === i ? (v as Json) : x))),
        out,
      );
    });
  } else if (value && typeof value === "object" && !Array.isArray(value)) {
    const fields = [...((schema.required ?? []) as string[]), ...((schema[SPEC_REQUIRED] ?? []) as string[])];
    for (const key of new Set([...fields, ...Object.keys(value)])) {
      const { [key]: _, ...rest } = value;
      out.push(rebuild(rest));
    }
    // Everything required missing at once (one error per field, in order).
    out.push(rebuild({}));
    for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      const v = value[key];
      if (v !== undefined) breakages(sub, v, (nv) => rebuild({ ...value, [key]: nv as Json }), out);
    }
  }
}

export function shapeSamples(schema: Schema): Json[] {
  const valid = sampleOf(schema);
  const out: Json[] = [valid, null, [], "text", 0];
  breakages(schema, valid, (v) => v as Json, out);
  return out;
}
