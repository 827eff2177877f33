import { accessSync, constants, mkdirSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { EXIT, UsageError } from "../cli/errors.js";
import { guardExit } from "../cli/exit-guard.js";
import { fixUrl, unsentKeyNotice } from "../cli/input-hints.js";
import { createIo, type Io } from "../cli/io.js";
import { Redactor } from "../cli/redact.js";
import { type FlagSource, type Flags, type ProbePlan, resolvePlan } from "../config/resolve.js";
import { headerSecrets, querySecrets } from "../http/credentials.js";
import { Recorder } from "../http/record.js";
import { parseShard } from "../probe/split.js";
import { normalizeTarget } from "../probe/target.js";
import { probeTarget } from "../probe/target-run.js";
import { colorEnabled, terminalColumns } from "../render/color.js";
import { clipText, terminalSafeJson } from "../render/escape.js";
import { renderLazily } from "../render/lazy.js";
import { escapeControl } from "../render/text-table.js";
import type { Exchange, Report } from "../report/types.js";
import { VERSION } from "../version.js";
import { exitCodeFor, type ProbeFlags } from "./probe.js";

export async function probeCommand(
  url: string | undefined,
  flags: Flags,
  source?: FlagSource,
): Promise<number> {
  const written = guardExit("the probe");
  try {
    return await probe(url, flags, source);
  } finally {
    written();
  }
}

async function probe(url: string | undefined, flags: Flags, source?: FlagSource): Promise<number> {
  const fixed = url === undefined ? undefined : fixUrl(url);
  const typedNotes = fixed?.notes ?? [];
  const plan = await resolvePlan(fixed?.url, flags, source);
  const shard = flags.shard !== undefined ? parseShard(flags.shard) : undefined;
  const redactor = new Redactor(planSecrets(plan));
  const io = createIo();
  const warning = redactor.warning();
  if (warning && !flags.quiet) io.err(warning);
  const single =
    plan.specs.length === 1 && !plan.specs[0]!.allModels && plan.specs[0]!.chatModels.length <= 1;
  if (!single) {
    const { probeMany } = await import("./probe-many.js");
    return probeMany(plan, flags, shard, io, redactor);
  }
  const spec = plan.specs[0]!;
  const progress =
    !flags.quiet && !flags.verbose && process.stderr.isTTY === true
      ? (await import("../render/progress.js")).createProgress(io.err)
      : undefined;
  // Fixes to what was typed, said once (also when stderr is piped: they change what is probed).
  const unsent = unsentKeyNotice(spec.url, spec.key !== undefined);
  if (!flags.quiet)
    for (const note of [...typedNotes, ...(unsent ? [unsent] : [])]) io.err(`aioc: ${note}\n`);
  // Report folders exist before a long run, not after it.
  const files = reportFiles(flags);
  prepareReportPaths([
    ...(flags.output ? [flags.output] : []),
    ...(flags.record ? [flags.record] : []),
    ...files.map(([path]) => path),
  ]);
  if (spec.waitReadyMs !== undefined) {
    const { waitReady } = await import("../probe/wait-ready.js");
    const baseUrl = normalizeTarget(spec.url).baseUrl;
    await waitReady({
      baseUrl,
      apiKey: spec.key,
      waitMs: spec.waitReadyMs,
      onWaiting: flags.quiet
        ? undefined
        : (why) => io.err(`aioc: waiting for ${redactor.text(baseUrl)} (${why})\n`),
    });
  }
  const recorder = flags.record
    ? new Recorder(
        { url: spec.url, name: spec.name },
        { secrets: planSecrets(plan), tool: `aioc/${VERSION}` },
      )
    : undefined;
  const [report] = await probeTarget({
    spec,
    index: 0,
    shard,
    hooks: {
      onActive: progress ? (row, delta) => progress.active(row.id, delta) : undefined,
      onResult: progress ? (r, done, total) => progress.finish(r.id, done, total) : undefined,
      onExchange: flags.verbose ? (e) => io.err(exchangeLine(e)) : undefined,
      onRaw: recorder ? (raw) => recorder.add(raw, raw.req.row ?? "") : undefined,
    },
    // The banner is for a person at a terminal (or --verbose); piped stderr carries only errors, one line each.
    onTarget: (baseUrl, note) => {
      if (!flags.quiet && (process.stderr.isTTY === true || flags.verbose)) {
        io.err(`aioc: probing ${redactor.text(baseUrl)}${note ? ` (${note})` : ""}\n`);
      }
    },
  });
  progress?.clear();

  const redacted = redactor.report(report!);
  if (recorder && flags.record) {
    io.writeFile(flags.record, `${terminalSafeJson(recorder.recording(), 1)}\n`);
  }
  const format =
    flags.format ?? (flags.output ? formatOfFile(flags.output) : process.stdout.isTTY ? "table" : "json");
  const view = await renderLazily(redacted, format, {
    color: format === "table" && !flags.output && colorEnabled(process.stdout),
    columns: flags.output ? undefined : terminalColumns(process.stdout),
  });
  // The table shows the notices at its top; any other view on stdout leaves them to stderr.
  if (format !== "table" || flags.output)
    for (const n of redacted.notices ?? []) io.err(`aioc: ${escapeControl(n.message)}\n`);
  if (flags.output) files.unshift([flags.output, format]);
  else io.out(view);
  // Results are on the screen before any file is written: a failed write loses nothing the run found.
  const failed = await writeReports(io, redacted, files, flags.output ? view : undefined);
  if (failed) {
    io.err(`aioc: ${failed}\n`);
    return EXIT.usage;
  }
  // run.ts says "nothing checked" only when no inconclusive notice already explains the run.
  if (report!.notices?.some((n) => n.kind === "nothing-checked")) return EXIT.usage;
  return exitCodeFor(report!.summary, spec.failOn, report!.notices);
}

/** Every secret the user handed over, from any target: keys, credential headers, query credentials, proxy passwords. */
export function planSecrets(plan: ProbePlan): string[] {
  return plan.specs.flatMap((s) => {
    const proxy = s.net.proxy ? safeUrl(s.net.proxy) : undefined;
    return [
      s.key,
      ...headerSecrets(s.headers),
      ...(safeUrl(s.url) ? querySecrets(s.url) : []),
      proxy ? decodeURIComponent(proxy.password) : undefined,
    ].filter((x): x is string => !!x);
  });
}

function safeUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}
const EXTENSION_FORMAT: Record<string, string> = {
  ".json": "json",
  ".md": "markdown",
  ".markdown": "markdown",
  ".html": "html",
  ".htm": "html",
  ".xml": "junit",
  ".txt": "table",
};

