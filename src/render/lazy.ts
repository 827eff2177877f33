/**
 * renderReport for the CLI: loads only the renderer of the format asked for (the table's Unicode width tables and
 * the HTML renderer cost tens of ms to load; a `--format json` run needs neither). Same renderers as index.ts.
 */
import type { Report } from "../report/types.js";
import { type FormatName, knownFormat } from "./formats.js";
import type { Renderer, RenderOptions } from "./index.js";

const LOADERS: Record<FormatName, () => Promise<Renderer>> = {
  table: async () => (await import("./table.js")).tableView,
  markdown: async () => (await import("./markdown.js")).renderMarkdown,
  html: async () => (await import("./html.js")).renderHtml,
  junit: async () => (await import("./junit.js")).renderJunit,
  json: async () => (await import("./json.js")).renderJson,
};

export async function renderLazily(
  report: Report,
  format: string,
  options: RenderOptions = {},
): Promise<string> {
  return (await LOADERS[knownFormat(format)]())(report, options);
}
