/**
 * Typed access to request parameters, from a JSON body or a multipart form, with OpenAI-style 400s.
 * Multipart values arrive as strings, so numbers and booleans are coerced only there.
 */
import { ApiError, badRequest, missingParam } from "./reply.js";

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

const invalidType = (name: string, expected: string, got: unknown) =>
  badRequest(
    `Invalid type for '${name}': expected ${expected}, but got ${typeName(got)} instead.`,
    name,
    "invalid_type",
  );

interface Range {
  min?: number;
  max?: number;
}

export class Params {
  constructor(
    readonly values: Json,
    readonly multipart = false,
  ) {}

  /** The raw value; `null` counts as absent, as OpenAI treats explicit nulls as defaults. */
  raw(name: string): unknown {
    const v = this.values[name];
    return v === null ? undefined : v;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  string(name: string, allowed?: readonly string[]): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw invalidType(name, "a string", v);
    if (allowed && !allowed.includes(v)) {
      throw badRequest(
        `Invalid value: '${v}'. Supported values are: ${allowed.map((a) => `'${a}'`).join(", ")}.`,
        name,
        "invalid_value",
      );
    }
    return v;
  }

  requireString(name: string, allowed?: readonly string[]): string {
    const v = this.string(name, allowed);
    if (v === undefined || v === "") throw missingParam(name);
    return v;
  }

  number(name: string, range: Range = {}, integer = false): number | undefined {
    let v = this.raw(name);
    if (v === undefined) return undefined;
    if (this.multipart && typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
      v = Number(v);
    }
    const kind = integer ? "integer" : "decimal";
    if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      throw invalidType(name, integer ? "an integer" : "a number", v);
    }
    if (range.min !== undefined && v < range.min) {
      throw badRequest(
        `Invalid '${name}': ${kind} below minimum value. Expected a value >= ${range.min}, but got ${v} instead.`,
        name,
        `${kind}_below_min_value`,
      );
    }
    if (range.max !== undefined && v > range.max) {
      throw badRequest(
        `Invalid '${name}': ${kind} above maximum value. Expected a value <= ${range.max}, but got ${v} instead.`,
        name,
        `${kind}_above_max_value`,
      );
    }
    return v;
  }

  int(name: string, range: Range = {}): number | undefined {
    return this.number(name, range, true);
  }

  bool(name: string): boolean | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (this.multipart && (v === "true" || v === "false")) return v === "true";
    if (typeof v !== "boolean") throw invalidType(name, "a boolean", v);
    return v;
  }

  object(name: string): Json | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!isObject(v)) throw invalidType(name, "an object", v);
    return v;
  }

  array(name: string): unknown[] | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw invalidType(name, "an array", v);
    return v;
  }

  /** Uploaded files under `name` or `name[]` (the openai SDK sends arrays as `image[]`). */
  files(name: string): File[] {
    const found = [this.values[name], this.values[`${name}[]`]].flat().filter((v) => v !== undefined);
    for (const v of found) {
      if (!(v instanceof File)) throw badRequest(`'${name}' must be a file upload.`, name, "invalid_type");
    }
    return found as File[];
  }

  requireFile(name: string): File {
    const [file] = this.files(name);
    if (!file) throw missingParam(name);
    return file;
  }
}

/** A multipart form as plain values; repeated keys (and `key[]`) become arrays. */
export function formValues(form: FormData): Json {
  const out: Json = {};
  for (const [key, value] of form.entries()) {
    const prev = out[key];
    if (prev === undefined) out[key] = key.endsWith("[]") ? [value] : value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** `stream` and `stream_options.include_usage`; as on OpenAI, stream_options requires stream. */
export function streamParams(p: Params): { stream: boolean; includeUsage: boolean } {
  const stream = p.bool("stream") ?? false;
  const options = p.object("stream_options");
  if (options && !stream) {
    throw badRequest(
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      "stream_options",
    );
  }
  return { stream, includeUsage: options?.include_usage === true };
}

/** `stop`: a string or up to 4 strings. */
export function stopStrings(p: Params): string[] {
  const v = p.raw("stop");
  if (v === undefined) return [];
  const list = typeof v === "string" ? [v] : v;
  if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) {
    throw new ApiError(400, "Invalid type for 'stop': expected a string or an array of strings.", {
      param: "stop",
      code: "invalid_type",
    });
  }
  if (list.length > 4) throw badRequest("Invalid 'stop': array too long. Expected at most 4 items.", "stop");
  return (list as string[]).filter((s) => s !== "");
}
