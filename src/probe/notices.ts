/**
 * Report-level lines a reader needs before the rows: a model the user named that the server does not list, and a
 * run that checked nothing (every row skipped, every request refused for auth). Pure functions of the results.
 */
import { ENDPOINTS, type ModelKind } from "../catalog/endpoints.js";
import type { Notice, Result } from "../report/types.js";
import { answeredLikeNoRoute } from "./calibrate.js";
import { modelFlag } from "./models.js";

const MODEL_OF = new Map(ENDPOINTS.map((e) => [e.id, e.model]));
const NEEDS = new Map(ENDPOINTS.map((e) => [e.id, e.needs]));
const SHOWN_MODELS = 4;

/** Models the user named (`--model`, `--embedding-model`, …) that a non-empty `/v1/models` does not list. */
export function unlistedModels(
  overrides: Partial<Record<ModelKind, string>>,
  listed: readonly string[],
): [ModelKind, string][] {
  if (listed.length === 0) return [];
  return Object.entries(overrides).filter(
    (e): e is [ModelKind, string] => typeof e[1] === "string" && e[1] !== "" && !listed.includes(e[1]),
  );
}

export function unlistedModelNotice(kind: ModelKind, id: string, listed: readonly string[]): string {
  const some = listed.slice(0, SHOWN_MODELS).join(", ");
  const more = listed.length > SHOWN_MODELS ? `, … (${listed.length} in all)` : "";
  return `${modelFlag(kind)} ${id} is not among the models /v1/models lists (${some}${more})`;
}

/**
 * Rows that failed because the named model is unknown say so: a 404 on a row that uses that model is "model X not
 * found", and rows built on it are not skipped as if the route were absent.
 */
export function attributeUnlistedModels(
  results: readonly Result[],
  unlisted: [ModelKind, string][],
): Result[] {
  if (unlisted.length === 0) return [...results];
  const byKind = new Map(unlisted);
  const notFound = new Set<string>();
  const out = results.map((r) => {
    const kind = MODEL_OF.get(r.id);
    const id = kind && byKind.get(kind);
    if (!id || r.phase !== "B" || r.httpStatus !== 404 || r.status !== "FAIL") return r;
    notFound.add(r.id);
    return { ...r, detail: `model ${id} not found: ${r.detail}` };
  });
  // Rows built on those (and on rows built on them) were skipped as if the route were absent.
  const byId = new Map(out.map((r) => [r.id, r]));
  const modelOfChain = (id: string): string | undefined => byKind.get(MODEL_OF.get(id)!);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of byId.values()) {
      const needs = NEEDS.get(r.id);
      if (r.status !== "SKIP" || !needs || !notFound.has(needs) || notFound.has(r.id)) continue;
      if (!/ absent \(404\)$/.test(r.detail)) continue;
      notFound.add(r.id);
      grew = true;
      const root = rootOf(needs, byId);
      byId.set(r.id, {
        ...r,
        detail: `model ${modelOfChain(root)} not found (base row ${root} answered 404)`,
      });
    }
  }
  return out.map((r) => byId.get(r.id)!);
}

/** The row a chain of `needs` starts from among rows that were themselves skipped: the one that answered 404. */
function rootOf(id: string, byId: Map<string, Result>): string {
  let at = id;
  while (byId.get(at)?.status === "SKIP" && NEEDS.get(at)) at = NEEDS.get(at)!;
  return at;
}

const AUTH = /^(401|403) — (auth required|key rejected|refused before the API)/;

/**
 * Why nothing was checked, when nothing was: every row SKIP (most often every request refused for want of a key).
 * undefined when at least one row reached a verdict.
 */
