import { type Command, Option } from "commander";
import { FORMAT_NAMES } from "../render/formats.js";
import { chosenFormat } from "./format-flags.js";
import { withExamples } from "./help.js";

interface RenderFlags {
  format: string;
  json?: boolean;
  output?: string;
}

export function defineRender(program: Command): void {
  const command = program
    .command("render")
    .description("render a saved JSON report as a table, Markdown, HTML, JUnit XML or JSON")
    .argument("<report>", "JSON report written by `aioc probe --report`")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMAT_NAMES).default("table"))
    .option("--json", "same as -f json")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (file: string, flags: RenderFlags) => {
      const format = chosenFormat(flags, "table");
      const { renderReport } = await import("../render/index.js");
      const { colorEnabled, terminalColumns } = await import("../render/color.js");
      const { createIo, emit } = await import("../cli/io.js");
      const { loadRedactedReport } = await import("./report-output.js");
      const report = loadRedactedReport(file);
      const color = format === "table" && !flags.output && colorEnabled(process.stdout);
      const columns = flags.output ? undefined : terminalColumns(process.stdout);
      emit(createIo(), renderReport(report, format, { color, columns }), flags.output);
    });
  withExamples(command, [
    ["aioc render report.json", "the terminal table of a saved report"],
    ["aioc render report.json -f html -o report.html", "the self-contained HTML report"],
    ["aioc render report.json -f junit -o junit.xml", "JUnit XML for a CI test view"],
  ]);
}
