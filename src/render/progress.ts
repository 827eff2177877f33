/**
 * Live progress on a terminal: one line, redrawn in place, with rows done / total, elapsed time and the rows in
 * flight. The caller shows it only on a TTY and not with --quiet; it is erased before the final table.
 */
import { escapeControl } from "./text-table.js";

export interface Progress {
  start(id: string): void;
  finish(id: string, done: number, total: number): void;
  clear(): void;
}

export function createProgress(
  write: (text: string) => void,
  columns = Math.max(process.stderr.columns || 100, 40),
): Progress {
  const started = performance.now();
  const running = new Set<string>();
  let done = 0;
  let total = 0;
  const draw = () => {
    const elapsed = ((performance.now() - started) / 1000).toFixed(1);
    const current = [...running].map(escapeControl).join(", ");
    const line = `[${done}/${total || "?"}] ${elapsed} s${current ? ` · ${current}` : ""}`;
    write(`\r\u001b[2K${line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line}`);
  };
  return {
    start(id) {
      running.add(id);
      draw();
    },
    finish(id, d, t) {
      running.delete(id);
      done = d;
      total = t;
      draw();
    },
    clear() {
      write("\r\u001b[2K");
    },
  };
}
