/**
 * The probe run: catalog → plan → HTTP → checks → graded results → report.
 * `/v1/models` goes first (it drives model sniffing); every other row runs concurrently, and all requests share
 * one concurrency cap so a one-slot server is never flooded.
 */
import { ENDPOINTS, type Endpoint } from "../catalog/endpoints.js";
import { preloadClients } from "../checks/clients.js";
import { mayVary } from "../checks/depth.js";
import { CHECKS } from "../checks/index.js";
import { listedModelIds } from "../checks/models.js";
import { UsageError } from "../cli/errors.js";
import { pythonTarget } from "../clients/python-target.js";
import { withDeclared } from "../declared/report.js";
import { createAgent, type NetOptions } from "../http/agent.js";
import { refusePlainToTls } from "../http/connect-errors.js";
import type { Connection } from "../http/connection.js";
import { carriesKey } from "../http/credentials.js";
import { Transport } from "../http/transport.js";
import type { HttpOutcome, TransportOptions } from "../http/types.js";
import { withClients } from "../report/readiness.js";
import {
  type Exchange,
  type Notice,
  type Report,
  type ReportConnection,
  type Result,
  summarize,
} from "../report/types.js";
import { SPEC_SOURCE } from "../shapes/schemas.js";
import { VERSION } from "../version.js";
import { applyUniformRejection, CALIBRATION_ROW, Calibration } from "./calibrate.js";
import { ExistenceProbe, existenceOpen, existenceVerdict, mentionsModel } from "./existence.js";
import { combineRuns, type Graded, grade } from "./grade.js";
import { refusedReason } from "./inconclusive.js";
import { Liveness } from "./liveness.js";
import { chooseModels, type ModelChoice } from "./models.js";
import { withNotices } from "./notices.js";
import { fetchOpenapi, OpenapiSource } from "./openapi-doc.js";
import { chainLengths, describeSelection, type PlanOptions, selectRows, withDependencies } from "./plan.js";
import { CountingHttp } from "./row-http.js";
import { type Limit, priorityLimit } from "./schedule.js";
import { type Capability, scopeResults } from "./scope.js";
import type { Outcome, ProbeContext } from "./types.js";
import { Watchdog, watchdogLimit } from "./watchdog.js";

