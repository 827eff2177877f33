import type { Report, Result, Status } from "../report/types.js";
import { STATUSES } from "../report/types.js";
import { CHART_STYLE, chartsSection } from "./chart-svg.js";
import { CLIENTS_STYLE, clientsHtml } from "./clients.js";
import { connectionLine, connectionWarnings } from "./connection-note.js";
import { DECLARED_STYLE, declaredHtml } from "./declared.js";
import { escapeHtml as esc, jsonForScript } from "./escape.js";
import { FIX_FIRST_LIMIT, fixFirst, fixFirstTag } from "./fix-first.js";
import { chips, resultRow } from "./html-row.js";
import { HTML_SCRIPT } from "./html-script.js";
import { HTML_STYLE } from "./html-style.js";
import { htmlHead } from "./page.js";
import { PARAM_TABLE_STYLE, paramTableHtml } from "./params-table.js";
import { STATUS_SYMBOL, statusLabel } from "./status.js";
import { collectDeviations, type DeviationUse, groupResults, modelPairs, summaryLine } from "./view.js";

/** Numbers from a loaded report are escaped too: a hand-edited file may hold anything. */
const num = (n: unknown) => esc(String(n));

/** Stable, readable element ids (`r-v1-chat-completions-stream`), unique even for duplicate result ids. */
function rowAnchors(results: readonly Result[]): Map<Result, string> {
  const used = new Set<string>();
  const anchors = new Map<Result, string>();
  for (const r of results) {
    const base = `r-${
      r.id
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "") || "row"
    }`;
    let anchor = base;
    for (let n = 2; used.has(anchor); n++) anchor = `${base}-${n}`;
    used.add(anchor);
    anchors.set(r, anchor);
  }
  return anchors;
}

function donut(report: Report): string {
  const total = STATUSES.reduce((n, s) => n + report.summary[s], 0);
  let offset = 0;
  const segments = STATUSES.filter((s) => report.summary[s] > 0).map((s) => {
    const share = (report.summary[s] / total) * 100;
    const seg = `<circle class="seg ${s}" cx="21" cy="21" r="15.9155" stroke-dasharray="${share.toFixed(3)} ${(100 - share).toFixed(3)}" stroke-dashoffset="${(25 - offset).toFixed(3)}"/>`;
    offset += share;
    return seg;
  });
  const label = STATUSES.map((s) => `${report.summary[s]} ${s}`).join(", ");
  return `<svg class="donut" viewBox="0 0 42 42" role="img" aria-label="${esc(label)}"><circle class="ring" cx="21" cy="21" r="15.9155"/>${segments.join("")}<text x="21" y="21">${num(total)}</text></svg>`;
}

function summarySection(report: Report): string {
  const counts = STATUSES.map(
    (s) =>
      `<div class="${s}"><dt>${statusLabel(s)}</dt><dd id="count-${s}">${num(report.summary[s])}</dd></div>`,
  ).join("");
  return `<section class="summary" id="summary">${donut(report)}<dl class="counts">${counts}</dl><p class="summary-line" id="summary-line">${esc(summaryLine(report.summary, report.durationMs))}</p></section>`;
}

function filters(report: Report): string {
  const total = report.results.length;
  const button = (filter: "ALL" | Status, label: string, n: number) =>
    `<button type="button" data-filter="${filter}" aria-pressed="${filter === "ALL"}">${label} <span class="n">${num(n)}</span></button>`;
  return `<nav class="filters" aria-label="Filter by status">${button("ALL", "All", total)}${STATUSES.map((s) => button(s, statusLabel(s), report.summary[s])).join("")}<span class="spacer"></span><button type="button" id="toggle-all">Expand all</button></nav>`;
}

function groupSections(report: Report, anchors: Map<Result, string>): string {
  return groupResults(report.results)
    .map(
      (g) =>
        `<section class="group" id="group-${esc(g.group)}" data-group="${esc(g.group)}"><h2>${esc(g.title)} <span class="note">${g.results.length}</span></h2><div class="table"><div class="row head" aria-hidden="true"><span></span><span>Status</span><span>Endpoint</span><span>Detail</span><span class="latency">Latency</span></div>${g.results.map((r) => resultRow(r, anchors.get(r)!)).join("")}</div></section>`,
    )
    .join("");
}

function deviationsSection(
  deviations: readonly DeviationUse[],
  anchorOf: (id: string) => string | undefined,
): string {
  if (deviations.length === 0) return "";
  const items = deviations.map((d) => {
    const rows = d.rows.map((id) => {
      const anchor = anchorOf(id);
      return anchor ? `<a href="#${anchor}"><code>${esc(id)}</code></a>` : `<code>${esc(id)}</code>`;
    });
    return `<article class="deviation" data-deviation="${esc(d.id)}"><h3><code>${esc(d.id)}</code></h3><p>${esc(d.summary)}</p><p><span class="note">Implementations:</span> ${chips(d.implementations)}</p><p><span class="note">Rows:</span> ${rows.join(" ")}</p></article>`;
  });
  return `<section id="deviations"><h2>Deviations <span class="note">${items.length}</span></h2>${items.join("")}</section>`;
}

