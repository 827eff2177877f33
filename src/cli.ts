import { Command, CommanderError } from "commander";
import { EXIT, UsageError } from "./cli/errors.js";
import { Redactor } from "./cli/redact.js";
import { defineDemo } from "./commands/demo.js";
import { defineDeviations } from "./commands/deviations.js";
import { defineGap } from "./commands/gap.js";
import { defineMatrix } from "./commands/matrix.js";
import { defineMerge } from "./commands/merge.js";
import { defineProbe } from "./commands/probe.js";
import { defineRender } from "./commands/render.js";
import { defineServe } from "./commands/serve.js";
import { defineSpec } from "./commands/spec.js";
import { headerSecrets } from "./http/credentials.js";
import { BIDI_CONTROLS } from "./render/text-table.js";
import { VERSION } from "./version.js";

// Command definitions import only light modules; each action loads what it needs, so `aioc spec` stays fast.
const program = new Command("aioc")
  .description("Am I OpenAI Compatible? Probe a base URL for the OpenAI API surface it really implements.")
  .version(VERSION)
  .option("--debug", "show stack traces for errors")
  // Usage errors are one line on stderr, like every other aioc error (subcommands inherit this).
  .configureOutput({
    outputError: (text, write) => write(`aioc: ${oneLine(text.replace(/^error: /, ""))} (see --help)\n`),
  })
  .exitOverride();

defineSpec(program);
defineDeviations(program);
defineServe(program);
defineProbe(program);
defineDemo(program);
defineRender(program);
defineGap(program);
defineMatrix(program);
defineMerge(program);

const debug = process.argv.includes("--debug");

// `aioc … | head`: a reader that stops early is no error; the run ends with the exit code its results call for.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
  });
}
const CONTROL = new RegExp(`[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f${BIDI_CONTROLS}]`, "g");

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    // A message may quote a hostile server: never let it print the key or drive the terminal.
    const redactor = new Redactor(givenSecrets());
    const message = err instanceof Error ? err.message : String(err);
    const prefix = err instanceof UsageError ? "aioc: " : "aioc: internal error: ";
    process.stderr.write(`${prefix}${oneLine(redactor.text(message))}\n`);
    if (debug && err instanceof Error && err.stack) {
      process.stderr.write(`${redactor.text(err.stack).replace(CONTROL, "")}\n`);
    }
    process.exitCode = EXIT.usage;
  }
}

/** The first line, control characters shown as `\xNN`. */
function oneLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.replace(CONTROL, (c) =>
    c.charCodeAt(0) > 0xff
      ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
      : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

/** Every key the user could have handed aioc, wherever it came from (credential headers too). */
function givenSecrets(): string[] {
  const argv = process.argv;
  const flagValues = (flag: string) =>
    argv.flatMap((arg, i) =>
      arg === flag ? [argv[i + 1] ?? ""] : arg.startsWith(`${flag}=`) ? [arg.slice(flag.length + 1)] : [],
    );
  const headers = [...flagValues("-H"), ...flagValues("--header")].flatMap((h) => {
    const colon = h.indexOf(":");
    return colon > 0 ? headerSecrets({ [h.slice(0, colon).trim()]: h.slice(colon + 1).trim() }) : [h];
  });
  return [
    ...flagValues("--api-key"),
    ...headers,
    process.env.AIOC_API_KEY ?? "",
    process.env.OPENAI_API_KEY ?? "",
  ];
}