export interface ProbeOptions extends PlanOptions {
  baseUrl: string;
  name?: string;
  apiKey?: string;
  models?: ModelChoice;
  skipPhaseB?: boolean;
  timeoutMs: number;
  concurrency: number;
  maxBodyBytes: number;
  /** Extra headers, auth scheme, Azure routes (src/http/connection.ts). */
  connection?: Connection;
  /** Proxy and TLS (src/http/agent.ts). */
  net?: NetOptions;
  /** More secrets to scrub from recorded exchanges (credential header values, query credentials). */
  secrets?: string[];
  /** What the report says about how it connected (set by the CLI). */
  reportConnection?: ReportConnection;
  /** Capabilities the server claims (`--expect`): absent rows outside them are "not offered". */
  expect?: readonly Capability[];
  /** A row starts (for live progress). */
  onStart?: (row: Endpoint) => void;
  /** A row's request got its concurrency slot (+1) or ended (-1): what is really in flight. */
  onActive?: (row: Endpoint, delta: 1 | -1) => void;
  onResult?: (result: Result, done: number, total: number) => void;
  /** The model ids `/v1/models` listed (for `--all-models`). */
  onDiscovery?: (listed: string[]) => void;
  /** Called for every request/response (already key-redacted in its headers). */
  onExchange?: (exchange: Exchange) => void;
  /** Every request's full bytes and outcome (`probe --record`); `raw.req.row` names the row. */
  onRaw?: TransportOptions["onRaw"];
  /** clients (issue #14): the python for the `client:openai-python/*` rows (default: `python3` on PATH). */
  python?: string;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export async function runProbe(opts: ProbeOptions): Promise<Report> {
  const started = Date.now();
  const net = await createAgent(opts.baseUrl, opts.net ?? {});
  const transport = new Transport({
    baseUrl: opts.baseUrl,
    apiKey: opts.apiKey,
    connection: opts.connection,
    agent: net.agent,
    tls: net.tls,
    secrets: [...(opts.secrets ?? []), ...net.secrets],
    timeoutMs: opts.timeoutMs,
    maxBodyBytes: opts.maxBodyBytes,
    userAgent: `aioc/${VERSION}`,
    onRaw: opts.onRaw,
  });
  const authenticated = !!opts.apiKey || carriesKey(opts.connection?.headers);
  const selected = selectRows(opts);
  if (selected.length === 0) throw new UsageError(`no row matches ${describeSelection(opts)}`);
  const reported = new Set(selected.map((r) => r.id));
  let done = 0;
  const results = new Map<string, Result>();
  const outcomes = new Map<string, ReturnType<typeof deferred<Outcome | undefined>>>();
  const toRun = withDependencies(selected);
  for (const row of toRun) outcomes.set(row.id, deferred());
  const limit = priorityLimit(opts.concurrency);
  // The calibration request goes out with discovery (first under the cap), so no row waits for it.
  const calibrationHttp = new CountingHttp(transport, limit, opts.onExchange, Number.MAX_SAFE_INTEGER);
  const calibration = new Calibration((req) => calibrationHttp.send({ ...req, row: CALIBRATION_ROW }));
  void calibration.start();
  const run: RunShared = {
    transport,
    limit,
    chains: chainLengths(toRun),
    existence: new ExistenceProbe(),
    calibration,
    liveness: new Liveness(),
    openapi: new OpenapiSource(),
    opts,
  };

  const baseCtx = {
    models: opts.models ?? {},
    listedModels: [] as string[],
    depth: opts.depth,
    authenticated,
    python: pythonTarget(opts, net.secrets), // clients (issue #14)
  };
  const record = (row: Endpoint, result: Result, outcome: Outcome) => {
    outcomes.get(row.id)?.resolve(outcome);
    if (!reported.has(row.id)) return;
    results.set(result.id, result);
    opts.onResult?.(result, ++done, selected.length);
  };

  const releaseClients = preloadClients(toRun, baseCtx.python);
  try {
    // Discovery first: its answer picks the models every other row uses.
    const modelsRow = ENDPOINTS.find((e) => e.id === "/v1/models")!;
    const discovery = await watchedRow(modelsRow, baseCtx, undefined, run);
    if (discovery.unreachable) throw new UsageError(`cannot reach ${opts.baseUrl}: ${discovery.unreachable}`);
    await refusePlainToTls(opts.baseUrl, discovery.firstFailure);
    const listed = listedModelIds(discovery.outcome.observation?.json);
    opts.onDiscovery?.(listed);
    const ctxBase = { ...baseCtx, listedModels: listed, models: chooseModels(listed, opts.models ?? {}) };
    record(modelsRow, discovery.result, discovery.outcome);

    await Promise.all(
      toRun
        .filter((r) => r !== modelsRow)
        .map(async (row) => {
          const dependency = row.needs ? outcomes.get(row.needs)?.promise : undefined;
          try {
            // Waiting for the base row is not this row's time: its watchdog starts once that has settled.
            await dependency;
            const { result, outcome } = await watchedRow(row, ctxBase, dependency, run);
            record(row, result, outcome);
          } finally {
            outcomes.get(row.id)?.resolve(undefined);
          }
        }),
    );

    await calibration.start();
    const raw = selected.map((r) => results.get(r.id)!);
    const notices: Notice[] = [];
    const uniform = applyUniformRejection(raw, calibration);
    if (uniform) notices.push(uniform);
    if (run.liveness.stoppedAfter !== undefined)
      notices.push({ kind: "target-stopped", message: run.liveness.reason() });
    const scoped = await scopeResults(raw, {
      expect: opts.expect,
      modelsJson: discovery.outcome.observation?.json,
      fetchOpenapi: () => fetchOpenapi(run.openapi, new CountingHttp(transport, run.limit, opts.onExchange)),
    });
    const declared = await withDeclared(scoped.results, run.openapi.asked);
    const { results: ordered, notices: hints } = withNotices(
      declared.results,
      opts.models ?? {},
      listed,
      opts.baseUrl,
      opts.reportConnection?.azureDeployment,
    );
    // An inconclusive run already says why nothing could be judged.
    notices.push(...(notices.length > 0 ? hints.filter((n) => n.kind !== "nothing-checked") : hints));
    return {
      tool: "aioc",
      version: VERSION,
      reportVersion: 1,
      specSource: SPEC_SOURCE,
      target: { url: opts.baseUrl, name: opts.name ?? new URL(opts.baseUrl).host },
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      options: { depth: opts.depth, concurrency: opts.concurrency, timeoutMs: opts.timeoutMs, authenticated },
      models: ctxBase.models,
      summary: summarize(ordered),
      scope: scoped.scope,
      ...(declared.section ? { declared: declared.section } : {}),
      ...(notices.length > 0 ? { notices } : {}),
      requests: transport.requests,
      results: ordered,
      ...(opts.reportConnection ? { connection: withProxy(opts.reportConnection, net) } : {}),
      ...withClients(ordered), // clients (issue #14)
    };
  } finally {
    releaseClients();
  }
}

function withProxy(connection: ReportConnection, net: { proxy?: string; proxySource?: string }) {
  return net.proxy ? { ...connection, proxy: net.proxy, proxySource: net.proxySource } : connection;
}

/**
 * At deep depth a behaviour row runs three times, so a model that complies only sometimes is told apart from one
 * that always or never does. ([seed] is itself a repeat.)
 */
export const BEHAVIOUR_REPEATS = 3;

function worthRepeating(run: Graded): boolean {
  return run.status === "PASS" || (run.status === "WARN" && run.problems.some(mayVary));
}

function repeatsAt(row: Endpoint, depth: ProbeOptions["depth"]): number {
  return depth === "deep" && row.label === "behaviour" && !row.id.endsWith("[seed]") ? BEHAVIOUR_REPEATS : 1;
}

/** What every row of one run shares. */
interface RunShared {
  transport: Transport;
  /** The one concurrency cap, longest remaining chain first. */
  limit: Limit;
  /** Each row's priority under the cap (plan.ts `chainLengths`). */
  chains: Map<string, number>;
  existence: ExistenceProbe;
  /** The answer of a path that cannot exist, which no existence evidence may equal (calibrate.ts). */
  calibration: Calibration;
  liveness: Liveness;
  /** The server's OpenAPI document, fetched at most once (the row and the scope rule share it). */
  openapi: OpenapiSource;
  opts: ProbeOptions;
}

type RowRun = {
  result: Result;
  outcome: Outcome;
  unreachable?: string;
  firstFailure?: Extract<HttpOutcome, { ok: false }>;
};

/** `runRow` under a watchdog (watchdog.ts): a row that hangs settles as FAIL instead of holding the probe. */
async function watchedRow(
  row: Endpoint,
  base: Omit<ProbeContext, "http" | "row" | "dependency">,
  dependency: Promise<Outcome | undefined> | undefined,
  run: RunShared,
): Promise<RowRun> {
  const watchdog = new Watchdog(watchdogLimit(run.opts.timeoutMs));
  const onActive = run.opts.onActive;
  const http = new CountingHttp(
    run.transport,
    run.limit,
    run.opts.onExchange,
    run.chains.get(row.id),
    watchdog,
    onActive && ((d) => onActive(row, d)),
    { state: run.liveness, rowId: row.id },
  );
  try {
    const settled = await Promise.race([
      runRow(row, base, dependency, run, http).catch((err: unknown) => internalError(row, err, http)),
      watchdog.expired,
    ]);
    if (settled) return settled;
  } finally {
    watchdog.stop();
  }
  const seconds = Math.round(watchdog.limitMs / 1000);
  const detail = `no result ${seconds} s after the row's last request (row watchdog): the server or a check hung`;
  const phase = row.phase === "C" ? "C" : "B";
  const outcome: Outcome = { phase, httpStatus: null, latencyMs: null, problems: [] };
  const graded: Graded = { status: "FAIL", detail, problems: [], deviations: [] };
  return { result: rowResult(row, graded, outcome, http), outcome };
}

/**
 * A check that threw is aioc's bug, not the server's: the row says so (SKIP, inconclusive) and the probe still
 * ends with a report, whatever the server sent.
 */
function internalError(row: Endpoint, err: unknown, http: CountingHttp): RowRun {
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0]!.slice(0, 200);
  const detail = `inconclusive: aioc internal error in this row's check (${message}); please report it`;
  const outcome: Outcome = {
    phase: row.phase === "C" ? "C" : "B",
    httpStatus: null,
    latencyMs: null,
    problems: [],
  };
  const graded: Graded = { status: "SKIP", detail, problems: [], deviations: [] };
  return { result: rowResult(row, graded, outcome, http), outcome };
}

