import type { Report } from "../report/types.js";
import { type FormatName, knownFormat } from "./formats.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { tableView } from "./table.js";

export interface RenderOptions {
  /** Terminal colour (the `table` format only); the caller decides, e.g. with `colorEnabled(process.stdout)`. */
  color?: boolean;
  /** Terminal width for the `table` format (unset: no fitting). */
  columns?: number;
}

export type Renderer = (report: Report, options: RenderOptions) => string;

/** Every view of a report, by format name. */
export const FORMATS: Record<FormatName, Renderer> = {
  table: tableView,
  markdown: renderMarkdown,
  html: renderHtml,
  junit: renderJunit,
  json: renderJson,
};

export function renderReport(report: Report, format: string, options: RenderOptions = {}): string {
  return FORMATS[knownFormat(format)](report, options);
}

export { FORMAT_NAMES, type FormatName } from "./formats.js";
