import type { Exchange, Problem, Result } from "../report/types.js";
import { escapeHtml as esc } from "./escape.js";
import { statusLabel } from "./status.js";
import { formatLatency, metricPairs } from "./view.js";

const dl = (pairs: readonly [string, string][]) =>
  `<dl class="facts">${pairs.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join("")}</dl>`;

function problemsTable(problems: readonly Problem[]): string {
  if (problems.length === 0) return "";
  const rows = problems.map(
    (p) =>
      `<tr class="problem"><td><code>${esc(p.pointer)}</code></td><td>${esc(p.expected)}</td><td>${esc(p.got)}</td><td class="sev-${p.severity === "fail" ? "fail" : "warn"}">${p.severity === "fail" ? "fail" : "warn"}</td><td>${p.source ? `<code>${esc(p.source)}</code>` : "—"}</td></tr>`,
  );
  return `<h3>Problems (${problems.length})</h3><table class="grid problems"><thead><tr><th>Pointer</th><th>Expected</th><th>Got</th><th>Severity</th><th>Source</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

export const chips = (items: readonly string[]) =>
  items.length === 0 ? "—" : items.map((i) => `<span class="chip">${esc(i)}</span>`).join("");

function rowDeviations(result: Result): string {
  if (result.deviations.length === 0) return "";
  const items = result.deviations.map(
    (d) =>
      `<li data-deviation="${esc(d.id)}"><code>${esc(d.id)}</code> ${esc(d.summary)}<br><span class="note">Seen in:</span> ${chips(d.implementations)}</li>`,
  );
  return `<h3>Deviations (${items.length})</h3><ul class="deviations">${items.join("")}</ul>`;
}

const headerLines = (headers: Record<string, string>) =>
  Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");

/** JSON bodies are pretty-printed when complete; anything else is shown as received. */
function prettyBody(body: string, truncated: boolean): string {
  if (truncated) return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function headersBlock(title: string, headers: Record<string, string>): string {
  const n = Object.keys(headers).length;
  if (n === 0) return "";
  return `<details class="headers"><summary>${title} (${n})</summary><pre>${esc(headerLines(headers))}</pre></details>`;
}

function exchangeBlock(x: Exchange, i: number): string {
  const request = [
    `<p><b>Request</b> <code class="request-line">${esc(`${x.request.method} ${x.request.url}`)}</code></p>`,
    headersBlock("Request headers", x.request.headers),
    x.request.body ? `<pre class="request-body">${esc(prettyBody(x.request.body, false))}</pre>` : "",
  ];
  const res = x.response;
  const response = res
    ? [
        `<p><b>Response</b> <code class="response-status">HTTP ${esc(String(res.status))}</code>${res.truncated ? ' <span class="note">(truncated)</span>' : ""}</p>`,
        headersBlock("Response headers", res.headers),
        `<pre class="response-body">${res.body ? esc(prettyBody(res.body, res.truncated)) : '<span class="note">(empty body)</span>'}</pre>`,
      ]
    : [
        '<p class="no-response"><b>Response</b> <span class="note">none (connection failed or timed out)</span></p>',
      ];
  return `<div class="exchange" data-exchange="${i}">${[...request, ...response].join("")}</div>`;
}

/** One result as an expandable `<details class="result">` row: facts, problems, deviations, exchanges. */
export function resultRow(r: Result, anchor: string): string {
  const metrics = metricPairs(r.metrics);
  const ttft = metrics.filter(([k]) => k === "TTFT" || k === "Tokens/s").map(([k, v]) => `${k} ${v}`);
  const facts: [string, string][] = [
    ["Request", `${r.method} ${r.path}`],
    ["Kind", `${r.kind} · ${r.label}`],
    ["Phase", r.phase],
    ["HTTP status", r.httpStatus === null ? "—" : String(r.httpStatus)],
    ["Latency", formatLatency(r.latencyMs)],
    ...metrics,
    ["Requests", String(r.requests)],
  ];
  const exchanges = r.exchanges ?? [];
  const body = [
    dl(facts),
    problemsTable(r.problems),
    rowDeviations(r),
    exchanges.length > 0
      ? `<h3>Exchanges (${exchanges.length})</h3>${exchanges.map(exchangeBlock).join("")}`
      : '<p class="note">No exchanges recorded.</p>',
  ].join("");
  return `<details class="result" id="${anchor}" data-id="${esc(r.id)}" data-status="${esc(r.status)}" data-group="${esc(r.group)}"><summary class="row"><span class="chev" aria-hidden="true">▸</span><span class="badge ${r.status}">${statusLabel(r.status)}</span><span class="id">${esc(r.id)}</span><span class="detail">${esc(r.detail)}</span><span class="latency">${formatLatency(r.latencyMs)}${ttft.length > 0 ? `<small>${esc(ttft.join(" · "))}</small>` : ""}</span></summary><div class="body">${body}</div></details>`;
}