/** The report's row: the catalog row's identity, its verdict, and what it sent. */
function rowResult(row: Endpoint, graded: Graded, outcome: Outcome, http: CountingHttp): Result {
  const result: Result = {
    id: row.id,
    path: row.path,
    method: row.method,
    group: row.group,
    kind: row.kind,
    label: row.label,
    status: graded.status,
    detail: graded.detail,
    httpStatus: outcome.httpStatus,
    latencyMs: outcome.latencyMs === null ? null : Math.round(outcome.latencyMs),
    phase: outcome.phase,
    problems: graded.problems,
    deviations: graded.deviations,
    requests: http.requests,
    exchanges: http.exchanges,
  };
  if (outcome.metrics) result.metrics = outcome.metrics;
  if (outcome.paramGrade && !outcome.skip) result.paramGrade = outcome.paramGrade;
  return result;
}

async function runRow(
  row: Endpoint,
  base: Omit<ProbeContext, "http" | "row" | "dependency">,
  dependency: Promise<Outcome | undefined> | undefined,
  run: RunShared,
  http: CountingHttp,
): Promise<RowRun> {
  const { opts } = run;
  opts.onStart?.(row);
  const ctx: ProbeContext = {
    ...base,
    http,
    row,
    dependency: async () => dependency,
    openapi: () => run.openapi.get(http),
  };
  let outcome: Outcome;
  let repeats: Graded[] | undefined;
  if (row.phase === "C") {
    // Phase C builds on its base row, which already settled existence; its responses are judged by the check
    // alone (the auth rows, for one, expect the 401 that existence rules would turn into SKIP).
    outcome = await phaseB(ctx, row, opts, null);
    if (repeatsAt(row, opts.depth) > 1) {
      repeats = [grade(row, outcome)];
      // Only the model's answer can vary between runs: stop at a protocol verdict (FAIL, SKIP, an unsupported
      // feature) instead of paying for it again.
      while (repeats.length < repeatsAt(row, opts.depth) && worthRepeating(repeats.at(-1)!)) {
        repeats.push(grade(row, await phaseB(ctx, row, opts, null)));
      }
    }
  } else if (row.method === "POST" && opts.skipPhaseB) {
    const a = await run.existence.probe(http, row, ctx.authenticated);
    if (a.settled) outcome = a.settled;
    else if (await run.calibration.matches(a.out)) outcome = run.calibration.unproven(row, undefined, a.out);
    else outcome = run.calibration.proven(await phaseB(ctx, row, opts, a.status));
  } else if (row.method === "POST") {
    // Phase B first: its answer usually settles existence too, and Phase A is asked only when it does not.
    outcome = await phaseB(ctx, row, opts, null);
    const settling = firstSettling(http);
    if (existenceOpen(http.first)) {
      const a = await run.existence.probe(http, row, ctx.authenticated);
      if (a.settled) outcome = a.settled;
      else if (!(await run.calibration.matches(a.out)))
        outcome = run.calibration.proven(withExistence(outcome, a.status));
      // Phase A answered like a path that cannot exist: it proves nothing, Phase B's answer stands alone.
      else if (settling) outcome = existenceVerdict(settling, row, ctx.authenticated, "A") ?? outcome;
      else outcome = run.calibration.unproven(row, outcome, a.out);
    } else if (settling) outcome = existenceVerdict(settling, row, ctx.authenticated, "A") ?? outcome;
    else if (http.first) outcome = (await run.calibration.verdict(http.first, row)) ?? outcome;
  } else {
    outcome = await phaseB(ctx, row, opts, null);
    // GET rows have no separate Phase A: the one request also answers "does it exist?".
    const settling = firstSettling(http);
    const like = http.first && !settling ? await run.calibration.verdict(http.first, row) : undefined;
    if (settling) outcome = existenceVerdict(settling, row, ctx.authenticated, "A") ?? outcome;
    else if (like) outcome = like;
    else if (opts.skipPhaseB && http.first?.ok) {
      outcome = {
        ...outcome,
        phase: "A",
        problems: [],
        verdict: { status: "PASS", detail: `exists (${http.first.res.status})` },
      };
    }
  }
  if (row.needs && outcome.observation) {
    // Deviations may compare a row with the one it builds on (e.g. translations 404 while transcriptions work).
    outcome.observation.facts.dependencyStatus = (await dependency)?.httpStatus ?? null;
  }
  let graded = repeats ? combineRuns(repeats) : grade(row, outcome);
  // A row the target could not answer (it stopped, or stayed busy) is not judged: SKIP with the reason.
  const unjudged = http.cutOff
    ? run.liveness.reason()
    : http.refused
      ? refusedReason(http.refused)
      : undefined;
  if (unjudged) {
    graded = { status: "SKIP", detail: unjudged, deviations: [], problems: [] };
    outcome.skip = unjudged; // rows built on this one say why
  }
  const result = rowResult(row, graded, outcome, http);
  const first = http.first;
  // No connection, or not even response headers within the deadline: nothing else will fare better, and
  // probing on would cost every row its full timeout.
  const silent =
    first &&
    !first.ok &&
    (first.error.kind === "connect" || (first.error.kind === "timeout" && !first.partial));
  const unreachable = silent ? first.error.message : undefined;
  return { result, outcome, unreachable, firstFailure: first && !first.ok ? first : undefined };
}

