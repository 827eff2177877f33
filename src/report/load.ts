import { readFileSync, statSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import { UsageError } from "../cli/errors.js";
import { formatBytes, isJsonObject, jsonTooComplex } from "../http/json.js";
import { optionalSections, paramGradeOf } from "./load-sections.js";
import { definition, REPORT_SCHEMA } from "./schema.js";
import {
  type NoticeKind,
  type Report,
  type Result,
  STATUSES,
  type Status,
  type Summary,
  summarize,
} from "./types.js";

type Json = Record<string, unknown>;

/** The largest report `render`, `gap` and `matrix` read (a full probe's report is under 1 MB). */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

const NOTICE_KINDS: readonly NoticeKind[] = [
  "uniform-rejection",
  "target-stopped",
  "nothing-checked",
  "not-an-api",
  "model-not-listed",
];

const str = (v: unknown, fallback = "") =>
  typeof v === "string" ? v : v === undefined || v === null ? fallback : String(v);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const list = (v: unknown) => (Array.isArray(v) ? v : []);
const oneLine = (s: string) => s.split("\n")[0]!.trim();

function stringRecord(v: unknown): Record<string, string> {
  return isJsonObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x)])) : {};
}

/**
 * Fills what renderers rely on, so a report from an older or hand-edited file renders instead of crashing.
 * Strings stay untrusted: renderers still escape every one.
 */
function normalizeResult(r: Json): Result {
  const metrics = isJsonObject(r.metrics)
    ? Object.fromEntries(Object.entries(r.metrics).filter(([, v]) => num(v) !== null))
    : undefined;
  const result: Result = {
    ...(r as unknown as Result),
    id: r.id as string,
    status: r.status as Status,
    path: str(r.path, r.id as string),
    method: str(r.method, "GET") as Result["method"],
    group: str(r.group, "models") as Result["group"],
    kind: str(r.kind) as Result["kind"],
    label: str(r.label) as Result["label"],
    phase: str(r.phase) as Result["phase"],
    detail: str(r.detail),
    httpStatus: num(r.httpStatus),
    latencyMs: num(r.latencyMs),
    requests: num(r.requests) ?? 0,
    problems: list(r.problems)
      .filter(isJsonObject)
      .map((p) => ({
        ...p,
        pointer: str(p.pointer),
        expected: str(p.expected),
        got: str(p.got),
        severity: p.severity === "warn" ? "warn" : "fail",
        ...(p.source === undefined ? {} : { source: str(p.source) }),
      })),
    deviations: list(r.deviations)
      .filter(isJsonObject)
      .map((d) => ({
        id: str(d.id),
        summary: str(d.summary),
        implementations: list(d.implementations).map((i) => str(i)),
      })),
  };
  if (metrics) result.metrics = metrics;
  else delete result.metrics;
  const paramGrade = paramGradeOf(r.paramGrade);
  if (paramGrade) result.paramGrade = paramGrade;
  else delete result.paramGrade;
  if (r.exchanges !== undefined) {
    result.exchanges = list(r.exchanges)
      .filter((x): x is Json => isJsonObject(x) && isJsonObject(x.request))
      .map((x) => {
        const req = x.request as Json;
        const res = isJsonObject(x.response) ? x.response : undefined;
        return {
          request: {
            method: str(req.method),
            url: str(req.url),
            headers: stringRecord(req.headers),
            ...(req.body === undefined ? {} : { body: str(req.body) }),
          },
          ...(res
            ? {
                response: {
                  status: num(res.status) ?? 0,
                  headers: stringRecord(res.headers),
                  body: str(res.body),
                  truncated: res.truncated === true,
                },
              }
            : {}),
        };
      });
  }
  return result;
}

function validSummary(v: unknown): v is Summary {
  return isJsonObject(v) && STATUSES.every((s) => Number.isInteger(v[s]) && (v[s] as number) >= 0);
}

/**
 * What a file needs to be read as a report: `tool` and, per result, `id` and `status`, as the contract (the
 * generated schema) defines them; the rest is filled in by `normalizeResult`, so older files still render.
 */
