import { type Command, Option } from "commander";
import { GROUPS, type Group } from "../catalog/endpoints.js";
import { UsageError } from "../cli/errors.js";
import { chosenFormat, withExamples } from "./help.js";

interface SpecFlags {
  group?: string;
  format?: string;
  json?: boolean;
  markdown?: boolean;
  output?: string;
}

export function defineSpec(program: Command): void {
  const command = program
    .command("spec")
    .description("print the canonical catalog of endpoints aioc probes")
    .option("--group <names>", `only these groups, comma separated (${GROUPS.join(", ")})`)
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json", "markdown"]))
    .option("--json", "same as -f json: a JSON array")
    .option("--markdown", "same as -f markdown (as in docs/canonical-surface.md)")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (opts: SpecFlags) => {
      const { ENDPOINTS } = await import("../catalog/endpoints.js");
      const render = await import("../catalog/render.js");
      const groups = (opts.group ?? "")
        .split(",")
        .map((g) => g.trim())
        .filter(Boolean);
      for (const g of groups) {
        if (!GROUPS.includes(g as Group)) {
          throw new UsageError(`unknown group "${g}"; expected one of ${GROUPS.join(", ")}`);
        }
      }
      const rows = groups.length > 0 ? ENDPOINTS.filter((e) => groups.includes(e.group)) : ENDPOINTS;
      const format = chosenFormat(opts, "table");
      const text =
        format === "json"
          ? render.catalogJson(rows)
          : format === "markdown"
            ? render.catalogMarkdown(rows)
            : render.catalogTable(rows);
      const { createIo, emit } = await import("../cli/io.js");
      emit(createIo(), text, opts.output);
    });
  withExamples(command, [
    ["aioc spec", "every row: id, method, kind, notes"],
    ["aioc spec --group chat,embeddings -f json", "two groups as JSON"],
    ["aioc spec -f markdown -o surface.md", "Markdown tables into a file"],
  ]);
}
