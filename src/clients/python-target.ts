/**
 * The connection settings the `client:openai-python/*` rows hand to python (clients/openai-python.ts), taken from
 * the probe's options. Kept apart so probe/run.ts builds it without loading the runner.
 */
import type { ProbeOptions } from "../probe/run.js";

/** What the python rows need to reach the target as aioc does (built once per run in probe/run.ts). */
export interface PythonTarget {
  /** `--python PATH`; undefined: `python3` on PATH. */
  python?: string;
  baseUrl: string;
  apiKey?: string;
  auth: "bearer" | "api-key" | "none";
  /** Extra headers (`-H`, config), lower-case names. */
  headers: Record<string, string>;
  /** `--proxy URL`, `""` for `--no-proxy`, undefined: the environment's (httpx reads it). */
  proxy?: string;
  insecure?: boolean;
  caFile?: string;
  /** The target is an Azure deployment (its paths are rewritten): not carried over. */
  routed: boolean;
  timeoutMs: number;
  /** More secrets to scrub from what python prints. */
  secrets: readonly string[];
}

export function pythonTarget(opts: ProbeOptions, secrets: readonly string[]): PythonTarget {
  const c = opts.connection;
  return {
    python: opts.python,
    baseUrl: opts.baseUrl,
    apiKey: opts.apiKey,
    auth: c?.auth ?? "bearer",
    headers: { ...(c?.headers ?? {}) },
    proxy: opts.net?.proxy,
    insecure: opts.net?.insecure,
    caFile: opts.net?.caFile,
    routed: !!c?.routePath,
    timeoutMs: opts.timeoutMs,
    secrets: [...(opts.secrets ?? []), ...secrets],
  };
}