const TOP_STYLE =
  ".fix-first{border:1px solid var(--fail);border-left-width:4px;border-radius:10px;padding:.6rem 1rem;margin:1rem 0}" +
  ".fix-first h2{margin:.2rem 0 .4rem;font-size:1.1rem}.fix-first ol{margin:0;padding-left:1.4rem}.fix-first li{margin:.25rem 0;overflow-wrap:anywhere}" +
  ".notices{margin:1rem 0;padding:0;list-style:none}.notices li{border-left:4px solid var(--warn);background:var(--panel);padding:.4rem .8rem;margin:.3rem 0;font-weight:600;overflow-wrap:anywhere}";

/** The findings that break clients, most severe first, each linking to its row. */
function fixFirstSection(report: Report, anchors: Map<Result, string>): string {
  const failing = fixFirst(report.results);
  if (failing.length === 0) return "";
  const shown = failing.slice(0, FIX_FIRST_LIMIT);
  const items = shown.map(
    (r) =>
      `<li><a href="#${anchors.get(r)!}"><code>${esc(r.id)}</code></a> <span class="note">(${esc(fixFirstTag(r))})</span> ${esc(r.detail)}</li>`,
  );
  const more = failing.length - shown.length;
  if (more > 0) items.push(`<li class="note">… and ${num(more)} more (filter by FAIL)</li>`);
  return `<section class="fix-first" id="fix-first"><h2>Fix first <span class="note">${num(failing.length)}</span></h2><ol>${items.join("")}</ol></section>`;
}

function noticesSection(report: Report): string {
  const lines = (report.notices ?? []).map(
    (n) => `<li class="notice" role="alert" data-notice="${esc(n.kind)}">${esc(n.message)}</li>`,
  );
  if (report.scope && report.scope.absent > 0) lines.push(`<li>${esc(report.scope.text)}</li>`);
  if (lines.length === 0) return "";
  return `<ul class="notices" id="notices">${lines.join("")}</ul>`;
}

/**
 * One self-contained HTML page: no network (a CSP forbids it), inline style and script, every report string
 * escaped server-side; the report JSON is embedded for tools (`#aioc-report`), not needed to render.
 */
export function renderHtml(report: Report): string {
  const anchors = rowAnchors(report.results);
  const firstAnchor = (id: string) => {
    for (const [r, anchor] of anchors) if (r.id === id) return anchor;
    return undefined;
  };
  const models = modelPairs(report).map(([kind, id]) => `${esc(kind)} <code>${esc(id)}</code>`);
  const meta = [
    `aioc ${esc(report.version)}`,
    `depth ${esc(report.options.depth)}`,
    `started ${esc(report.startedAt)}`,
    `${num(report.requests)} requests`,
    report.options.authenticated ? "authenticated" : "no API key",
  ];
  const style = HTML_STYLE + TOP_STYLE + CHART_STYLE + CLIENTS_STYLE + PARAM_TABLE_STYLE + DECLARED_STYLE;
  return `${htmlHead(`aioc report: ${esc(report.target.name)}`, style, HTML_SCRIPT)}
<body data-filter="ALL">
<div class="page">
<header>
<h1>aioc report: <span id="target-name">${esc(report.target.name)}</span></h1>
<p class="meta"><code id="target-url">${esc(report.target.url)}</code></p>
<p class="meta">${meta.join(" · ")}</p>
${models.length > 0 ? `<p class="meta" id="models">Models: ${models.join(" · ")}</p>` : ""}
${connectionLine(report) ? `<p class="meta" id="connection">${esc(connectionLine(report))}</p>` : ""}
${connectionWarnings(report)
  .map((w) => `<p class="meta" id="insecure"><strong>⚠ ${esc(w)}</strong></p>`)
  .join("")}
</header>
${noticesSection(report)}
${fixFirstSection(report, anchors)}
${summarySection(report)}
${clientsHtml(report, firstAnchor)}
${chartsSection(report.results, { anchorOf: (r) => anchors.get(r) })}
${filters(report)}
<main>
${groupSections(report, anchors)}
${paramTableHtml(report)}
${declaredHtml(report.declared)}
${deviationsSection(collectDeviations(report.results), firstAnchor)}
</main>
<footer>Generated by aioc ${esc(report.version)} (Am I OpenAI Compatible?) from ${esc(report.specSource)}. Spec-derived checks; ${STATUS_SYMBOL.SKIP} SKIP means the row could not be checked.</footer>
</div>
<script type="application/json" id="aioc-report">${jsonForScript(report)}</script>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
