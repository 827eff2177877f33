/**
 * Live progress on a terminal: one line, redrawn in place, with rows done / total, elapsed time and the rows whose
 * requests are in flight (holding a concurrency slot, not waiting for one). A timer redraws it so the clock moves
 * while a slow server thinks. The caller shows it only on a TTY and not with --quiet; it is erased before the table.
 */
import { escapeControl, truncate } from "./text-table.js";
import "./text-width-full.js";

export interface Progress {
  /** A request of row `id` got its slot (+1) or ended (-1). */
  active(id: string, delta: 1 | -1): void;
  finish(id: string, done: number, total: number): void;
  clear(): void;
}

export function createProgress(
  write: (text: string) => void,
  columns = Math.max(process.stderr.columns || 100, 40),
  intervalMs = 1000,
): Progress {
  const started = performance.now();
  const inFlight = new Map<string, number>();
  let done = 0;
  let total = 0;
  const draw = () => {
    const elapsed = ((performance.now() - started) / 1000).toFixed(1);
    const current = [...inFlight.keys()].map(escapeControl).join(", ");
    const line = `[${done}/${total || "?"}] ${elapsed} s${current ? ` · ${current}` : ""}`;
    write(`\r\u001b[2K${truncate(line, columns - 1)}`);
  };
  const timer = setInterval(draw, intervalMs);
  timer.unref();
  return {
    active(id, delta) {
      const n = (inFlight.get(id) ?? 0) + delta;
      if (n > 0) inFlight.set(id, n);
      else inFlight.delete(id);
      draw();
    },
    finish(id, d, t) {
      inFlight.delete(id);
      done = d;
      total = t;
      draw();
    },
    clear() {
      clearInterval(timer);
      write("\r\u001b[2K");
    },
  };
}