const LOADABLE = {
  type: "object",
  required: ["tool", "results"],
  properties: {
    tool: REPORT_SCHEMA.properties.tool,
    results: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "status"],
        properties: { id: definition("Result").properties.id, status: definition("Status") },
      },
    },
  },
};
let loadable: ValidateFunction | undefined;

/** Why `data` is not an aioc report, or undefined when it is one. */
function whyNotReport(data: unknown): string | undefined {
  loadable ??= new Ajv({ allErrors: true }).compile(LOADABLE);
  if (loadable(data)) return undefined;
  const errors = loadable.errors ?? [];
  const at = (path: string, missing?: string) =>
    errors.some((e) => e.instancePath === path && (!missing || e.params.missingProperty === missing));
  if (at("") && !isJsonObject(data)) return "not a JSON object";
  if (at("/tool") || at("", "tool")) return 'no "tool": "aioc" field';
  if (at("/results") || at("", "results")) return 'no "results" array';
  const bad = /^\/results\/(\d+)/.exec(errors[0]?.instancePath ?? "")?.[1] ?? "?";
  return `results[${bad}] lacks a string "id" or a status (${definition("Status").enum.join("/")})`;
}

/** Reads an aioc JSON report; anything unreadable or not a report is a UsageError naming the file. */
export function loadReport(path: string): Report {
  let text: string;
  try {
    // Checked before reading: rendering a 200 MB report would take gigabytes. Real reports are a few MB at most.
    const stat = statSync(path);
    const size = stat.isFile() ? stat.size : 0;
    if (size > MAX_REPORT_BYTES) {
      throw new UsageError(
        `report ${path} is ${formatBytes(size)}; aioc reads reports up to ${formatBytes(MAX_REPORT_BYTES)}`,
      );
    }
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read report ${path}: ${code ?? oneLine(String(err))}`);
  }
  if (text.length > MAX_REPORT_BYTES) {
    throw new UsageError(
      `report ${path} is larger than ${formatBytes(MAX_REPORT_BYTES)}, the most aioc reads`,
    );
  }
  const tooComplex = jsonTooComplex(text);
  if (tooComplex) throw new UsageError(`report ${path} is too complex to read (${tooComplex})`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // V8 quotes the whole text in its message ("…, "<file contents>" is not valid JSON"): keep only the reason.
    const reason = (err as Error).message.replace(/,\s*".*" is not valid JSON$/s, "");
    throw new UsageError(`report ${path} is not valid JSON: ${oneLine(reason)}`);
  }
  const why = whyNotReport(data);
  if (why) throw new UsageError(`${path} is not an aioc report: ${why}`);
  const raw = data as Json;
  const target = isJsonObject(raw.target) ? raw.target : {};
  const options = isJsonObject(raw.options) ? raw.options : {};
  const results = (raw.results as Json[]).map(normalizeResult);
  const { clients: _c, declared: _d, connection: _n, scope: _s, ...rest } = raw;
  return {
    ...(rest as unknown as Report),
    ...optionalSections(raw),
    version: str(raw.version, "?"),
    specSource: str(raw.specSource),
    target: { url: str(target.url), name: str(target.name, str(target.url, path)) },
    startedAt: str(raw.startedAt),
    durationMs: num(raw.durationMs) ?? 0,
    options: {
      depth: str(options.depth, "?"),
      concurrency: num(options.concurrency) ?? 0,
      timeoutMs: num(options.timeoutMs) ?? 0,
      authenticated: options.authenticated === true,
    },
    models: Object.fromEntries(
      Object.entries(isJsonObject(raw.models) ? raw.models : {}).filter(([, id]) => typeof id === "string"),
    ) as Record<string, string>,
    summary: validSummary(raw.summary) ? raw.summary : summarize(results),
    requests: num(raw.requests) ?? results.reduce((n, r) => n + r.requests, 0),
    ...(Array.isArray(raw.notices)
      ? {
          notices: (raw.notices as unknown[]).filter(isJsonObject).map((n) => ({
            kind: NOTICE_KINDS.includes(n.kind as NoticeKind) ? (n.kind as NoticeKind) : "uniform-rejection",
            message: str(n.message),
          })),
        }
      : {}),
    results,
  };
}
