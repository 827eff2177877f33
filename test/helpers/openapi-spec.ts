// The shared copy of OpenAI's OpenAPI file, for tests that cross-check aioc's pinned data against it.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

type Json = Record<string, unknown>;

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** `../shared/openai-openapi/openapi.json` next to the repository (or $AIOC_OPENAPI), and every place tried. */
export function locateOpenApi(): { path?: string; tried: string[] } {
  const candidates = [
    process.env.AIOC_OPENAPI,
    join(REPO, "..", "shared", "openai-openapi", "openapi.json"),
    "/work/shared/openai-openapi/openapi.json",
  ].filter((p): p is string => typeof p === "string" && p.length > 0);
  const tried = candidates.map((p) => resolve(p));
  return { path: tried.find((p) => existsSync(p)), tried };
}

/** The properties of a component schema with its allOf/anyOf parts, $refs resolved. */
export function specProperties(doc: Json, name: string): Set<string> {
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  const out = new Set<string>();
  const walk = (s: Json | undefined, depth: number) => {
    if (!s || depth > 8) return;
    const ref = s.$ref;
    if (typeof ref === "string") return walk(schemas[ref.split("/").at(-1)!], depth + 1);
    for (const k of Object.keys((s.properties as Json | undefined) ?? {})) out.add(k);
    for (const part of [...((s.allOf as Json[]) ?? []), ...((s.anyOf as Json[]) ?? [])])
      walk(part, depth + 1);
  };
  walk(schemas[name], 0);
  return out;
}

/** Every spec property has a row (or is explained), and every row names a property the spec has. */
export function assertCoversSpec(
  spec: ReadonlySet<string>,
  covered: ReadonlySet<string>,
  schema: string,
): void {
  assert.deepEqual(
    [...spec].filter((p) => !covered.has(p)),
    [],
    `${schema} properties without a row`,
  );
  assert.deepEqual(
    [...covered].filter((p) => !spec.has(p)),
    [],
    `rows naming properties ${schema} does not have`,
  );
}
