import { appendFileSync, writeFileSync } from "node:fs";
import { UsageError } from "./errors.js";
import type { Redactor } from "./redact.js";

/** All output of a command passes through here so the redactor sees it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  writeFile(path: string, text: string, append?: boolean): void;
}

export function createIo(redactor: Redactor): Io {
  return {
    out: (text) => process.stdout.write(redactor.text(text)),
    err: (text) => process.stderr.write(redactor.text(text)),
    writeFile: (path, text, append) => {
      try {
        (append ? appendFileSync : writeFileSync)(path, redactor.text(text));
      } catch (err) {
        throw new UsageError(
          `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
    },
  };
}
