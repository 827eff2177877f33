import { type Command, Option } from "commander";
import { EXIT } from "../cli/errors.js";

interface GapFlags {
  format: "text" | "markdown" | "json";
  failOnRegression?: boolean;
}

export function defineGap(program: Command): void {
  program
    .command("gap")
    .description("compare two reports row by row: regressions, fixes, and rows only one of them has")
    .argument("<a>", "baseline JSON report (e.g. OpenAI, or yesterday's run)")
    .argument("<b>", "JSON report to compare against it")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "markdown", "json"])
        .default("text"),
    )
    .option("--fail-on-regression", "exit 1 when any row is worse in B than in A")
    .action(async (fileA: string, fileB: string, flags: GapFlags) => {
      const { diffReports } = await import("../gap/diff.js");
      const { GAP_FORMATS } = await import("../gap/render.js");
      const { reportIo, loadRedactedReport } = await import("./report-output.js");
      const diff = diffReports(loadRedactedReport(fileA), loadRedactedReport(fileB));
      reportIo().out(GAP_FORMATS[flags.format](diff));
      if (flags.failOnRegression && diff.counts.regression > 0) process.exitCode = EXIT.failed;
    });
}
