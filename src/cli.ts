import { Command, CommanderError } from "commander";
import { defineGap } from "./commands/gap.js";
import { defineMatrix } from "./commands/matrix.js";
import { defineDemo } from "./commands/demo.js";
import { defineProbe } from "./commands/probe.js";
import { defineRender } from "./commands/render.js";
import { defineSpec } from "./commands/spec.js";
import { EXIT, UsageError } from "./cli/errors.js";
import { VERSION } from "./version.js";

// Command definitions import only light modules; each action loads what it needs, so `aioc spec` stays fast.
const program = new Command("aioc")
  .description("Am I OpenAI Compatible? Probe a base URL for the OpenAI API surface it really implements.")
  .version(VERSION)
  .option("--debug", "show stack traces for errors")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

defineSpec(program);
(await import("./commands/deviations.js")).defineDeviations(program);
(await import("./commands/serve.js")).defineServe(program);
defineProbe(program);
defineDemo(program);
defineRender(program);
defineGap(program);
defineMatrix(program);

const debug = process.argv.includes("--debug");

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    const message = err instanceof Error ? err.message : String(err);
    const prefix = err instanceof UsageError ? "aioc: " : "aioc: internal error: ";
    process.stderr.write(`${prefix}${message.split("\n")[0]}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = EXIT.usage;
  }
}