/**
 * The first response, when its status (or failure) settles existence on its own. A 404 that complains about the
 * model does not: the route exists only if a path that cannot exist is not answered the same (a gateway that
 * routes by model answers every path "model not found").
 */
function firstSettling(http: CountingHttp): HttpOutcome | undefined {
  const first = http.first;
  if (!first) return undefined;
  if (!first.ok) return first;
  if (first.res.status === 404 && mentionsModel(first.res.body)) return undefined;
  if (first.res.status === 405) return first.exchange.request.method === "GET" ? first : undefined;
  return [401, 403, 404, 501, 502, 504].includes(first.res.status) ? first : undefined;
}

/** A skip says when Phase A showed that the route exists (the row could not be checked for another reason). */
function withExistence(outcome: Outcome, existedWith: number | null): Outcome {
  if (outcome.skip && existedWith !== null) outcome.skip += routeExists(existedWith);
  return outcome;
}

const routeExists = (status: number | null) =>
  status === null ? "" : ` (route exists: ${status} to an empty request)`;

async function phaseB(
  ctx: ProbeContext,
  row: Endpoint,
  opts: ProbeOptions,
  existedWith: number | null,
): Promise<Outcome> {
  const exists = routeExists(existedWith);
  if (opts.skipPhaseB && row.phase === "C") {
    return {
      phase: "C",
      httpStatus: null,
      latencyMs: null,
      problems: [],
      skip: "Phase C needs Phase B (--skip-phase-b)",
    };
  }
  if (opts.skipPhaseB && row.method === "POST") {
    return {
      phase: "A",
      httpStatus: existedWith,
      latencyMs: null,
      problems: [],
      verdict: { status: "PASS", detail: `exists${exists}` },
    };
  }
  const check = CHECKS[row.id];
  if (!check) throw new Error(`no check for catalog row ${row.id}`);
  return withExistence(await check(ctx), existedWith);
}
