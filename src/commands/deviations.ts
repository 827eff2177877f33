import type { Command } from "commander";
import { UsageError } from "../cli/errors.js";

export function defineDeviations(program: Command): void {
  program
    .command("deviations")
    .description("list the known deviations from OpenAI's API, or explain one")
    .argument("[id]", "a deviation id, e.g. model-retrieve-404")
    .option("--json", "print JSON")
    .action(async (id: string | undefined, opts: { json?: boolean }) => {
      const { DEVIATIONS, findDeviation } = await import("../deviations/catalog.js");
      const render = await import("../deviations/render.js");
      if (id === undefined) {
        process.stdout.write(
          opts.json ? render.deviationsJson(DEVIATIONS) : render.deviationsTable(DEVIATIONS),
        );
        return;
      }
      const deviation = findDeviation(id);
      if (!deviation) throw new UsageError(`unknown deviation "${id}"; run \`aioc deviations\` for the list`);
      process.stdout.write(
        opts.json ? render.deviationsJson([deviation]) : render.explainDeviation(deviation),
      );
    });
}
