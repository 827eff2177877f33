import { writeSync } from "node:fs";
import { EXIT } from "./errors.js";

/**
 * The last line of defence for "every probe ends with a report and a summary line": should the command's work
 * ever stop with nothing left to wait for (a promise no event will settle; Node then exits with code 13 and
 * no output), the process still says so on stderr and exits 2. Call the returned function once the command
 * has written its output or thrown its error.
 */
export function guardExit(what: string): () => void {
  const onExit = () => {
    writeSync(
      2,
      `aioc: internal error: ${what} stopped before writing its report (nothing left to wait for); run with --debug and report this\n`,
    );
    process.exitCode = EXIT.usage;
  };
  process.once("exit", onExit);
  return () => process.off("exit", onExit);
}
