import { type Command, Option } from "commander";
import { FORMAT_NAMES } from "../render/formats.js";

interface RenderFlags {
  format: string;
  output?: string;
}

export function defineRender(program: Command): void {
  program
    .command("render")
    .description("render a saved JSON report as a table, Markdown, HTML, JUnit XML or JSON")
    .argument("<report>", "JSON report written by `aioc probe --report`")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMAT_NAMES).default("table"))
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (file: string, flags: RenderFlags) => {
      const { loadReport } = await import("../report/load.js");
      const { renderReport } = await import("../render/index.js");
      const { colorEnabled, terminalColumns } = await import("../render/color.js");
      const { reportIo, emit } = await import("./report-output.js");
      const report = loadReport(file);
      const color = flags.format === "table" && !flags.output && colorEnabled(process.stdout);
      const columns = flags.output ? undefined : terminalColumns(process.stdout);
      emit(reportIo(), renderReport(report, flags.format, { color, columns }), flags.output);
    });
}
