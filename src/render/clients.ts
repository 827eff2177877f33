/**
 * The Clients section in every format: one line per client with its verdict, what breaks it or what it lacks, and
 * whether aioc ran it or mapped it from its requirements. A report without `clients` (an older file) is graded here.
 */
import { basisLabel, gradeClients } from "../report/readiness.js";
import type { ClientReadiness, ReadinessGap, Report } from "../report/types.js";
import { escapeHtml as esc, escapeMarkdown, markdownCode } from "./escape.js";
import { escapeControl } from "./text-table.js";

export const clientsOf = (report: Report): ClientReadiness[] =>
  report.clients ?? gradeClients(report.results) ?? [];

/** Clients this run said something about, and the names of those none of whose rows ran (listed on one line). */
function split(report: Report): { shown: ClientReadiness[]; untouched: string[] } {
  const all = clientsOf(report);
  return {
    shown: all.filter((c) => c.judged > 0),
    untouched: all.filter((c) => c.judged === 0).map((c) => c.name),
  };
}

const gapText = (g: ReadinessGap) => `${g.row}: ${g.detail}`;

/** What the verdict rests on: the gaps, or the required rows not probed. */
function why(c: ClientReadiness): ReadinessGap[] {
  if (c.verdict === "NOT PROBED") return c.notProbed.filter((g) => g.level === "required");
  return c.gaps;
}

export function clientsMarkdown(report: Report): string[] {
  const { shown: clients, untouched } = split(report);
  if (clients.length === 0) return [];
  const cell = (c: ClientReadiness) =>
    why(c)
      .map((g) => `${escapeMarkdown(g.need)}: ${markdownCode(g.row)} ${escapeMarkdown(g.detail)}`)
      .join("<br>") || "—";
  return [
    "## Clients",
    "",
    "| Client | Verdict | Why | Basis |",
    "| --- | --- | --- | --- |",
    ...clients.map(
      (c) =>
        `| ${escapeMarkdown(c.name)} | **${escapeMarkdown(c.verdict)}** | ${cell(c)} | ${escapeMarkdown(basisLabel(c))} |`,
    ),
    "",
    ...(untouched.length > 0
      ? [`Not probed (none of their rows ran): ${escapeMarkdown(untouched.join(", "))}`, ""]
      : []),
    `Sources: ${escapeMarkdown([...new Set(clients.flatMap((c) => c.sources))].join("; "))}`,
    "",
  ];
}

export interface TextPaint {
  ready: (s: string) => string;
  limits: (s: string) => string;
  notReady: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}

/** The terminal summary: a heading and one line per client, the why indented under it. */
export function clientsText(report: Report, paint: TextPaint): string[] {
  const { shown: clients, untouched } = split(report);
  if (clients.length === 0) return [];
  const color = (c: ClientReadiness) =>
    c.verdict === "READY"
      ? paint.ready
      : c.verdict === "NOT READY"
        ? paint.notReady
        : c.verdict === "READY WITH LIMITS"
          ? paint.limits
          : paint.dim;
  const width = Math.max(...clients.map((c) => c.name.length));
  return [
    "",
    paint.bold("Clients"),
    ...clients.flatMap((c) => [
      `  ${escapeControl(c.name.padEnd(width))}  ${color(c)(escapeControl(c.verdict))} ${paint.dim(escapeControl(`(${basisLabel(c)})`))}`,
      ...why(c).map((g) => `    ${paint.dim(escapeControl(gapText(g)))}`),
    ]),
    ...(untouched.length > 0 ? [`  ${paint.dim(`not probed: ${escapeControl(untouched.join(", "))}`)}`] : []),
  ];
}

export const CLIENTS_STYLE =
  ".clients table{border-collapse:collapse;width:100%}.clients td,.clients th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line,#ddd);vertical-align:top;overflow-wrap:anywhere}" +
  ".verdict{font-weight:700;white-space:nowrap}.verdict.ready{color:var(--pass)}.verdict.limits{color:var(--warn)}.verdict.not-ready{color:var(--fail)}.verdict.not-probed{color:var(--skip,#888)}";

const VERDICT_CLASS: Record<ClientReadiness["verdict"], string> = {
  READY: "ready",
  "READY WITH LIMITS": "limits",
  "NOT READY": "not-ready",
  "NOT PROBED": "not-probed",
};

/** `anchorOf` links a row id to its row in the page, when it is there. */
export function clientsHtml(report: Report, anchorOf: (id: string) => string | undefined): string {
  const { shown: clients, untouched } = split(report);
  if (clients.length === 0) return "";
  const rowLink = (id: string) => {
    const a = anchorOf(id);
    return a ? `<a href="#${a}"><code>${esc(id)}</code></a>` : `<code>${esc(id)}</code>`;
  };
  const rows = clients.map((c) => {
    const reasons =
      why(c)
        .map((g) => `<li>${esc(g.need)}: ${rowLink(g.row)} ${esc(g.detail)}</li>`)
        .join("") || "";
    return `<tr data-client="${esc(c.id)}"><td>${esc(c.name)}</td><td class="verdict ${VERDICT_CLASS[c.verdict]}">${esc(c.verdict)}</td><td>${reasons ? `<ul>${reasons}</ul>` : "—"}</td><td class="note">${esc(basisLabel(c))}</td><td class="note">${esc(c.sources.join("; "))}</td></tr>`;
  });
  return `<section class="clients" id="clients"><h2>Clients <span class="note">${clients.length}</span></h2><table><thead><tr><th>Client</th><th>Verdict</th><th>Why</th><th>Basis</th><th>Sources</th></tr></thead><tbody>${rows.join("")}</tbody></table>${untouched.length > 0 ? `<p class="note">Not probed (none of their rows ran): ${esc(untouched.join(", "))}</p>` : ""}</section>`;
}
