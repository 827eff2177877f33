/**
 * The optional sections of a report file (`clients`, `declared`, `connection`, `scope`) and a row's
 * `paramGrade`, read as the contract types them. A report file is untrusted input: a section of the wrong shape
 * is dropped (or an entry of it), a field of the wrong type gets its empty value, and an enum-typed field holds
 * one of its values, so no renderer meets a number that is a string or a verdict that is markup.
 */
import { isJsonObject } from "../http/json.js";
import type {
  ClientReadiness,
  DeclaredSection,
  ParamGrade,
  ReadinessGap,
  Report,
  ReportConnection,
  Status,
} from "./types.js";
import { STATUSES } from "./types.js";

type Json = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v : "");
const optStr = (v: unknown) => (typeof v === "string" ? v : undefined);
const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const objects = (v: unknown) => (Array.isArray(v) ? v.filter(isJsonObject) : []);
const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined =>
  values.find((x) => x === v);
/** `{ key: value }` only when value is defined (the contract has no `undefined` fields). */
const opt = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

const VERDICTS = ["READY", "READY WITH LIMITS", "NOT READY", "NOT PROBED"] as const;
const PARAM_GRADES: readonly ParamGrade[] = [
  "accepted",
  "honoured",
  "ignored",
  "unverified",
  "rejected",
  "crashed",
  "refused",
  "accepts invalid",
];

export const paramGradeOf = (v: unknown): ParamGrade | undefined => oneOf(PARAM_GRADES, v);

function gap(g: Json): ReadinessGap {
  return {
    need: str(g.need),
    level: g.level === "required" ? "required" : "optional",
    row: str(g.row),
    status: oneOf<Status>(STATUSES, g.status) ?? null,
    detail: str(g.detail),
  };
}

function clients(v: unknown): ClientReadiness[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return objects(v).flatMap((c) => {
    const verdict = oneOf(VERDICTS, c.verdict);
    if (!verdict) return [];
    return [
      {
        id: str(c.id),
        name: str(c.name),
        basis: c.basis === "run" ? "run" : "mapped",
        verdict,
        gaps: objects(c.gaps).map(gap),
        notProbed: objects(c.notProbed).map(gap),
        judged: count(c.judged),
        sources: strings(c.sources),
      },
    ];
  });
}

function declared(v: unknown): DeclaredSection | undefined {
  if (!isJsonObject(v)) return undefined;
  const o = (x: unknown): Json => (isJsonObject(x) ? x : {});
  const source = o(v.source);
  const openaiPaths = o(v.openaiPaths);
  const catalogPaths = o(v.catalogPaths);
  const extensions = o(v.extensions);
  return {
    source: {
      path: str(source.path),
      bytes: count(source.bytes),
      openapi: str(source.openapi),
      ...opt("title", optStr(source.title)),
      ...opt("version", optStr(source.version)),
    },
    openaiPaths: { declared: count(openaiPaths.declared), total: count(openaiPaths.total) },
    catalogPaths: { declared: strings(catalogPaths.declared), undeclared: strings(catalogPaths.undeclared) },
    declaredButAbsent: strings(v.declaredButAbsent),
    presentButUndeclared: strings(v.presentButUndeclared),
    extensions: { count: count(extensions.count), paths: strings(extensions.paths) },
    params: objects(v.params).map((p) => ({
      path: str(p.path),
      shared: count(p.shared),
      openai: count(p.openai),
      missing: strings(p.missing),
      extra: strings(p.extra),
    })),
    coverage: objects(v.coverage).map((c) => ({
      group: str(c.group) as DeclaredSection["coverage"][number]["group"],
      declared: count(c.declared),
      total: count(c.total),
    })),
    ...opt("limit", optStr(v.limit)),
  };
}

function connection(v: unknown): ReportConnection | undefined {
  if (!isJsonObject(v)) return undefined;
  return {
    auth: oneOf(["bearer", "api-key", "none"] as const, v.auth) ?? "bearer",
    headers: strings(v.headers),
    ...opt("proxy", optStr(v.proxy)),
    ...opt("proxySource", optStr(v.proxySource)),
    ...opt("insecure", v.insecure === true ? true : undefined),
    ...opt("caFile", optStr(v.caFile)),
    ...opt("azureDeployment", optStr(v.azureDeployment)),
    ...opt("shard", optStr(v.shard)),
  };
}

function scope(v: unknown): Report["scope"] {
  if (!isJsonObject(v)) return undefined;
  const capabilities = Array.isArray(v.capabilities) ? strings(v.capabilities) : undefined;
  return {
    rule: oneOf(["expect", "server", "kind"] as const, v.rule) ?? "kind",
    text: str(v.text),
    ...opt("capabilities", capabilities),
    absent: count(v.absent),
  };
}

/** The optional sections of `raw`, each present only when the file has it in a readable shape. */
export function optionalSections(raw: Json): Pick<Report, "clients" | "declared" | "connection" | "scope"> {
  return {
    ...opt("clients", clients(raw.clients)),
    ...opt("declared", declared(raw.declared)),
    ...opt("connection", connection(raw.connection)),
    ...opt("scope", scope(raw.scope)),
  };
}
