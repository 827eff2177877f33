import { appendFileSync, writeFileSync } from "node:fs";
import { UsageError } from "./errors.js";

/**
 * All output of a command passes through here. What it writes is already redacted where it holds server text
 * (see redact.ts); aioc's own text is written as it is.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  writeFile(path: string, text: string, append?: boolean): void;
}

export function createIo(): Io {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    writeFile: (path, text, append) => {
      try {
        (append ? appendFileSync : writeFileSync)(path, text);
      } catch (err) {
        throw new UsageError(
          `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
    },
  };
}

/** Writes `text` to `file` when one is given, else to stdout. */
export function emit(io: Io, text: string, file?: string): void {
  if (file) io.writeFile(file, text);
  else io.out(text);
}
