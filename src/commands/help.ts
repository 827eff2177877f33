/** Shared pieces of every command's --help: an Examples section, and the --json shorthand for `-f json`. */
import type { Command } from "commander";

export function withExamples(command: Command, examples: readonly [string, string][]): Command {
  const width = Math.max(...examples.map(([cmd]) => cmd.length));
  const lines = examples.map(([cmd, what]) => `  $ ${cmd.padEnd(width)}  # ${what}`);
  return command.addHelpText("after", `\nExamples:\n${lines.join("\n")}\n`);
}

/** `--json` wins over `--markdown`, and both over `-f/--format`. */
export function chosenFormat(
  flags: { format?: string; json?: boolean; markdown?: boolean },
  fallback: string,
) {
  return flags.json ? "json" : flags.markdown ? "markdown" : (flags.format ?? fallback);
}
