import { type Command, Option } from "commander";

interface MatrixFlags {
  format: "markdown" | "html";
  output?: string;
}

export function defineMatrix(program: Command): void {
  program
    .command("matrix")
    .description("one table of endpoints against targets, from several saved reports")
    .argument("<reports...>", "JSON reports, one column each")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(["markdown", "html"]).default("markdown"),
    )
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (files: string[], flags: MatrixFlags) => {
      const { renderMatrix } = await import("../render/matrix.js");
      const { reportIo, emit, loadRedactedReport } = await import("./report-output.js");
      const reports = files.map((f) => loadRedactedReport(f));
      emit(reportIo(), renderMatrix(reports, flags.format), flags.output);
    });
}
