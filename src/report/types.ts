/**
 * The JSON report contract, its ONE definition. Field names are stable: `gap`, `render`, `matrix` and other tools
 * read them. docs/report.schema.json is generated from these types (`npm run gen:report-schema`; JSDoc tags such
 * as `@asType integer` or `@minimum 0` refine it), and the report loader validates against that schema; a test
 * fails when the file drifts. Add a field here, regenerate, done.
 */
import type { Group, Kind, Label, Method, Phase } from "../catalog/endpoints.js";

export type Status = "PASS" | "WARN" | "FAIL" | "SKIP";
export const STATUSES: readonly Status[] = ["PASS", "WARN", "FAIL", "SKIP"];

/** A field-level finding. `pointer` is a JSON pointer into the response body (or `header:<name>`, `stream`). */
export interface Problem {
  /** JSON pointer into the body, or header:<name>, status, stream… */
  pointer: string;
  expected: string;
  got: string;
  /** `fail` breaks clients; `warn` is spec-required but tolerated. */
  severity: "fail" | "warn";
  /** The OpenAPI component the expectation comes from, e.g. `CreateChatCompletionResponse`. */
  source?: string;
  /**
   * The request parameter the server did not enforce (or may not have), when that is what the problem says:
   * `tool_choice naming get_weather`, `stop` (checks/enforcement.ts).
   */
  param?: string;
}

export interface DeviationRef {
  id: string;
  summary: string;
  implementations: string[];
}

/**
 * How a parameter-matrix row's server took the parameter (`[param:*]`, `[invalid:*]`; src/checks/chat-param-matrix.ts):
 * accepted (2xx), honoured/ignored/unverified (2xx, the effect proven present/absent/neither), rejected (4xx),
 * crashed (5xx); for invalid values refused (4xx) or accepts invalid (2xx).
 */
export type ParamGrade =
  | "accepted"
  | "honoured"
  | "ignored"
  | "unverified"
  | "rejected"
  | "crashed"
  | "refused"
  | "accepts invalid";

export interface Metrics {
  ttfbMs?: number;
  ttftMs?: number;
  tokensPerSecond?: number;
  chunks?: number;
}

/** What was sent and received, truncated and redacted, for the HTML report's expandable rows. */
export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: {
    status: HttpStatusCode;
    headers: Record<string, string>;
    body: string;
    truncated: boolean;
  };
}

/**
 * @asType integer
 * @minimum 0
 */
export type Count = number;

/** @asType integer */
export type HttpStatusCode = number;

export interface Result {
  /** path, with [variant] for variants, or client:<sdk>/<call> */
  id: string;
  path: string;
  method: Method;
  group: Group;
  kind: Kind;
  label: Label;
  status: Status;
  detail: string;
  httpStatus: HttpStatusCode | null;
  latencyMs: number | null;
  phase: Phase;
  problems: Problem[];
  deviations: DeviationRef[];
  metrics?: Metrics;
  /** Parameter-matrix rows only. */
  paramGrade?: ParamGrade;
  requests: Count;
  exchanges?: Exchange[];
}

export type Summary = Record<Status, Count>;

/** How aioc reached the target, when it was more than a plain URL (never any secret value). */
export interface ReportConnection {
  /** Which header carried the key. */
  auth: "bearer" | "api-key" | "none";
  /** Names of the extra headers sent (`-H`, config); values are never recorded. */
  headers: string[];
  /** The proxy used, credentials removed, and where it came from (`--proxy`, `$HTTPS_PROXY`…). */
  proxy?: string;
  proxySource?: string;
  /** TLS certificate verification was turned off (--insecure). */
  insecure?: boolean;
  /** Extra CA file trusted (--ca-file). */
  caFile?: string;
  /** Set for an Azure OpenAI deployment URL. */
  azureDeployment?: string;
  /** This report covers one shard of the work (`--shard i/n`); `aioc merge` joins them. */
  shard?: string;
}

/**
 * Something about the whole run, said once above the rows: every route rejected aioc's requests alike
 * (`uniform-rejection`), or the target stopped answering part-way (`target-stopped`). Either makes the run
 * inconclusive, so the probe exits non-zero.
 */
export interface Notice {
  kind: NoticeKind;
  message: string;
}

/** The kinds that make a run inconclusive (exit non-zero); the others are hints a reader needs first. */
export const INCONCLUSIVE_NOTICES = ["uniform-rejection", "target-stopped"] as const;
export const isInconclusive = (n: Notice): boolean => INCONCLUSIVE_NOTICES.some((k) => k === n.kind);

