import { type Command, Option } from "commander";
import { EXIT } from "../cli/errors.js";
import { chosenFormat } from "./format-flags.js";
import { withExamples } from "./help.js";

interface GapFlags {
  format: "text" | "markdown" | "json";
  json?: boolean;
  output?: string;
  failOnRegression?: boolean;
}

export function defineGap(program: Command): void {
  const command = program
    .command("gap")
    .description("compare two reports row by row: regressions, fixes, and rows only one of them has")
    .argument("<a>", "baseline JSON report (e.g. OpenAI, or yesterday's run)")
    .argument("<b>", "JSON report to compare against it")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "markdown", "json"])
        .default("text"),
    )
    .option("--json", "same as -f json")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .option("--fail-on-regression", "exit 1 when any row is worse in B than in A")
    .action(async (fileA: string, fileB: string, flags: GapFlags) => {
      const { diffReports } = await import("../gap/diff.js");
      const { GAP_FORMATS } = await import("../gap/render.js");
      const { createIo, emit } = await import("../cli/io.js");
      const { loadRedactedReport } = await import("./report-output.js");
      const diff = diffReports(loadRedactedReport(fileA), loadRedactedReport(fileB));
      const format = chosenFormat(flags, "text") as GapFlags["format"];
      emit(createIo(), GAP_FORMATS[format](diff), flags.output);
      if (flags.failOnRegression && diff.counts.regression > 0) process.exitCode = EXIT.failed;
    });
  withExamples(command, [
    ["aioc gap openai.json local.json", "rows worse, better or only in one"],
    ["aioc gap yesterday.json today.json --fail-on-regression", "CI: exit 1 on any regression"],
    ["aioc gap a.json b.json -f markdown -o gap.md", "a Markdown table into a file"],
  ]);
}
