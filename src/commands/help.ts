/** Shared piece of every command's --help: an Examples section. */
import type { Command } from "commander";

export function withExamples(command: Command, examples: readonly [string, string][]): Command {
  const width = Math.max(...examples.map(([cmd]) => cmd.length));
  const lines = examples.map(([cmd, what]) => `  $ ${cmd.padEnd(width)}  # ${what}`);
  return command.addHelpText("after", `\nExamples:\n${lines.join("\n")}\n`);
}
