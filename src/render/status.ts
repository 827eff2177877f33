import type { Status } from "../report/types.js";

/** One symbol per status, shared by every view (terminal, Markdown, HTML, matrix). */
export const STATUS_SYMBOL: Record<Status, string> = { PASS: "✔", WARN: "▲", FAIL: "✖", SKIP: "○" };

/** `✔ PASS` */
export function statusLabel(status: Status): string {
  return `${STATUS_SYMBOL[status]} ${status}`;
}
