/**
 * Declared vs observed (issue #15): the server's own OpenAPI document against OpenAI's pinned spec (which paths,
 * which request properties) and against this run's rows (declared but absent, present but undeclared). Pure: the
 * document and the results in, the report section and the row's verdict out.
 */

import { ENDPOINTS, GROUPS, type Group } from "../catalog/endpoints.js";
import { isJsonObject } from "../http/json.js";
import { templateKey } from "../probe/scope.js";
import type { DeclaredParams, DeclaredSection, Result } from "../report/types.js";
import { OPENAI_PATHS, OPENAI_REQUEST_PARAMS } from "./openai-surface.js";
import { deref, documentPrefix, prefixed, propertyNames, requestSchema, type Walk } from "./resolve.js";

export const DECLARED_ROW = "openapi:declared";

type Json = Record<string, unknown>;

/** Paths read from one document; a real server declares tens to a few hundred. */
const MAX_PATHS = 5000;
const MAX_LISTED = 50;

/** The catalog's wire paths (`/openapi.json`, which this row reads, is not one of them). */
const CATALOG_PATHS = [...new Set(ENDPOINTS.map((e) => e.path))].filter((p) => p.startsWith("/v1/"));
const OPENAI_KEYS = new Set(OPENAI_PATHS.map(templateKey));

/** What the document alone says: everything but the comparison with this run. */
export interface DocumentView {
  section: Omit<DeclaredSection, "declaredButAbsent" | "presentButUndeclared">;
  /** Normalised keys (`templateKey`) of every path it declares. */
  keys: ReadonlySet<string>;
}

export function readDocument(doc: Json, at: string, bytes: number): DocumentView {
  const walk: Walk = { nodes: 0 };
  const paths = isJsonObject(doc.paths) ? doc.paths : {};
  const prefix = documentPrefix(doc);
  const entries = Object.entries(paths).slice(0, MAX_PATHS);
  if (Object.keys(paths).length > MAX_PATHS)
    walk.stopped = `more than ${MAX_PATHS} paths; the first were read`;
  const items = new Map<string, unknown>();
  for (const [raw, item] of entries) {
    items.set(templateKey(prefixed(prefix, raw)), item);
  }
  const keys = new Set(items.keys());
  const catalogDeclared = CATALOG_PATHS.filter((p) => keys.has(templateKey(p)));
  const extensions = [...keys].filter(
    (k) => !OPENAI_KEYS.has(k) && !CATALOG_PATHS.some((p) => templateKey(p) === k),
  );
  const params: DeclaredParams[] = [];
  for (const [path, openai] of Object.entries(OPENAI_REQUEST_PARAMS)) {
    const item = deref(doc, items.get(templateKey(path)), walk);
    if (!isJsonObject(item) || item.post === undefined) continue;
    const declared = propertyNames(doc, requestSchema(doc, item.post, walk), walk);
    params.push({
      path,
      shared: openai.filter((p) => declared.has(p)).length,
      openai: openai.length,
      missing: openai.filter((p) => !declared.has(p)),
      extra: [...declared]
        .filter((p) => !openai.includes(p))
        .sort()
        .slice(0, MAX_LISTED),
    });
  }
  const info = isJsonObject(doc.info) ? doc.info : {};
  const text = (v: unknown) => (typeof v === "string" ? v.slice(0, 120) : undefined);
  const section: DocumentView["section"] = {
    source: {
      path: at,
      bytes,
      openapi: String(doc.openapi ?? doc.swagger).slice(0, 20),
      ...(text(info.title) ? { title: text(info.title) } : {}),
      ...(text(info.version) ? { version: text(info.version) } : {}),
    },
    openaiPaths: { declared: [...OPENAI_KEYS].filter((k) => keys.has(k)).length, total: OPENAI_KEYS.size },
    catalogPaths: {
      declared: catalogDeclared,
      undeclared: CATALOG_PATHS.filter((p) => !catalogDeclared.includes(p)),
    },
    extensions: { count: extensions.length, paths: extensions.slice(0, MAX_LISTED) },
    params,
    coverage: coverage(keys),
    ...(walk.stopped ? { limit: walk.stopped } : {}),
  };
  return { section, keys };
}

function coverage(keys: ReadonlySet<string>): DeclaredSection["coverage"] {
  return GROUPS.map((group: Group) => {
    const paths = [...new Set(ENDPOINTS.filter((e) => e.group === group).map((e) => e.path))].filter((p) =>
      CATALOG_PATHS.includes(p),
    );
    return { group, declared: paths.filter((p) => keys.has(templateKey(p))).length, total: paths.length };
  }).filter((c) => c.total > 0);
}

/** A row answered as if its route were absent: 404/501 at existence, or re-graded "not offered". */
const looksAbsent = (r: Result) =>
  (r.phase === "A" && (r.httpStatus === 404 || r.httpStatus === 501)) || r.detail.startsWith("not offered");

/** The route's existence as this run saw it, per catalog path: Phase A/B rows only (client and Phase C rows build on them). */
export function observedRoutes(results: readonly Result[]): { present: Set<string>; absent: Set<string> } {
  const present = new Set<string>();
  const absent = new Set<string>();
  for (const r of results) {
    if (r.phase === "C" || r.id.startsWith("client:") || !CATALOG_PATHS.includes(r.path)) continue;
    if (looksAbsent(r)) absent.add(r.path);
    else if (r.httpStatus !== null && ![404, 405, 501].includes(r.httpStatus)) present.add(r.path);
  }
  for (const p of present) absent.delete(p);
  return { present, absent };
}

export function declaredSection(view: DocumentView, results: readonly Result[]): DeclaredSection {
  const { present, absent } = observedRoutes(results);
  const listed = (p: string) => view.keys.has(templateKey(p));
  return {
    ...view.section,
    declaredButAbsent: [...absent].filter(listed),
    presentButUndeclared: [...present].filter((p) => !listed(p)),
  };
}

/** The row's verdict from the section: a declared route the server does not serve misleads generated clients. */
export function gradeDeclared(row: Result, section: DeclaredSection): Result {
  const s = section;
  const facts = [
    `${s.source.path} declares ${s.openaiPaths.declared} of OpenAI's ${s.openaiPaths.total} paths`,
    `${s.catalogPaths.declared.length} of ${s.catalogPaths.declared.length + s.catalogPaths.undeclared.length} catalog paths`,
  ];
  if (s.presentButUndeclared.length > 0) facts.push(`${s.presentButUndeclared.length} served but undeclared`);
  if (s.limit) facts.push(`read stopped: ${s.limit}`);
  const problems = s.declaredButAbsent.map((p) => ({
    pointer: `openapi:/paths/${p.replace(/~/g, "~0").replace(/\//g, "~1")}`,
    expected: "a route the document declares to be served",
    got: "absent (404/501) in this run",
    severity: "warn" as const,
  }));
  if (problems.length > 0) {
    return {
      ...row,
      status: "WARN",
      detail: `${s.declaredButAbsent.length} declared but absent (${s.declaredButAbsent.join(", ")}); ${facts.join("; ")}`,
      problems,
    };
  }
  return { ...row, status: "PASS", detail: facts.join("; "), problems: [] };
}