export function nothingChecked(all: readonly Result[]): string | undefined {
  // The server's OpenAPI document is public on FastAPI servers even behind a key: reading it checks no API route.
  const results = all.filter((r) => r.id !== "openapi:declared");
  if (results.length === 0 || results.some((r) => r.status !== "SKIP")) return undefined;
  const refused = results.filter((r) => AUTH.test(r.detail));
  if (
    refused.length > 0 &&
    results.every((r) => r.httpStatus === null || AUTH.test(r.detail) || r.phase === "C")
  ) {
    const codes = [...new Set(refused.map((r) => r.httpStatus))].join("/");
    const blocked = refused.find((r) => / — refused before the API/.test(r.detail));
    if (blocked) {
      const page = /\((an HTML page: [^)]*)\)/.exec(blocked.detail)?.[1] ?? "an HTML page";
      return `nothing was checked: every request was refused with ${codes} before it reached the API (${page}): a firewall or proxy in front? -H sends what it needs`;
    }
    if (refused.some((r) => / — key rejected/.test(r.detail)))
      return `nothing was checked: every request was refused with ${codes}: the key was rejected; check --api-key and how it is sent (--auth bearer|api-key, -H)`;
    return `nothing was checked: every request was refused with ${codes}: pass --api-key (or set $AIOC_API_KEY)`;
  }
  const reasons = new Map<string, number>();
  for (const r of results) reasons.set(r.detail, (reasons.get(r.detail) ?? 0) + 1);
  const [top] = [...reasons.entries()].sort((a, b) => b[1] - a[1]);
  return `nothing was checked: every row was skipped (most often: ${top![0]})`;
}

/** An HTML page that is not a proxy's 5xx (a 502 page says the server behind it is down, not that it is no API). */
const isHtml = (r: Result) =>
  (r.exchanges ?? []).some(
    (e) =>
      /^text\/html\b/i.test(e.response?.headers["content-type"] ?? "") && (e.response?.status ?? 0) < 500,
  );

/**
 * When every answer was a 404, an HTML page, or what a path that cannot exist gets, the URL is most likely not the
 * API's base URL.
 */
export function notAnApiNotice(results: readonly Result[], baseUrl: string): string | undefined {
  const answered = results.filter((r) => r.httpStatus !== null);
  const unlike = (r: Result) => r.httpStatus === 404 || isHtml(r) || answeredLikeNoRoute(r);
  if (answered.length === 0 || !answered.every(unlike)) return undefined;
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, "");
  // A path given without /v1 is probed as given (the SDKs' base_url); the likeliest slip is the missing /v1.
  const guess =
    path === "/v1"
      ? `a base path such as ${url.origin}/api/v1`
      : /\/v1$/.test(path)
        ? `${url.origin}/v1`
        : `${url.origin}${path}/v1`;
  const kinds = [
    answered.some((r) => r.httpStatus === 404) ? "404" : "",
    answered.some(isHtml) ? "an HTML page" : "",
    answered.some((r) => answeredLikeNoRoute(r) && r.httpStatus !== 404 && !isHtml(r))
      ? "exactly like a path that cannot exist"
      : "",
  ].filter(Boolean);
  const what = kinds.length > 1 ? `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}` : kinds[0];
  return `this does not look like an OpenAI API at ${baseUrl} (every route answered ${what}); did you mean ${guess}?`;
}

/** The results with unlisted models attributed, and the report's notices, most important first. */
export function withNotices(
  results: readonly Result[],
  overrides: Partial<Record<ModelKind, string>>,
  listed: readonly string[],
  baseUrl: string,
  azureDeployment?: string,
): { results: Result[]; notices: Notice[] } {
  const unlisted = unlistedModels(overrides, listed);
  const attributed = attributeUnlistedModels(results, unlisted);
  // Azure's /models lists base models, never deployments: a deployment missing from it says nothing.
  const notices: Notice[] = unlisted
    .filter(([, id]) => id !== azureDeployment)
    .map(([kind, id]) => ({
      kind: "model-not-listed",
      message: unlistedModelNotice(kind, id, listed),
    }));
  const notApi = notAnApiNotice(attributed, baseUrl);
  if (notApi) notices.unshift({ kind: "not-an-api", message: notApi });
  const why = nothingChecked(attributed);
  if (why) notices.unshift({ kind: "nothing-checked", message: why });
  return { results: attributed, notices };
}
