/** Joins the `openapi:declared` row and the report section to a finished run (after the scope rule). */
import type { OpenapiFound } from "../probe/openapi-doc.js";
import type { DeclaredSection, Result } from "../report/types.js";
import { DECLARED_ROW, declaredSection, gradeDeclared, readDocument } from "./analyse.js";

export async function withDeclared(
  results: Result[],
  asked: Promise<OpenapiFound> | undefined,
): Promise<{ results: Result[]; section?: DeclaredSection }> {
  const index = results.findIndex((r) => r.id === DECLARED_ROW);
  const found = index >= 0 ? await asked : undefined;
  if (found?.kind !== "document" || results[index]!.status !== "PASS") return { results };
  const section = declaredSection(readDocument(found.doc, found.at, found.bytes), results);
  const out = [...results];
  out[index] = gradeDeclared(results[index]!, section);
  return { results: out, section };
}
