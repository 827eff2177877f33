/**
 * A tiny vocabulary for writing JSON Schema (2020-12) the way OpenAI's OpenAPI document writes it.
 *
 * Every object node names the spec component it was written from in `x-source`
 * (`Component` or `Component#/json/pointer`), so tests can cross-check it against openapi.json.
 * `required` lists fields whose absence breaks real clients (FAIL); `x-spec-required` lists fields
 * the spec requires but clients tolerate missing (reported as a WARN deviation).
 */

export type Schema = { [key: string]: unknown };

export const SPEC_REQUIRED = "x-spec-required";
export const SOURCE = "x-source";

export const str = (extra: Schema = {}): Schema => ({ type: "string", ...extra });
export const int = (extra: Schema = {}): Schema => ({ type: "integer", ...extra });
export const num = (extra: Schema = {}): Schema => ({ type: "number", ...extra });
export const bool = (): Schema => ({ type: "boolean" });
export const oneOfValues = (...values: string[]): Schema => ({ type: "string", enum: values });
export const literal = (value: string): Schema => ({ type: "string", enum: [value] });
export const arr = (items: Schema, extra: Schema = {}): Schema => ({ type: "array", items, ...extra });
export const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: "null" }] });
/** Any JSON object; used where the spec's own union is too wide to be worth restating. */
export const anyObject = (): Schema => ({ type: "object" });

export function obj(
  source: string,
  properties: Record<string, Schema>,
  required: string[],
  specRequired: string[] = [],
): Schema {
  const node: Schema = { type: "object", [SOURCE]: source, properties, required };
  if (specRequired.length > 0) node[SPEC_REQUIRED] = specRequired;
  return node;
}

/** A union told apart by `type`: parts tagged `tag` must match `tagged`, all others `otherwise` (exact errors). */
export function byType(tag: string, tagged: Schema, otherwise: Schema): Schema {
  return {
    type: "object",
    if: { properties: { type: { const: tag } }, required: ["type"] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword, not a thenable
    then: tagged,
    else: otherwise,
  };
}
