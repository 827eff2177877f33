import { mkdirSync } from "node:fs";
import { join } from "node:path";

import { createIo, type Io } from "../cli/io.js";
import { Redactor } from "../cli/redact.js";
import { type FlagSource, type Flags, type ProbePlan, resolvePlan } from "../config/resolve.js";
import { headerSecrets, querySecrets } from "../http/credentials.js";
import { Recorder } from "../http/record.js";
import { parseShard } from "../probe/split.js";
import { probeTarget } from "../probe/target-run.js";
import { colorEnabled } from "../render/color.js";
import { renderReport } from "../render/index.js";
import { createProgress } from "../render/progress.js";
import type { Exchange, Report } from "../report/types.js";
import { VERSION } from "../version.js";
import { exitCodeFor, type ProbeFlags } from "./probe.js";

export async function probeCommand(
  url: string | undefined,
  flags: Flags,
  source?: FlagSource,
): Promise<number> {
  const plan = await resolvePlan(url, flags, source);
  const shard = flags.shard !== undefined ? parseShard(flags.shard) : undefined;
  const redactor = new Redactor(planSecrets(plan));
  const io = createIo(redactor);
  const single =
    plan.specs.length === 1 && !plan.specs[0]!.allModels && plan.specs[0]!.chatModels.length <= 1;
  if (!single) {
    const { probeMany } = await import("./probe-many.js");
    return probeMany(plan, flags, shard, io, redactor);
  }
  const spec = plan.specs[0]!;
  const progress =
    !flags.quiet && !flags.verbose && process.stderr.isTTY === true ? createProgress(io.err) : undefined;
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
      onStart: progress ? (row) => progress.start(row.id) : undefined,
      onResult: progress ? (r, done, total) => progress.finish(r.id, done, total) : undefined,
      onExchange: flags.verbose ? (e) => io.err(exchangeLine(e)) : undefined,
      onRaw: recorder ? (raw) => recorder.add(raw, raw.req.row ?? "") : undefined,
    },
    // The banner is for a person at a terminal (or --verbose); piped stderr carries only errors, one line each.
    onTarget: (baseUrl, note) => {
      if (!flags.quiet && (process.stderr.isTTY === true || flags.verbose)) {
        io.err(`aioc: probing ${baseUrl}${note ? ` (${note})` : ""}\n`);
      }
    },
  });
  progress?.clear();

  const redacted = redactor.value(report!);
  writeReports(io, redacted, flags);
  if (recorder && flags.record)
    io.writeFile(flags.record, `${JSON.stringify(recorder.recording(), null, 1)}\n`);
  const format = flags.format ?? (process.stdout.isTTY ? "table" : "json");
  io.out(renderReport(redacted, format, { color: format === "table" && colorEnabled(process.stdout) }));
  return exitCodeFor(report!.summary, spec.failOn);
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

export function writeReports(io: Io, report: Report, flags: ProbeFlags): void {
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
