import { createIo, type Io } from "../cli/io.js";
import { Redactor } from "../cli/redact.js";

/**
 * Output for the commands that read saved reports (render, gap, matrix). Reports are redacted when written;
 * the keys aioc knows from the environment are redacted again, in case a file came from elsewhere.
 */
export function reportIo(env: NodeJS.ProcessEnv = process.env): Io {
  return createIo(new Redactor([env.AIOC_API_KEY, env.OPENAI_API_KEY]));
}

/** Writes `text` to `file` when one is given, else to stdout. */
export function emit(io: Io, text: string, file?: string): void {
  if (file) io.writeFile(file, text);
  else io.out(text);
}
