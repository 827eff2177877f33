import { type Command, Option } from "commander";
import { withExamples } from "./help.js";
import { runSpec, SPEC_OPTIONS, type SpecFlags } from "./spec-action.js";

export function defineSpec(program: Command): void {
  const command = program.command("spec").description("print the canonical catalog of endpoints aioc probes");
  for (const o of SPEC_OPTIONS) {
    const flags = `${o.short ? `-${o.short}, ` : ""}--${o.long}${o.value ? ` <${o.value}>` : ""}`;
    const option = new Option(flags, o.description);
    command.addOption(o.choices ? option.choices(o.choices) : option);
  }
  command.action((opts: SpecFlags) => runSpec(opts));
  withExamples(command, [
    ["aioc spec", "every row: id, method, kind, notes"],
    ["aioc spec --group chat,embeddings -f json", "two groups as JSON"],
    ["aioc spec -f markdown -o surface.md", "Markdown tables into a file"],
  ]);
}
