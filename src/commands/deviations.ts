import { type Command, Option } from "commander";
import { UsageError } from "../cli/errors.js";
import { chosenFormat } from "./format-flags.js";
import { withExamples } from "./help.js";

interface DeviationsFlags {
  format?: string;
  json?: boolean;
  output?: string;
}

export function defineDeviations(program: Command): void {
  const command = program
    .command("deviations")
    .description("list the known deviations from OpenAI's API, or explain one")
    .argument("[id]", "a deviation id, e.g. model-retrieve-404")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]))
    .option("--json", "same as -f json")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (id: string | undefined, opts: DeviationsFlags) => {
      const { DEVIATIONS, findDeviation } = await import("../deviations/catalog.js");
      const render = await import("../deviations/render.js");
      const { createIo, emit } = await import("../cli/io.js");
      const json = chosenFormat(opts, "table") === "json";
      if (id === undefined) {
        const text = json ? render.deviationsJson(DEVIATIONS) : render.deviationsTable(DEVIATIONS);
        emit(createIo(), text, opts.output);
        return;
      }
      const deviation = findDeviation(id);
      if (!deviation) throw new UsageError(`unknown deviation "${id}"; run \`aioc deviations\` for the list`);
      emit(
        createIo(),
        json ? render.deviationsJson([deviation]) : render.explainDeviation(deviation),
        opts.output,
      );
    });
  withExamples(command, [
    ["aioc deviations", "every known deviation, its verdict and who does it"],
    ["aioc deviations model-retrieve-404", "one deviation: why, detection, implementations, sources"],
    ["aioc deviations -f json -o deviations.json", "the catalog as JSON"],
  ]);
}
