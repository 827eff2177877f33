/**
 * `client:<sdk>/<call>` rows: does the real client library work against the target? Each runs one SDK call
 * (two for openai-node's chat.stream) on the client worker (clients/worker-pool.ts), its requests sent through the
 * row's HTTP, so they are counted and capped like ours. PASS needs the call to succeed AND return usable data; a
 * throw is FAIL "<sdk> threw: <ErrorClass>: <message>". The worker and the SDK modules are loaded only when such
 * rows are planned (`preloadClients`).
 */
import { ENDPOINTS } from "../catalog/endpoints.js";
import { isSdk, SDKS, type Sdk } from "../clients/execute.js";
import type { PythonTarget } from "../clients/python-target.js";
import type { ClientResult } from "../clients/types.js";
import type { Check, Outcome, ProbeContext } from "../probe/types.js";
import { finding, settle, skipC, startC } from "./depth.js";
import { baseVector } from "./embeddings-depth.js";

/**
 * Starts what these rows' clients need, so it loads while discovery and the protocol rows run instead of when the
 * first client row runs: the client worker with the SDKs they use, and the run's one python for the python SDK
 * rows (not for an Azure-routed target: those rows SKIP). A failure surfaces in the first row that needs it.
 * Returns what ends them when the run is over (the python session; the worker is idle and unreferenced).
 */
export function preloadClients(rows: readonly { id: string }[], python: PythonTarget): () => void {
  const uses = (prefix: string) => rows.some((r) => r.id.startsWith(prefix));
  const sdks = SDKS.filter((sdk) => uses(`client:${sdk}/`));
  if (sdks.length > 0)
    import("../clients/worker-pool.js").then((m) => m.preloadInWorker(sdks)).catch(() => {});
  if (python.routed || !uses("client:openai-python/")) return () => {};
  const runner = import("../clients/openai-python.js").then((m) => {
    m.pythonSession(python);
    return m;
  });
  return () => void runner.then((m) => m.closePythonSession(python)).catch(() => {});
}

function clientCheck(sdk: Sdk, call: string): Check {
  return async (ctx: ProbeContext) => {
    const start = await startC(ctx);
    if (start.skip) return start.skip;
    // Latency is the time its requests were on the wire, as for raw rows: not the wait for a concurrency slot,
    // nor the SDK's loading.
    const activeBefore = ctx.http.activeMs ?? 0;
    const { runClientCall } = await import("../clients/worker-pool.js");
    const job = { sdk, call, model: start.model, baseVector: baseVector(start.base) };
    const { result, status } = await runClientCall(job, ctx.http);
    const latencyMs = (ctx.http.activeMs ?? 0) - activeBefore;
    return clientOutcome(sdk, call, status, status === null ? null : latencyMs, result);
  };
}

function clientOutcome(
  sdk: string,
  call: string,
  status: number | null,
  latencyMs: number | null,
  result: ClientResult,
): Outcome {
  const outcome = {
    phase: "C" as const,
    httpStatus: status,
    latencyMs,
    problems: [],
    observation: { status, headers: {}, contentType: "", facts: { sdk, call, result: result.status } },
  };
  if (result.status === "PASS") return settle(outcome, [], `${status} · ${result.detail}`);
  const severity = result.status === "FAIL" ? "fail" : "warn";
  return settle(outcome, [
    finding(severity, "client", "a successful call with usable data", result.detail, result.detail),
  ]);
}

// clients (issue #14): the Python SDK runs as a child process of python, not through the row's HTTP, so its requests
// are not counted here; the detail says how many it made.
function pythonCheck(call: string): Check {
  return async (ctx: ProbeContext) => {
    const start = await startC(ctx);
    if (start.skip) return start.skip;
    if (!ctx.python) return skipC("not run: no python target given");
    const { pythonUnusable, runPythonRow } = await import("../clients/openai-python.js");
    const python = ctx.python;
    // The run's python starts once, outside the cap (preloadClients starts it with the plan); rows wait for it here.
    const unusable = await pythonUnusable(python);
    if (unusable) return skipC(unusable);
    const work = () => runPythonRow(python, call, start.model, baseVector(start.base));
    const r = await (ctx.http.external ? ctx.http.external(work) : work());
    if ("skip" in r) return skipC(r.skip);
    const note = ` (python, ${r.requests} request${r.requests === 1 ? "" : "s"} straight to the target)`;
    return clientOutcome("openai-python", call, r.status, null, {
      ...r.result,
      detail: r.result.detail + note,
    });
  };
}

/** One check per `client:` row of the catalog. */
export const clientChecks: Record<string, Check> = Object.fromEntries(
  ENDPOINTS.filter((e) => e.id.startsWith("client:")).map((e) => {
    const [sdk, call] = e.id.slice("client:".length).split("/") as [Sdk, string];
    if ((sdk as string) === "openai-python") return [e.id, pythonCheck(call)];
    if (!isSdk(sdk)) throw new Error(`unknown client SDK in ${e.id}`);
    return [e.id, clientCheck(sdk, call)];
  }),
);
