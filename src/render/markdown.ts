import { headingAnchor } from "../deviations/docs.js";
import type { Report, Result } from "../report/types.js";
import { clientsMarkdown } from "./clients.js";
import { connectionLine, connectionWarnings } from "./connection-note.js";
import { declaredMarkdown } from "./declared.js";
import { escapeMarkdown, escapeMarkdownParagraph, markdownCode } from "./escape.js";
import { FIX_FIRST_LIMIT, fixFirst, fixFirstTag } from "./fix-first.js";
import { paramTableMarkdown } from "./params-table.js";
import { statusLabel } from "./status.js";
import {
  collectDeviations,
  formatLatency,
  groupResults,
  metricPairs,
  modelPairs,
  summaryLine,
} from "./view.js";

const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
const table = (header: readonly string[], rows: readonly (readonly string[])[]) => [
  row(header),
  row(header.map(() => "---")),
  ...rows.map(row),
];

function latencyCell(r: Result): string {
  const extra = metricPairs(r.metrics).map(([label, value]) => `${label} ${value}`);
  return [formatLatency(r.latencyMs), ...extra].join("<br>");
}

function resultTable(results: readonly Result[]): string[] {
  return table(
    ["Status", "Endpoint", "Check", "Detail", "Latency"],
    results.map((r) => [
      statusLabel(r.status),
      markdownCode(r.id),
      escapeMarkdown(`${r.kind} · ${r.label}`),
      escapeMarkdown(r.detail),
      latencyCell(r),
    ]),
  );
}

function deviationsSection(report: Report): string[] {
  const deviations = collectDeviations(report.results);
  if (deviations.length === 0) return [];
  return [
    "## Deviations",
    "",
    ...deviations.flatMap((d) => [
      `### ${escapeMarkdown(d.id)}`,
      "",
      escapeMarkdownParagraph(d.summary),
      "",
      `- Implementations: ${d.implementations.map(escapeMarkdown).join(", ") || "—"}`,
      `- Rows: ${d.rows.map((id) => markdownCode(id, false)).join(", ")}`,
      "",
    ]),
  ];
}

function problemsSection(report: Report): string[] {
  const failing = report.results.filter(
    (r) => r.status === "FAIL" || (r.status === "WARN" && r.problems.length > 0),
  );
  if (failing.length === 0) return [];
  return [
    "## Problems",
    "",
    ...failing.flatMap((r) => [
      `### ${statusLabel(r.status)} ${escapeMarkdown(r.id)}`,
      "",
      escapeMarkdownParagraph(r.detail),
      "",
      ...(r.problems.length === 0
        ? []
        : [
            ...table(
              ["Pointer", "Expected", "Got", "Severity", "Source"],
              r.problems.map((p) => [
                markdownCode(p.pointer),
                escapeMarkdown(p.expected),
                escapeMarkdown(p.got),
                p.severity === "fail" ? "fail" : "warn",
                p.source ? markdownCode(p.source) : "—",
              ]),
            ),
            "",
          ]),
    ]),
  ];
}

/** The Problems section's heading for a row (the fix-first list links to it). */
const problemHeading = (r: Result) => `${statusLabel(r.status)} ${r.id}`;

function fixFirstSection(report: Report): string[] {
  const failing = fixFirst(report.results);
  if (failing.length === 0) return [];
  const shown = failing.slice(0, FIX_FIRST_LIMIT);
  const more = failing.length - shown.length;
  return [
    "## Fix first",
    "",
    ...shown.map(
      (r, i) =>
        `${i + 1}. [${escapeMarkdown(r.id)}](#${headingAnchor(problemHeading(r))}) (${fixFirstTag(r)}): ${escapeMarkdown(r.detail)}`,
    ),
    ...(more > 0 ? [`${shown.length + 1}. … and ${more} more under Problems`] : []),
    "",
  ];
}

/** Markdown for PR comments and `$GITHUB_STEP_SUMMARY`: summary, one table per group, deviations, problems. */
export function renderMarkdown(report: Report): string {
  const models = modelPairs(report).map(
    ([kind, id]) => `${escapeMarkdown(kind)}: ${markdownCode(id, false)}`,
  );
  const lines = [
    `# aioc report: ${escapeMarkdown(report.target.name)}`,
    "",
    `Target ${markdownCode(report.target.url, false)} · aioc ${escapeMarkdown(report.version)} · depth ${escapeMarkdown(report.options.depth)} · ${escapeMarkdown(report.startedAt)}`,
    ...(models.length > 0 ? ["", `Models: ${models.join(" · ")}`] : []),
    ...(connectionLine(report) ? ["", `Connection: ${escapeMarkdown(connectionLine(report))}`] : []),
    ...connectionWarnings(report).flatMap((w) => ["", `> **⚠ ${escapeMarkdown(w)}**`]),
    "",
    `**${summaryLine(report.summary, report.durationMs)}**`,
    "",
    ...(report.notices ?? []).flatMap((n) => [`> **${escapeMarkdown(n.message)}**`, ""]),
    ...(report.scope && report.scope.absent > 0 ? [escapeMarkdownParagraph(report.scope.text), ""] : []),
    ...fixFirstSection(report),
    ...clientsMarkdown(report), // clients (issue #14)
    ...groupResults(report.results).flatMap((g) => [
      `## ${escapeMarkdown(g.title)}`,
      "",
      ...resultTable(g.results),
      "",
    ]),
    ...paramTableMarkdown(report),
    ...declaredMarkdown(report.declared),
    ...deviationsSection(report),
    ...problemsSection(report),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
