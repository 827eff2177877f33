import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../cli/errors.js";
import { createIo, type Io } from "../cli/io.js";
import { Redactor } from "../cli/redact.js";
import { runProbe } from "../probe/run.js";
import { normalizeTarget, resolveApiKey } from "../probe/target.js";
import { colorEnabled } from "../render/color.js";
import { renderReport } from "../render/index.js";
import { createProgress } from "../render/progress.js";
import type { Exchange, Report } from "../report/types.js";
import { exitCodeFor, type ProbeFlags, parseProbeFlags } from "./probe.js";

export async function probeCommand(url: string, flags: ProbeFlags): Promise<number> {
  const target = normalizeTarget(url);
  const parsed = parseProbeFlags(flags);
  const { key, source } = resolveApiKey(target.baseUrl, flags.apiKey);
  // A key with a stray newline (a quoted env var, a pasted file) cannot go in a header; say so once, up front.
  if (key !== undefined && !/^[\x21-\x7e]+$/.test(key)) {
    throw new UsageError(`the API key from ${source} contains spaces, control or non-ASCII characters`);
  }
  const redactor = new Redactor([key]);
  const io = createIo(redactor);
  const progress =
    !flags.quiet && !flags.verbose && process.stderr.isTTY === true ? createProgress(io.err) : undefined;
  // The banner is for a person at a terminal (or --verbose); piped stderr carries only errors, one line each.
  if (!flags.quiet && (process.stderr.isTTY === true || flags.verbose)) {
    io.err(`aioc: probing ${target.baseUrl}${target.note ? ` (${target.note})` : ""}\n`);
  }

  const report = await runProbe({
    baseUrl: target.baseUrl,
    name: flags.name,
    apiKey: key,
    models: {
      chat: flags.model,
      embedding: flags.embeddingModel,
      tts: flags.ttsModel,
      stt: flags.sttModel,
      image: flags.imageModel,
      video: flags.videoModel,
      moderation: flags.moderationModel,
    },
    only: parsed.only,
    skip: parsed.skip,
    groups: parsed.groups,
    expect: parsed.expect,
    skipPhaseB: flags.skipPhaseB,
    clients: flags.clients,
    timeoutMs: parsed.timeoutMs,
    concurrency: parsed.concurrency,
    depth: flags.depth,
    maxBodyBytes: parsed.maxBodyBytes,
    onStart: progress ? (row) => progress.start(row.id) : undefined,
    onResult: progress ? (r, done, total) => progress.finish(r.id, done, total) : undefined,
    onExchange: flags.verbose ? (e) => io.err(exchangeLine(e)) : undefined,
  });
  progress?.clear();

  const redacted = redactor.value(report);
  writeReports(io, redacted, flags);
  const format = flags.format ?? (process.stdout.isTTY ? "table" : "json");
  io.out(renderReport(redacted, format, { color: format === "table" && colorEnabled(process.stdout) }));
  return exitCodeFor(report.summary, flags.failOn);
}

function writeReports(io: Io, report: Report, flags: ProbeFlags): void {
  const files: [string | undefined, string][] = [
    [flags.report, "json"],
    [flags.reportMd, "markdown"],
    [flags.reportHtml, "html"],
    [flags.reportJunit, "junit"],
  ];
  if (flags.outDir) {
    mkdirSync(flags.outDir, { recursive: true });
    files.push(
      [join(flags.outDir, "report.json"), "json"],
      [join(flags.outDir, "report.md"), "markdown"],
      [join(flags.outDir, "report.html"), "html"],
      [join(flags.outDir, "report.junit.xml"), "junit"],
    );
  }
  // In GitHub Actions the Markdown view becomes the job summary.
  if (process.env.GITHUB_STEP_SUMMARY) files.push([process.env.GITHUB_STEP_SUMMARY, "markdown"]);
  for (const [path, format] of files) {
    if (path) io.writeFile(path, renderReport(report, format), path === process.env.GITHUB_STEP_SUMMARY);
  }
}

function exchangeLine(e: Exchange): string {
  const res = e.response ? `${e.response.status} ${e.response.headers["content-type"] ?? ""}` : "no response";
  return `${e.request.method} ${e.request.url} → ${res}\n`;
}
