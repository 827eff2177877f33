/** Terminal and JSON renderings of the deviation catalog for `aioc deviations`. */
import { alignColumns } from "../render/text-table.js";
import { implementationLabel, VERDICT_RULE } from "./docs.js";
import type { Deviation } from "./types.js";

export function deviationsTable(deviations: readonly Deviation[]): string {
  const lines = alignColumns([
    ["ID", "VERDICT", "ROWS", "KNOWN IMPLEMENTATIONS", "SUMMARY"],
    ...deviations.map((d) => [
      d.id,
      d.verdict,
      rowsCell(d.rows),
      d.implementations.map((i) => i.name).join(", ") || "—",
      d.summary,
    ]),
  ]);
  return `${lines.join("\n")}\n\n${plain(VERDICT_RULE)} Details: aioc deviations ID\n`;
}

/** Long row lists are summarised in the table; `aioc deviations ID` lists them all. */
function rowsCell(rows: readonly string[]): string {
  return rows.length <= 2 ? rows.join(", ") : `${rows[0]} +${rows.length - 1} more`;
}

/** Markdown emphasis and code marks read badly on a terminal. */
function plain(s: string): string {
  return s.replace(/\*\*/g, "").replace(/`/g, "");
}

/** Word-wraps to `width` columns; the first line starts with `first`, the others with `indent`. */
function wrap(text: string, indent: string, first = indent, width = 100): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && (lines.length === 0 ? first : indent).length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? first : indent) + l).join("\n");
}

export function explainDeviation(d: Deviation): string {
  const out = [`${d.id} — ${d.summary}`, "", `Verdict: ${d.verdict}`];
  if (d.why) out.push(wrap(d.why, "  "));
  out.push("", `Rows: ${d.rows.join(", ")}`);
  if (d.detection) out.push("", "Detection:", wrap(d.detection, "  "));
  out.push("", "Known implementations:");
  if (d.implementations.length === 0) out.push("  none confirmed by a source yet");
  for (const i of d.implementations) out.push(wrap(implementationLabel(i), "    ", "  - "));
  if (d.sources && d.sources.length > 0) {
    out.push("", "Sources:", ...d.sources.map((s) => `  - ${s}`));
  }
  out.push("", `Docs: ${d.docs}`, "", plain(VERDICT_RULE));
  return `${out.join("\n")}\n`;
}

export function deviationsJson(deviations: readonly Deviation[]): string {
  const data = deviations.map((d) => ({
    id: d.id,
    verdict: d.verdict,
    summary: d.summary,
    rows: d.rows,
    implementations: d.implementations,
    why: d.why ?? null,
    detection: d.detection ?? null,
    sources: d.sources ?? [],
    docs: d.docs,
  }));
  return `${JSON.stringify(data, null, 2)}\n`;
}
