import pc from "picocolors";
import wrapAnsi from "wrap-ansi";
import type { Report, Status } from "../report/types.js";
import { clientsText } from "./clients.js";
import { connectionLine, connectionWarnings } from "./connection-note.js";
import { declaredLine } from "./declared.js";
import { STATUS_SYMBOL } from "./status.js";
import { alignColumns, escapeControl, truncate } from "./text-table.js";
import "./text-width-full.js";
import { formatLatency, groupResults, modelPairs, summaryLine } from "./view.js";

export { colorEnabled } from "./color.js";

export interface TableOptions {
  color: boolean;
  /** Terminal width: rows are cut to it with an ellipsis, prose lines wrapped (the reports keep the full text). */
  columns?: number;
}

const INDENT = 2;

/** The terminal view: a header naming the target, one aligned row per result, then the summary line. */
/** The table as a report Renderer: no colour unless asked for. */
export const tableView = (report: Report, options: { color?: boolean; columns?: number }) =>
  renderTable(report, { color: options.color ?? false, columns: options.columns });

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
  const width = options.columns === undefined ? undefined : Math.max(options.columns, 40) - 1;
  const lines = alignColumns(rows, width === undefined ? {} : { width: width - INDENT, shrink: 1 });
  const fitLine = (line: string) => (width === undefined ? line : truncate(line, width));
  const wrap = (line: string) => (width === undefined ? line : wrapAnsi(line, width, { hard: true }));
  const body: string[] = [];
  let next = 0;
  for (const g of groups) {
    body.push("", fitLine(c.bold(escapeControl(g.title))));
    for (const _ of g.results) body.push(`  ${lines[next++]}`);
  }
  const models = modelPairs(report).map(([kind, id]) => `${escapeControl(kind)}=${escapeControl(id)}`);
  return [
    fitLine(
      `${c.bold("aioc")} ${escapeControl(report.target.name)} ${c.dim(escapeControl(report.target.url))}`,
    ),
    fitLine(
      c.dim(
        [
          `aioc ${escapeControl(report.version)}`,
          `depth ${escapeControl(report.options.depth)}`,
          escapeControl(report.startedAt),
          models.length > 0 ? `models ${models.join(", ")}` : "no models",
        ].join(" · "),
      ),
    ),
    ...(connectionLine(report) ? [wrap(c.dim(escapeControl(connectionLine(report))))] : []),
    ...connectionWarnings(report).map((w) => wrap(c.bold(paint.FAIL(`⚠ ${w}`)))),
    ...(report.notices ?? []).map((n) => wrap(c.bold(c.yellow(`! ${escapeControl(n.message)}`)))),
    ...body,
    // clients (issue #14)
    ...clientsText(report, {
      ready: c.green,
      limits: c.yellow,
      notReady: c.red,
      dim: c.dim,
      bold: c.bold,
    }).map(fitLine),
    "",
    summaryLine(report.summary, report.durationMs, (s, text) =>
      report.summary[s] > 0 ? paint[s](text) : text,
    ),
    ...(report.scope && report.scope.absent > 0 ? [wrap(c.dim(escapeControl(report.scope.text)))] : []),
    ...(report.declared ? [wrap(c.dim(escapeControl(declaredLine(report.declared))))] : []),
    ...absentHint(report).map((line) => wrap(c.dim(line))),
    "",
  ].join("\n");
}

/**
 * Whole groups whose core rows are all absent (404) usually mean a server that serves one capability (a chat-only
 * llama.cpp): say how to probe just what it serves, rather than leave a wall of FAILs unexplained.
 */
function absentHint(report: Report): string[] {
  const absent = new Set<string>();
  const present = new Set<string>();
  for (const r of report.results) {
    if (r.kind !== "core" || r.phase === "C" || r.id.startsWith("client:")) continue;
    (r.status === "FAIL" && r.httpStatus === 404 && r.phase === "A" ? absent : present).add(r.group);
  }
  const groups = [...absent].filter((g) => !present.has(g));
  if (groups.length === 0) return [];
  const them = groups.length > 1 ? "them" : "it";
  const tip = "; --expect CAPS (e.g. --expect llm) says what it offers";
  return [
    `absent: every core row of ${escapeControl(groups.join(", "))} answered 404. If the server does not offer ${them}, these FAILs are expected${tip}.`,
  ];
}
