import { type Command, Option } from "commander";
import { withExamples } from "./help.js";

interface MatrixFlags {
  format: "markdown" | "html";
  output?: string;
}

export function defineMatrix(program: Command): void {
  const command = program
    .command("matrix")
    .description("one table of endpoints against targets, from several saved reports")
    .argument("<reports...>", "JSON reports, one column each")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(["markdown", "html"]).default("markdown"),
    )
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (files: string[], flags: MatrixFlags) => {
      const { renderMatrix } = await import("../render/matrix.js");
      const { createIo, emit } = await import("../cli/io.js");
      const { loadRedactedReport } = await import("./report-output.js");
      const reports = files.map((f) => loadRedactedReport(f));
      emit(createIo(), renderMatrix(reports, flags.format), flags.output);
    });
  withExamples(command, [
    ["aioc matrix llama.json vllm.json ollama.json", "one Markdown matrix, a column per report"],
    ["aioc matrix *.json -f html -o matrix.html", "the same as a self-contained HTML page"],
  ]);
}
