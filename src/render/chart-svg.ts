/**
 * The timings people compare, as inline SVG for the HTML report: per row, total latency with TTFB and TTFT marked;
 * tokens/s for streams. No script and no network; the viewBox scales to the page, one row per line, so it reads
 * at phone width. Every label is escaped; numbers from a hand-edited report are checked before use.
 */
import type { Result } from "../report/types.js";
import { escapeHtml as esc } from "./escape.js";
import { formatLatency } from "./view.js";

const WIDTH = 360;
const ROW = 24;
const BAR = 8;
const LABEL_CHARS = 44;

const finite = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n) && n >= 0;
const short = (id: string) => (id.length > LABEL_CHARS ? `${id.slice(0, LABEL_CHARS - 1)}…` : id);
const fmt = (n: number) => n.toFixed(1).replace(/\.0$/, "");

export const CHART_STYLE =
  ".charts{margin:1rem 0}.charts details{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:.6rem 1rem;margin:.6rem 0}" +
  ".charts summary{cursor:pointer;font-weight:600}.chart{display:block;width:100%;max-width:640px;height:auto;margin:.5rem 0}" +
  ".chart text{fill:var(--fg);font:9px system-ui,sans-serif}.chart .v{fill:var(--muted)}.chart .track{fill:var(--line)}" +
  ".chart .total{fill:var(--skip)}.chart .ttfb{fill:var(--pass)}.chart .ttft{fill:var(--warn)}.chart .tps{fill:var(--pass)}" +
  ".chart .FAIL{fill:var(--fail)}.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem;color:var(--muted);margin:.2rem 0}" +
  ".legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-.1rem;background:var(--c)}" +
  ".lg-total{--c:var(--skip)}.lg-ttfb{--c:var(--pass)}.lg-ttft{--c:var(--warn)}.lg-fail{--c:var(--fail)}";

export interface ChartOptions {
  /** Row id → element id of its row, for links. */
  anchorOf?: (r: Result) => string | undefined;
}

function label(r: Result, y: number, anchorOf: ChartOptions["anchorOf"]): string {
  const text = `<text x="0" y="${y + 9}">${esc(short(r.id))}</text>`;
  const anchor = anchorOf?.(r);
  return anchor ? `<a href="#${esc(anchor)}">${text}</a>` : text;
}

/** Total latency per row, TTFB and TTFT drawn inside it. */
export function timingChart(results: readonly Result[], options: ChartOptions = {}): string {
  const rows = results.filter((r) => finite(r.latencyMs) && r.latencyMs > 0);
  if (rows.length === 0) return "";
  const max = Math.max(...rows.map((r) => r.latencyMs!));
  const plot = WIDTH - 56;
  const x = (ms: number) => Math.max(1, (Math.min(ms, max) / max) * plot);
  const parts = rows.map((r, i) => {
    const y = i * ROW;
    const total = r.latencyMs!;
    const bars = [
      `<rect class="track" x="0" y="${y + 12}" width="${plot}" height="${BAR}" rx="2"/>`,
      `<rect class="total ${r.status === "FAIL" ? "FAIL" : ""}" x="0" y="${y + 12}" width="${x(total).toFixed(1)}" height="${BAR}" rx="2"><title>${esc(r.id)}: total ${esc(formatLatency(total))}</title></rect>`,
    ];
    const ttfb = r.metrics?.ttfbMs;
    if (finite(ttfb)) {
      bars.push(
        `<rect class="ttfb" x="0" y="${y + 12}" width="${x(ttfb).toFixed(1)}" height="${BAR / 2}" rx="1"><title>TTFB ${esc(formatLatency(ttfb))}</title></rect>`,
      );
    }
    const ttft = r.metrics?.ttftMs;
    if (finite(ttft)) {
      bars.push(
        `<rect class="ttft" x="0" y="${y + 12 + BAR / 2}" width="${x(ttft).toFixed(1)}" height="${BAR / 2}" rx="1"><title>TTFT ${esc(formatLatency(ttft))}</title></rect>`,
      );
    }
    const value = `<text class="v" x="${plot + 4}" y="${y + 19}">${esc(formatLatency(total))}</text>`;
    return `<g class="bar" data-row="${esc(r.id)}">${label(r, y, options.anchorOf)}${bars.join("")}${value}</g>`;
  });
  const height = rows.length * ROW;
  return `<svg class="chart" id="timing-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Latency per row: total, time to first byte and time to first token">${parts.join("")}</svg>`;
}

/** Tokens per second for the rows that streamed. */
export function throughputChart(results: readonly Result[], options: ChartOptions = {}): string {
  const rows = results.filter((r) => finite(r.metrics?.tokensPerSecond) && r.metrics!.tokensPerSecond! > 0);
  if (rows.length === 0) return "";
  const max = Math.max(...rows.map((r) => r.metrics!.tokensPerSecond!));
  const plot = WIDTH - 56;
  const parts = rows.map((r, i) => {
    const y = i * ROW;
    const tps = r.metrics!.tokensPerSecond!;
    const w = Math.max(1, (tps / max) * plot);
    return `<g class="bar" data-row="${esc(r.id)}">${label(r, y, options.anchorOf)}<rect class="track" x="0" y="${y + 12}" width="${plot}" height="${BAR}" rx="2"/><rect class="tps" x="0" y="${y + 12}" width="${w.toFixed(1)}" height="${BAR}" rx="2"><title>${esc(r.id)}: ${esc(fmt(tps))} tokens/s</title></rect><text class="v" x="${plot + 4}" y="${y + 19}">${esc(fmt(tps))}/s</text></g>`;
  });
  return `<svg class="chart" id="throughput-chart" viewBox="0 0 ${WIDTH} ${rows.length * ROW}" role="img" aria-label="Tokens per second of each stream">${parts.join("")}</svg>`;
}

/** Both charts in collapsible panels, with a legend; empty when nothing was timed. */
export function chartsSection(results: readonly Result[], options: ChartOptions = {}): string {
  const timing = timingChart(results, options);
  if (!timing) return "";
  const throughput = throughputChart(results, options);
  const legend = `<p class="legend"><span class="lg-total"><i></i>total</span><span class="lg-ttfb"><i></i>TTFB</span><span class="lg-ttft"><i></i>TTFT</span><span class="lg-fail"><i></i>total of a FAIL row</span></p>`;
  return `<section class="charts" id="charts"><details open><summary>Timings per row (request time after its concurrency slot)</summary>${legend}${timing}</details>${
    throughput ? `<details open><summary>Tokens per second (streams)</summary>${throughput}</details>` : ""
  }</section>`;
}
