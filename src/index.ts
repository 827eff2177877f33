/**
 * aioc as a library: probe a server, run the reference server, render and compare reports. The CLI's commands
 * are thin layers over these same functions (flags and files in, one of these out).
 *
 *   import { probe, serve, renderReport, diffReports } from "aioc";
 */
import { Redactor } from "./cli/redact.js";
import type { ProbeOptions } from "./probe/run.js";
import { normalizeTarget } from "./probe/target.js";
import type { Report } from "./report/types.js";
import type { RunningServer, ServeOptions as ServerOptions } from "./serve/server.js";

export type { ReportDiff } from "./gap/diff.js";
export { diffReports } from "./gap/diff.js";
export type { ModelChoice } from "./probe/models.js";
export type { FormatName, RenderOptions } from "./render/index.js";
export { FORMAT_NAMES, renderReport } from "./render/index.js";
export { loadReport } from "./report/load.js";
export type { Exchange, Problem, Report, Result, Status, Summary } from "./report/types.js";
export type { ProbeOptions, RunningServer };

/** The CLI's defaults (`aioc probe --help`). */
export const PROBE_DEFAULTS = {
  depth: "standard",
  timeoutMs: 30_000,
  concurrency: 4,
  maxBodyBytes: 16 * 1024 * 1024,
} as const satisfies Partial<ProbeOptions>;

export type ProbeInput = Omit<ProbeOptions, keyof typeof PROBE_DEFAULTS> & Partial<ProbeOptions>;

/**
 * Probes `baseUrl` (with or without `/v1`) and returns the report, with the API key redacted everywhere, as the
 * CLI prints it. Throws a `UsageError` (one-line message) for a bad URL or an unreachable target.
 */
export async function probe(options: ProbeInput): Promise<Report> {
  const { runProbe } = await import("./probe/run.js");
  const { baseUrl } = normalizeTarget(options.baseUrl);
  const report = await runProbe({ ...PROBE_DEFAULTS, ...options, baseUrl });
  return new Redactor([options.apiKey, ...(options.secrets ?? [])]).report(report);
}

export interface ServeOptions extends Omit<ServerOptions, "quirks"> {
  /** Profile names (`llama.cpp`, `vllm`, …) and `dev:<deviation-id>` entries, as `aioc serve --quirks` takes. */
  quirks?: readonly string[];
}

/** Starts the reference server (`aioc serve`); port 0 (the default) picks a free port. Close it when done. */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const [{ resolveQuirkList }, { startServer }] = await Promise.all([
    import("./serve/quirks.js"),
    import("./serve/server.js"),
  ]);
  const resolved = resolveQuirkList(options.quirks ?? []);
  return startServer({
    ...options,
    quirks: resolved.quirks,
    missing: [...resolved.missing, ...(options.missing ?? [])],
  });
}
