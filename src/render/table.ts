import pc from "picocolors";
import type { Report, Status } from "../report/types.js";
import { STATUS_SYMBOL } from "./status.js";
import { alignColumns, escapeControl } from "./text-table.js";
import { formatLatency, groupResults, modelPairs, summaryLine } from "./view.js";

export { colorEnabled } from "./color.js";

export interface TableOptions {
  color: boolean;
}

/** The terminal view: a header naming the target, one aligned row per result, then the summary line. */
export function renderTable(report: Report, options: TableOptions): string {
  const c = pc.createColors(options.color);
  const paint: Record<Status, (s: string) => string> = {
    PASS: c.green,
    WARN: c.yellow,
    FAIL: c.red,
    SKIP: c.dim,
  };
  const groups = groupResults(report.results);
  const rows = groups.flatMap((g) =>
    g.results.map((r) => [
      paint[r.status](`${STATUS_SYMBOL[r.status]} ${r.status}`),
      escapeControl(r.id),
      c.dim(formatLatency(r.latencyMs)),
      escapeControl(r.detail),
    ]),
  );
  const lines = alignColumns(rows);
  const body: string[] = [];
  let next = 0;
  for (const g of groups) {
    body.push("", c.bold(escapeControl(g.title)));
    for (const _ of g.results) body.push(`  ${lines[next++]}`);
  }
  const models = modelPairs(report).map(([kind, id]) => `${escapeControl(kind)}=${escapeControl(id)}`);
  return [
    `${c.bold("aioc")} ${escapeControl(report.target.name)} ${c.dim(escapeControl(report.target.url))}`,
    c.dim(
      [
        `aioc ${escapeControl(report.version)}`,
        `depth ${escapeControl(report.options.depth)}`,
        escapeControl(report.startedAt),
        models.length > 0 ? `models ${models.join(", ")}` : "no models",
      ].join(" · "),
    ),
    ...body,
    "",
    summaryLine(report.summary, report.durationMs, (s, text) =>
      report.summary[s] > 0 ? paint[s](text) : text,
    ),
    "",
  ].join("\n");
}
