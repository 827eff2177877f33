/** The commander program: every command's flags, help and usage errors. The CLI's entry (cli.ts) loads it. */
import { Command, CommanderError } from "commander";
import { defineDemo } from "../commands/demo.js";
import { defineDeviations } from "../commands/deviations.js";
import { defineGap } from "../commands/gap.js";
import { defineMatrix } from "../commands/matrix.js";
import { defineMerge } from "../commands/merge.js";
import { defineProbe } from "../commands/probe.js";
import { defineRender } from "../commands/render.js";
import { defineServe } from "../commands/serve.js";
import { defineSpec } from "../commands/spec.js";
import { VERSION } from "../version.js";
import { EXIT } from "./errors.js";

/** Parses `argv` and runs the command; commander's own errors (usage, --help, --version) set the exit code. */
export async function runProgram(argv: readonly string[], oneLine: (text: string) => string): Promise<void> {
  // Command definitions import only light modules; each action loads what it needs.
  const program = new Command("aioc")
    .description("Am I OpenAI Compatible? Probe a base URL for the OpenAI API surface it really implements.")
    .version(VERSION)
    .option("--debug", "show stack traces for errors")
    // Usage errors are one line on stderr, like every other aioc error (subcommands inherit this).
    .configureOutput({
      outputError: (text, write) => write(`aioc: ${oneLine(text.replace(/^error: /, ""))} (see --help)\n`),
    })
    .exitOverride();
  for (const define of [
    defineSpec,
    defineDeviations,
    defineServe,
    defineProbe,
    defineDemo,
    defineRender,
    defineGap,
    defineMatrix,
    defineMerge,
  ])
    define(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
}
