import type { Report } from "../report/types.js";
import { terminalSafeJson } from "./escape.js";

/** The report as pretty JSON, the same bytes `aioc probe --report` writes. */
export function renderJson(report: Report): string {
  return `${terminalSafeJson(report)}\n`;
}
