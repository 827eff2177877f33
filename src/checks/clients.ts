/**
 * `client:<sdk>/<call>` rows: does the real client library work against the target? Each runs one SDK call
 * (two for openai-node's chat.stream) through `ctx.fetchFn`, so its requests are counted and capped like ours.
 * PASS needs the call to succeed AND return usable data; a throw is FAIL "<sdk> threw: <ErrorClass>: <message>".
 * The SDK modules are imported only when such rows are planned (`preloadClients`) or run.
 */
import { ENDPOINTS } from "../catalog/endpoints.js";
import { type ClientCall, type ClientResult, describeError, StepError } from "../clients/types.js";
import type { Check, Outcome, ProbeContext } from "../probe/types.js";
import { finding, settle, skipC, startC } from "./depth.js";
import { baseVector } from "./embeddings-depth.js";

const LOADERS = {
  "openai-node": async () => (await import("../clients/openai-node.js")).OPENAI_NODE_CALLS,
  "ai-sdk": async () => (await import("../clients/ai-sdk.js")).AI_SDK_CALLS,
  // clients (issue #14): LangChain JS
  langchain: async () => (await import("../clients/langchain.js")).LANGCHAIN_CALLS,
} satisfies Record<string, () => Promise<Record<string, ClientCall>>>;

type Sdk = keyof typeof LOADERS;

const loaded = new Map<Sdk, Promise<Record<string, ClientCall>>>();
/** Each SDK module is loaded once, on first use or by `preloadClients`. */
function sdkCalls(sdk: Sdk): Promise<Record<string, ClientCall>> {
  let calls = loaded.get(sdk);
  if (!calls) {
    calls = LOADERS[sdk]();
    loaded.set(sdk, calls);
  }
  return calls;
}

/**
 * Starts loading the SDKs these rows use, so their (large) modules compile while discovery and the protocol rows
 * wait on the network instead of when the first client row runs. A failure surfaces in that row.
 */
export function preloadClients(rows: readonly { id: string }[]): void {
  for (const sdk of Object.keys(LOADERS) as Sdk[]) {
    if (rows.some((r) => r.id.startsWith(`client:${sdk}/`))) sdkCalls(sdk).catch(() => {});
  }
}

/** Calls whose judgement reads what the server sent, not only what the SDK made of it. */
const KEEPS_RAW = new Set(["embeddings"]);

async function run(sdk: Sdk, call: string, run: () => Promise<ClientResult>): Promise<ClientResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof StepError)
      return { status: "FAIL", detail: `${sdk} threw: ${describeError(err.error)} (in ${err.where})` };
    return { status: "FAIL", detail: `${sdk} threw: ${describeError(err)} (in ${call})` };
  }
}

function clientCheck(sdk: Sdk, call: string): Check {
  return async (ctx: ProbeContext) => {
    const start = await startC(ctx);
    if (start.skip) return start.skip;
    let status: number | null = null;
    let last: Response | undefined;
    // Watches the SDK's exchanges for the row's status, and keeps a copy of the last response. Latency is the time
    // its requests were on the wire, as for raw rows: not the wait for a concurrency slot, nor the SDK's loading.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const res = await ctx.fetchFn(input, init);
      status = res.status;
      // Only where a call judges the raw answer: a tee'd stream the SDK cancels would wait for the copy.
      if (KEEPS_RAW.has(call)) last = res.clone();
      return res;
    };
    const activeBefore = ctx.http.activeMs ?? 0;
    const calls = await sdkCalls(sdk);
    const fn = calls[call];
    if (!fn) throw new Error(`no ${sdk} call ${call}`);
    const env = { fetch, model: start.model, baseVector: baseVector(start.base), lastResponse: () => last };
    const result = await run(sdk, call, () => fn(env));
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

// clients (issue #14): the Python SDK runs as a child process of python, not through ctx.fetchFn, so its requests
// are not counted here; the detail says how many it made.
function pythonCheck(call: string): Check {
  return async (ctx: ProbeContext) => {
    const start = await startC(ctx);
    if (start.skip) return start.skip;
    if (!ctx.python) return skipC("not run: no python target given");
    const { runPythonRow } = await import("../clients/openai-python.js");
    const python = ctx.python;
    const work = (touch?: () => void) =>
      runPythonRow(python, call, start.model, baseVector(start.base), touch);
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
    if (!(sdk in LOADERS)) throw new Error(`unknown client SDK in ${e.id}`);
    return [e.id, clientCheck(sdk, call)];
  }),
);
