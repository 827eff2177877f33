import { EXIT, UsageError } from "./cli/errors.js";
import { Redactor } from "./cli/redact.js";
import { fastSpec, runSpec } from "./commands/spec-action.js";
import { headerSecrets } from "./http/credentials.js";
import { BIDI_CONTROLS } from "./render/text-table.js";

const debug = process.argv.includes("--debug");

// `aioc … | head`: a reader that stops early is no error; the run ends with the exit code its results call for.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
  });
}
const CONTROL = new RegExp(`[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f${BIDI_CONTROLS}]`, "g");

try {
  // `aioc spec` runs without loading commander (most of its start-up); everything else goes through it.
  const spec = await fastSpec(process.argv.slice(2));
  if (spec) await runSpec(spec);
  else await (await import("./cli/program.js")).runProgram(process.argv, oneLine);
} catch (err) {
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
