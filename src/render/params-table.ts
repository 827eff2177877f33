/**
 * The parameter table (issue #15): one line per parameter-matrix row (`[param:*]`, `[invalid:*]`) with its grade
 * (Result.paramGrade: accepted, honoured, ignored, unverified, rejected, crashed; refused / accepts invalid for
 * invalid values), for the Markdown and HTML reports.
 */
import { paramName } from "../catalog/params.js";
import type { ParamGrade, Report, Result } from "../report/types.js";
import { escapeHtml, escapeMarkdown, markdownCode } from "./escape.js";
import { statusLabel } from "./status.js";

/** The row's grade; reports without one (a row that got no answer, or skipped) say why instead. */
export function paramGrade(r: Result): ParamGrade | "skipped" | "no answer" {
  if (r.status === "SKIP") return "skipped";
  return r.paramGrade ?? "no answer";
}

const paramRows = (report: Report) => report.results.filter((r) => paramName(r.id) !== undefined);

/** Chat parameters by name; the other endpoints' prefixed (`responses.temperature`). */
const label = (r: Result) => {
  const p = paramName(r.id)!;
  const name = p.endpoint === "/v1/chat/completions" ? p.name : `${p.endpoint.split("/").at(-1)}.${p.name}`;
  return p.kind === "invalid" ? `invalid ${name}` : name;
};

export function paramTableMarkdown(report: Report): string[] {
  const rows = paramRows(report);
  if (rows.length === 0) return [];
  return [
    "## Parameters",
    "",
    "| Parameter | Grade | Status | Detail |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${markdownCode(label(r))} | ${escapeMarkdown(paramGrade(r))} | ${statusLabel(r.status)} | ${escapeMarkdown(r.detail)} |`,
    ),
    "",
  ];
}

export const PARAM_TABLE_STYLE =
  "#parameters table{border-collapse:collapse;width:100%;font-size:.9rem}#parameters th,#parameters td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line,#ddd);vertical-align:top;overflow-wrap:anywhere}" +
  "#parameters td.grade{white-space:nowrap;font-weight:600}";

export function paramTableHtml(report: Report): string {
  const rows = paramRows(report);
  if (rows.length === 0) return "";
  const body = rows
    .map(
      (r) =>
        `<tr data-status="${escapeHtml(r.status)}"><td><code>${escapeHtml(label(r))}</code></td><td class="grade">${escapeHtml(paramGrade(r))}</td><td>${escapeHtml(statusLabel(r.status))}</td><td>${escapeHtml(r.detail)}</td></tr>`,
    )
    .join("");
  return `<section id="parameters"><h2>Parameters <span class="note">${rows.length}</span></h2><table><thead><tr><th>Parameter</th><th>Grade</th><th>Status</th><th>Detail</th></tr></thead><tbody>${body}</tbody></table></section>`;
}