function formatOfFile(path: string): string {
  return EXTENSION_FORMAT[extname(path).toLowerCase()] ?? "json";
}

/** Creates the folders report files go in, and checks they can be written, before anything is probed. */
function prepareReportPaths(paths: readonly string[]): void {
  for (const path of paths) {
    const dir = dirname(path);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new UsageError(`cannot write reports to ${dir}: ${code}`);
    }
  }
}

/** Writes every report file; returns the first failure's message (the others are still attempted). */
async function writeReports(
  io: Io,
  report: Report,
  files: readonly [string, string][],
  outputView: string | undefined,
): Promise<string | undefined> {
  let failed: string | undefined;
  for (const [path, format] of files) {
    try {
      const text =
        outputView !== undefined && path === files[0]?.[0] ? outputView : await renderLazily(report, format);
      io.writeFile(path, text, path === process.env.GITHUB_STEP_SUMMARY);
    } catch (err) {
      failed ??= (err as Error).message;
    }
  }
  return failed;
}

function reportFiles(flags: ProbeFlags): [string, string][] {
  const files: [string | undefined, string][] = [
    [flags.report, "json"],
    [flags.reportMd, "markdown"],
    [flags.reportHtml, "html"],
    [flags.reportJunit, "junit"],
  ];
  if (flags.outDir) {
    files.push(
      [join(flags.outDir, "report.json"), "json"],
      [join(flags.outDir, "report.md"), "markdown"],
      [join(flags.outDir, "report.html"), "html"],
      [join(flags.outDir, "report.junit.xml"), "junit"],
    );
  }
  // In GitHub Actions the Markdown view becomes the job summary.
  if (process.env.GITHUB_STEP_SUMMARY) files.push([process.env.GITHUB_STEP_SUMMARY, "markdown"]);
  return files.filter((f): f is [string, string] => f[0] !== undefined && f[0] !== "");
}

function exchangeLine(e: Exchange): string {
  const res = e.response ? `${e.response.status} ${e.response.headers["content-type"] ?? ""}` : "no response";
  return `${escapeControl(clipText(`${e.request.method} ${e.request.url}`, 400))} → ${escapeControl(clipText(res))}\n`;
}
