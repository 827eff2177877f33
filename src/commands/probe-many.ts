/**
 * Several targets (a config file) and/or several models: targets run at once (`parallel`, each with its own
 * request cap), the models of one target one after another. Each (target, model) gets its own complete report
 * (the report contract is unchanged, so `render`, `gap` and `matrix` read them), and a matrix puts them side by
 * side. A target that cannot be reached is one line on stderr; the others still run (exit 2 at the end).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import pLimit from "p-limit";
import { EXIT, UsageError } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import type { Redactor } from "../cli/redact.js";
import type { Flags, ProbePlan } from "../config/resolve.js";
import type { Shard } from "../probe/split.js";
import { probeTarget } from "../probe/target-run.js";
import { colorEnabled } from "../render/color.js";
import { terminalSafeJson } from "../render/escape.js";
import { renderReport } from "../render/index.js";
import { renderMatrix } from "../render/matrix.js";
import { escapeControl } from "../render/text-table.js";
import { summaryLine } from "../render/view.js";
import type { Report } from "../report/types.js";
import { exitCodeFor } from "./probe.js";

export async function probeMany(
  plan: ProbePlan,
  flags: Flags,
  shard: Shard | undefined,
  io: Io,
  redactor: Redactor,
): Promise<number> {
  for (const [flag, value] of [
    ["--report", flags.report],
    ["--report-md", flags.reportMd],
    ["--report-html", flags.reportHtml],
    ["--report-junit", flags.reportJunit],
  ] as const) {
    if (value)
      throw new UsageError(`${flag} writes one report; with several targets or models use --out-dir`);
  }
  const format = flags.format ?? (process.stdout.isTTY ? "table" : "json");
  if (format === "junit")
    throw new UsageError("--format junit is one report; use --out-dir (one folder per report)");
  const limit = pLimit(plan.parallel);
  let code: number = EXIT.ok;
  const runs = await Promise.all(
    plan.specs.map((spec, index) =>
      limit(async () => {
        try {
          const reports = (await probeTarget({ spec, index, shard })).map((r) => redactor.report(r));
          for (const r of reports) {
            code = Math.max(code, exitCodeFor(r.summary, spec.failOn, r.notices));
            if (!flags.quiet)
              io.err(`aioc: ${escapeControl(r.target.name)}: ${summaryLine(r.summary, r.durationMs)}\n`);
          }
          return reports;
        } catch (err) {
          if (!(err instanceof UsageError)) throw err;
          code = EXIT.usage;
          io.err(
            `aioc: ${escapeControl(redactor.text(spec.name ?? spec.url))}: ${escapeControl(redactor.text(err.message))}\n`,
          );
          return [];
        }
      }),
    ),
  );
  const reports = runs.flat();
  if (flags.outDir) writeAll(io, reports, flags.outDir);
  if (process.env.GITHUB_STEP_SUMMARY && reports.length > 0) {
    io.writeFile(process.env.GITHUB_STEP_SUMMARY, renderMatrix(reports, "markdown"), true);
  }
  if (format === "json") io.out(`${terminalSafeJson(reports)}\n`);
  else if (format === "html") io.out(renderMatrix(reports, "html"));
  else {
    const color = format === "table" && colorEnabled(process.stdout);
    for (const r of reports) io.out(renderReport(r, format, { color }));
    if (reports.length > 1) io.out(`\n${renderMatrix(reports, "markdown")}`);
  }
  return code;
}

/** One folder per report (named after it), plus matrix.md and matrix.html beside them. */
export function writeAll(io: Io, reports: readonly Report[], dir: string): void {
  const used = new Set<string>();
  for (const r of reports) {
    let slug = slugify(r.target.name);
    for (let n = 2; used.has(slug); n++) slug = `${slugify(r.target.name)}-${n}`;
    used.add(slug);
    const sub = join(dir, slug);
    mkdirSync(sub, { recursive: true });
    io.writeFile(join(sub, "report.json"), renderReport(r, "json"));
    io.writeFile(join(sub, "report.md"), renderReport(r, "markdown"));
    io.writeFile(join(sub, "report.html"), renderReport(r, "html"));
    io.writeFile(join(sub, "report.junit.xml"), renderReport(r, "junit"));
  }
  mkdirSync(dir, { recursive: true });
  io.writeFile(join(dir, "matrix.md"), renderMatrix(reports, "markdown"));
  io.writeFile(join(dir, "matrix.html"), renderMatrix(reports, "html"));
}

export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      // No leading dot: a name (from a report file, for `merge --out-dir`) of `..` must not leave the folder.
      .replace(/^[-.]+|-+$/g, "")
      .slice(0, 80) || "target"
  );
}
