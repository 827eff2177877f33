import type { Depth, Endpoint, Phase } from "../catalog/endpoints.js";
import type { PythonTarget } from "../clients/python-target.js";
import type { UpgradeTarget } from "../http/transport.js";
import type { HttpOutcome, HttpRequest, SseEvent } from "../http/types.js";
import type { Exchange, Metrics, ParamGrade, Problem } from "../report/types.js";
import type { ModelChoice } from "./models.js";
import type { OpenapiFound } from "./openapi-doc.js";

/** What a check saw, for deviation predicates: plain data, never re-fetched. */
export interface Observation {
  status: number | null;
  headers: Record<string, string>;
  contentType: string;
  /** The JSON body sent, when there was one. */
  sent?: unknown;
  /** Parsed JSON body (non-stream responses). */
  json?: unknown;
  body?: Uint8Array;
  /** SSE events as received. */
  events?: SseEvent[];
  /** Parsed JSON of each SSE data frame, `[DONE]` excluded; `undefined` where a frame did not parse. */
  frames?: unknown[];
  sawDone?: boolean;
  /** Check-specific facts (e.g. `jsonAccepted` for image edits sent as JSON). */
  facts: Record<string, unknown>;
}

/** The result of one check before grading. */
export interface Outcome {
  phase: Phase;
  /** Set when the row cannot be checked; becomes SKIP with this reason. */
  skip?: string;
  /** A verdict the check decides itself (existence rules); overrides problem-based grading. */
  verdict?: { status: "PASS" | "WARN" | "FAIL"; detail: string };
  /** The problem the verdict was decided by, when it was one (set by checks/depth.ts settle). */
  decisive?: Problem;
  /** One-line sentences for problems that have their own (a Phase C finding's detail). */
  details?: Map<Problem, string>;
  httpStatus: number | null;
  latencyMs: number | null;
  problems: Problem[];
  /** Shown on PASS, e.g. "200 · 12 chunks". */
  note?: string;
  observation?: Observation;
  metrics?: Metrics;
  /** Parameter-matrix rows: how the server took the parameter (becomes Result.paramGrade). */
  paramGrade?: ParamGrade;
  /** Behaviour rows: did the server enforce the parameter whose effect OpenAI guarantees (checks/enforcement.ts)? */
  enforcement?: {
    param: string;
    state: "enforced" | "ignored" | "unverified";
    /** Of the evidence: an ignored parameter clients cope with is `warn`. */
    severity?: "fail" | "warn";
  };
}

/** HTTP scoped to one row: counts its requests and keeps its exchanges for the report. */
export interface RowHttp {
  send(req: HttpRequest): Promise<HttpOutcome>;
  /** Time spent in requests after they got a concurrency slot, so latencies exclude queue wait. */
  readonly activeMs?: number;
  /** Runs work that reaches the target outside the transport under the cap and the watchdog (row-http.ts). */
  external?<T>(fn: (touch: () => void) => Promise<T>): Promise<T>;
  /** A WebSocket session on the target's origin, counted as one request (realtime/session.ts). */
  upgrade?<T>(path: string, run: (target: UpgradeTarget) => Promise<T & { exchange: Exchange }>): Promise<T>;
}

export interface VideoJob {
  id: string;
  status: string;
}

export interface ProbeContext {
  http: RowHttp;
  row: Endpoint;
  models: ModelChoice;
  listedModels: readonly string[];
  depth: Depth;
  authenticated: boolean;
  /** The outcome of the row this one `needs` (undefined when it did not run or settled without a response). */
  dependency(): Promise<Outcome | undefined>;
  /** clients (issue #14): how the `client:openai-python/*` rows reach the target from python. */
  python?: PythonTarget;
  /** The server's own OpenAPI document, looked for once per run (probe/openapi-doc.ts). */
  openapi?: () => Promise<OpenapiFound>;
}

export type Check = (ctx: ProbeContext) => Promise<Outcome>;