export type NoticeKind =
  | (typeof INCONCLUSIVE_NOTICES)[number]
  | "nothing-checked"
  | "not-an-api"
  | "model-not-listed";

export interface Report {
  tool: "aioc";
  version: string;
  reportVersion: 1;
  specSource: string;
  target: { url: string; name: string };
  /** @format date-time */
  startedAt: string;
  durationMs: number;
  options: {
    depth: string;
    /** @asType integer */
    concurrency: number;
    timeoutMs: number;
    authenticated: boolean;
  };
  models: Partial<Record<string, string>>;
  summary: Summary;
  /** Which rule graded the absent routes (`--expect`, the server's own word, or the row kind). */
  scope?: {
    rule: "expect" | "server" | "kind";
    text: string;
    capabilities?: string[];
    absent: number;
  };
  requests: Count;
  /** The server's own OpenAPI document against OpenAI's and against this run (row `openapi:declared`). */
  declared?: DeclaredSection;
  /**
   * Said once above the rows, most important first: the run proves nothing (every route rejected alike, the
   * target stopped), nothing was checked, this is no OpenAI API, a model is not listed. Absent when empty.
   */
  notices?: Notice[];
  results: Result[];
  connection?: ReportConnection;
  /** clients (issue #14): will popular clients work here? Absent when the run probed none of their rows. */
  clients?: ClientReadiness[];
}

// ── declared vs observed (issue #15; src/declared/analyse.ts) ──────────────────────────────────────────────

/** Declared vs observed: what the server's OpenAPI document says, against OpenAI's spec and against this run. */
export interface DeclaredSection {
  /** Where the document was found (a path on the target's origin), its size and its own `info`. */
  source: { path: string; bytes: Count; openapi: string; title?: string; version?: string };
  /** How many of the paths in OpenAI's pinned spec it declares. */
  openaiPaths: { declared: Count; total: Count };
  /** The catalog's OpenAI (and convention) paths, split by whether the document declares them. */
  catalogPaths: { declared: string[]; undeclared: string[] };
  /** Declared routes this run found absent (404/501). */
  declaredButAbsent: string[];
  /** Routes this run found present that the document does not declare. */
  presentButUndeclared: string[];
  /** Paths it declares outside OpenAI's spec and aioc's catalog (its own extensions), first 50. */
  extensions: { count: Count; paths: string[] };
  /** Request-body properties per catalog POST route it declares, against OpenAI's. */
  params: DeclaredParams[];
  /** Per catalog group: how many of its paths the document declares. */
  coverage: { group: Group; declared: Count; total: Count }[];
  /** Set when the read stopped at a bound (cyclic $ref, node budget): the figures cover what was read. */
  limit?: string;
}

export interface DeclaredParams {
  path: string;
  /** OpenAI's request properties the document declares too. */
  shared: Count;
  /** How many OpenAI declares. */
  openai: Count;
  /** OpenAI's properties the document lacks. */
  missing: string[];
  /** Properties it declares that OpenAI does not (vendor extensions). */
  extra: string[];
}

export function summarize(results: readonly Pick<Result, "status">[]): Summary {
  const summary: Summary = { PASS: 0, WARN: 0, FAIL: 0, SKIP: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

// clients (issue #14): the Clients section, graded from the rows by report/readiness.ts.
export type ReadinessVerdict = "READY" | "READY WITH LIMITS" | "NOT READY" | "NOT PROBED";

/** One requirement a client has that this run found unmet (or could not check). */
export interface ReadinessGap {
  need: string;
  level: "required" | "optional";
  /** The row that breaks it, or the first row not probed. */
  row: string;
  /** The row's status; `null` when the row is not in this report (not probed). */
  status: Status | null;
  /** Why: the row's verdict detail (clipped), `endpoint absent`, or `not probed`. */
  detail: string;
}

/** Will this client work against the target? From its requirements (`mapped`) or from running it (`run`). */
export interface ClientReadiness {
  id: string;
  name: string;
  basis: "run" | "mapped";
  verdict: ReadinessVerdict;
  /** NOT READY: the required needs that break it; READY WITH LIMITS: the optional ones it lacks. */
  gaps: ReadinessGap[];
  /** Needs this run did not probe (rows not in the report, or skipped for want of a model). */
  notProbed: ReadinessGap[];
  /** How many of its requirements this run could judge (0: none of its rows ran). */
  judged: Count;
  sources: string[];
}
