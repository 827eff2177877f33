import type { Report, Result, Status } from "../report/types.js";
import { escapeHtml as esc, escapeMarkdown, markdownCode } from "./escape.js";
import { HTML_STYLE } from "./html-style.js";
import { catalogOrder } from "./order.js";
import { htmlHead } from "./page.js";
import { STATUS_SYMBOL, statusLabel } from "./status.js";

export type MatrixFormat = "markdown" | "html";
export const MATRIX_FORMATS: readonly MatrixFormat[] = ["markdown", "html"];

interface Column {
  name: string;
  url: string;
  byId: Map<string, Result>;
  passed: number;
}

/** One column per report, named after its target; repeated names get ` (2)`, ` (3)`… */
function columns(reports: readonly Report[]): Column[] {
  const seen = new Map<string, number>();
  return reports.map((report) => {
    const n = (seen.get(report.target.name) ?? 0) + 1;
    seen.set(report.target.name, n);
    const byId = new Map<string, Result>();
    for (const r of report.results) if (!byId.has(r.id)) byId.set(r.id, r);
    return {
      name: n === 1 ? report.target.name : `${report.target.name} (${n})`,
      url: report.target.url,
      byId,
      passed: report.results.filter((r) => r.status === "PASS").length,
    };
  });
}

const LEGEND = (["PASS", "WARN", "FAIL", "SKIP"] as Status[]).map(statusLabel).join(" · ");

function markdownMatrix(ids: readonly string[], cols: readonly Column[]): string {
  const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [
    "# aioc matrix",
    "",
    `${LEGEND} · — not probed`,
    "",
    row(["Endpoint", ...cols.map((c) => escapeMarkdown(c.name))]),
    row(["---", ...cols.map(() => ":---:")]),
    ...ids.map((id) => row([markdownCode(id), ...cols.map((c) => cellSymbol(c.byId.get(id)))])),
    row(["**PASS**", ...cols.map((c) => `**${c.passed}/${c.byId.size}**`)]),
    "",
  ].join("\n");
}

const cellSymbol = (r: Result | undefined) => (r ? STATUS_SYMBOL[r.status] : "—");

const MATRIX_STYLE = `${HTML_STYLE}
table.matrix{border-collapse:collapse;display:block;overflow-x:auto;max-width:100%}
table.matrix th,table.matrix td{border:1px solid var(--line);padding:.35rem .6rem}
table.matrix td.cell{text-align:center;color:var(--c);font-weight:700}
table.matrix thead th{background:var(--panel);vertical-align:bottom;overflow-wrap:anywhere;max-width:12rem}
table.matrix th.id{text-align:left;font-weight:400}
`;

function htmlMatrix(ids: readonly string[], cols: readonly Column[]): string {
  const head = cols
    .map((c, i) => `<th scope="col" data-column="${i}" title="${esc(c.url)}">${esc(c.name)}</th>`)
    .join("");
  const body = ids
    .map((id) => {
      const cells = cols.map((c, i) => {
        const r = c.byId.get(id);
        if (!r) return `<td class="cell" data-column="${i}" title="not probed">—</td>`;
        return `<td class="cell ${r.status}" data-column="${i}" data-status="${r.status}" title="${esc(`${r.status}: ${r.detail}`)}">${STATUS_SYMBOL[r.status]}</td>`;
      });
      return `<tr data-id="${esc(id)}"><th scope="row" class="id"><code>${esc(id)}</code></th>${cells.join("")}</tr>`;
    })
    .join("\n");
  const totals = cols
    .map((c, i) => `<td class="cell" data-column="${i}">${c.passed}/${c.byId.size}</td>`)
    .join("");
  return `${htmlHead("aioc matrix", MATRIX_STYLE)}
<body>
<div class="page">
<h1>aioc matrix</h1>
<p class="meta">${esc(LEGEND)} · — not probed</p>
<table class="matrix">
<thead><tr><th scope="col">Endpoint</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
<tfoot><tr><th scope="row" class="id">PASS</th>${totals}</tr></tfoot>
</table>
</div>
</body>
</html>
`;
}

/** Endpoints (catalog order, then unknown ids) against targets, one status symbol per cell. */
export function renderMatrix(reports: readonly Report[], format: MatrixFormat): string {
  const cols = columns(reports);
  const ids = catalogOrder(reports.flatMap((r) => r.results.map((x) => x.id)));
  return format === "html" ? htmlMatrix(ids, cols) : markdownMatrix(ids, cols);
}
