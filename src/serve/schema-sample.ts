/**
 * A value that validates against a JSON Schema, for tool-call arguments and `json_schema` replies.
 * Deliberately simple and deterministic: required properties only, strings "x", numbers 1, booleans true,
 * first enum value, first anyOf/oneOf branch, local `$ref`s resolved.
 */

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

const FORMATS: Record<string, string> = {
  "date-time": "2025-01-01T00:00:00Z",
  date: "2025-01-01",
  time: "00:00:00Z",
  email: "x@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
  ipv4: "127.0.0.1",
  hostname: "example.com",
};

const MAX_DEPTH = 32;

function resolveRef(ref: string, root: Schema): unknown {
  if (!ref.startsWith("#")) return {};
  let node: unknown = root;
  for (const part of ref.slice(1).split("/").filter(Boolean)) {
    if (!isSchema(node)) return {};
    node = node[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node ?? {};
}

function sampleNumber(s: Schema, integer: boolean): number {
  let n = 1;
  const min = typeof s.minimum === "number" ? s.minimum : undefined;
  const max = typeof s.maximum === "number" ? s.maximum : undefined;
  const xmin = typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum : undefined;
  const xmax = typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum : undefined;
  if (min !== undefined && n < min) n = integer ? Math.ceil(min) : min;
  if (xmin !== undefined && n <= xmin) n = integer ? Math.floor(xmin) + 1 : xmin + 1;
  if (max !== undefined && n > max) n = integer ? Math.floor(max) : max;
  if (xmax !== undefined && n >= xmax) n = integer ? Math.ceil(xmax) - 1 : xmax - 0.5;
  return n;
}

function sampleString(s: Schema): string {
  const base = typeof s.format === "string" && FORMATS[s.format] ? FORMATS[s.format]! : "x";
  const min = typeof s.minLength === "number" ? s.minLength : 0;
  const max = typeof s.maxLength === "number" ? s.maxLength : Number.POSITIVE_INFINITY;
  const padded = base.length < min ? base + "x".repeat(min - base.length) : base;
  return padded.slice(0, Math.max(0, max));
}

function sample(schema: unknown, root: Schema, depth: number): unknown {
  if (schema === true || !isSchema(schema) || depth > MAX_DEPTH) return "x";
  const s = schema;
  if (typeof s.$ref === "string") return sample(resolveRef(s.$ref, root), root, depth + 1);
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const pick = branches.find((b) => !(isSchema(b) && b.type === "null")) ?? branches[0];
      return sample({ ...s, [key]: undefined, ...(pick as Schema) }, root, depth + 1);
    }
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    const deref = (part: unknown) =>
      isSchema(part) && typeof part.$ref === "string" ? resolveRef(part.$ref, root) : part;
    const merged = s.allOf
      .map(deref)
      .reduce<Schema>((acc, part) => mergeSchemas(acc, isSchema(part) ? part : {}), {
        ...s,
        allOf: undefined,
      });
    return sample(merged, root, depth + 1);
  }
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const type = types.find((t) => t !== "null") ?? types[0] ?? (isSchema(s.properties) ? "object" : undefined);
  switch (type) {
    case "object":
      return sampleObject(s, root, depth);
    case "array": {
      const min = typeof s.minItems === "number" ? s.minItems : 0;
      const max = typeof s.maxItems === "number" ? s.maxItems : Number.POSITIVE_INFINITY;
      const count = Math.min(Math.max(min, 1), max);
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      return Array.from({ length: Math.max(count, prefix.length) }, (_, i) =>
        sample(prefix[i] ?? s.items ?? {}, root, depth + 1),
      );
    }
    case "integer":
      return sampleNumber(s, true);
    case "number":
      return sampleNumber(s, false);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return sampleString(s);
  }
}

function sampleObject(s: Schema, root: Schema, depth: number): Record<string, unknown> {
  const props = isSchema(s.properties) ? s.properties : {};
  const required = Array.isArray(s.required)
    ? s.required.filter((r): r is string => typeof r === "string")
    : [];
  const out: Record<string, unknown> = {};
  for (const name of required) out[name] = sample(props[name] ?? {}, root, depth + 1);
  return out;
}

function mergeSchemas(a: Schema, b: Schema): Schema {
  const merged: Schema = { ...a, ...b };
  if (isSchema(a.properties) || isSchema(b.properties)) {
    merged.properties = {
      ...(isSchema(a.properties) ? a.properties : {}),
      ...(isSchema(b.properties) ? b.properties : {}),
    };
  }
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    merged.required = [
      ...(Array.isArray(a.required) ? a.required : []),
      ...(Array.isArray(b.required) ? b.required : []),
    ];
  }
  return merged;
}

export function sampleFromSchema(schema: unknown): unknown {
  return sample(schema, isSchema(schema) ? schema : {}, 0);
}
