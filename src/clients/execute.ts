/**
 * Runs one SDK call (`client:<sdk>/<call>`) with a given fetch and judges it. The same code runs in the client
 * worker (client-worker.ts) and, when no worker can start, in the probe's own thread (worker-pool.ts).
 * The SDK modules are imported on first use or by `preload`.
 */
import { type ClientCall, type ClientResult, describeError, StepError } from "./types.js";

const LOADERS = {
  "openai-node": async () => (await import("./openai-node.js")).OPENAI_NODE_CALLS,
  "ai-sdk": async () => (await import("./ai-sdk.js")).AI_SDK_CALLS,
  langchain: async () => (await import("./langchain.js")).LANGCHAIN_CALLS,
} satisfies Record<string, () => Promise<Record<string, ClientCall>>>;

export type Sdk = keyof typeof LOADERS;
export const SDKS = Object.keys(LOADERS) as Sdk[];
export const isSdk = (name: string): name is Sdk => name in LOADERS;

const loaded = new Map<Sdk, Promise<Record<string, ClientCall>>>();
function sdkCalls(sdk: Sdk): Promise<Record<string, ClientCall>> {
  let calls = loaded.get(sdk);
  if (!calls) {
    calls = LOADERS[sdk]();
    loaded.set(sdk, calls);
  }
  return calls;
}

/** Starts compiling these SDKs' (large) modules; a failure surfaces in the first row that uses one. */
export function preload(sdks: readonly Sdk[]): void {
  for (const sdk of sdks) sdkCalls(sdk).catch(() => {});
}

/** What one client row asks for; plain data, so it crosses to the worker as it is. */
export interface ClientJob {
  sdk: Sdk;
  call: string;
  model: string;
  baseVector?: number[];
}

/** Calls whose judgement reads what the server sent, not only what the SDK made of it. */
const KEEPS_RAW = new Set(["embeddings"]);

/** The judged call, and the status of the last answer the SDK got (null when none came). */
export async function executeCall(
  job: ClientJob,
  send: typeof globalThis.fetch,
): Promise<{ result: ClientResult; status: number | null }> {
  let status: number | null = null;
  let last: Response | undefined;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const res = await send(input, init);
    status = res.status;
    // Only where a call judges the raw answer: a tee'd stream the SDK cancels would wait for the copy.
    if (KEEPS_RAW.has(job.call)) last = res.clone();
    return res;
  };
  const { sdk, call } = job;
  try {
    const fn = (await sdkCalls(sdk))[call];
    if (!fn) throw new Error(`no ${sdk} call ${call}`);
    const env = { fetch, model: job.model, baseVector: job.baseVector, lastResponse: () => last };
    return { result: await fn(env), status };
  } catch (err) {
    const detail =
      err instanceof StepError
        ? `${sdk} threw: ${describeError(err.error)} (in ${err.where})`
        : `${sdk} threw: ${describeError(err)} (in ${call})`;
    return { result: { status: "FAIL", detail }, status };
  }
}
