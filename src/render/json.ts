import type { Report } from "../report/types.js";

/** The report as pretty JSON, the same bytes `aioc probe --report` writes. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
