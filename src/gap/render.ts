import { escapeMarkdown, markdownCode, terminalSafeJson } from "../render/escape.js";
import { statusLabel } from "../render/status.js";
import { alignColumns, escapeControl } from "../render/text-table.js";
import "../render/text-width-full.js";
import type { Status } from "../report/types.js";
import { CHANGES, type Change, type DiffRow, type ReportDiff } from "./diff.js";

const CHANGE_LABEL: Record<Change, string> = {
  regression: "REGRESSION",
  fix: "FIX",
  changed: "CHANGED",
  unchanged: "same",
  "only-in-a": "ONLY IN A",
  "only-in-b": "ONLY IN B",
};

const COUNT_LABEL: Record<Change, [one: string, many: string]> = {
  regression: ["regression", "regressions"],
  fix: ["fix", "fixes"],
  changed: ["changed", "changed"],
  unchanged: ["unchanged", "unchanged"],
  "only-in-a": ["only in A", "only in A"],
  "only-in-b": ["only in B", "only in B"],
};

const cell = (s: Status | null) => (s ? statusLabel(s) : "—");

/** The detail worth showing: B's, or A's for a row B lacks. */
const detailOf = (row: DiffRow) => row.detailB ?? row.detailA ?? "";

function countsLine(diff: ReportDiff): string {
  return CHANGES.map((c) => `${diff.counts[c]} ${COUNT_LABEL[c][diff.counts[c] === 1 ? 0 : 1]}`).join(" · ");
}

export function renderDiffText(diff: ReportDiff): string {
  const target = (t: { name: string; url: string }) => `${escapeControl(t.name)} (${escapeControl(t.url)})`;
  const lines = alignColumns([
    ["Change", "Endpoint", "A", "B", "Detail (B)"],
    ...diff.rows.map((r) => [
      CHANGE_LABEL[r.change],
      escapeControl(r.id),
      cell(r.a),
      cell(r.b),
      escapeControl(detailOf(r)),
    ]),
  ]);
  return [`A: ${target(diff.a)}`, `B: ${target(diff.b)}`, "", ...lines, "", countsLine(diff), ""].join("\n");
}

export function renderDiffMarkdown(diff: ReportDiff): string {
  const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [
    "# aioc gap",
    "",
    `- A: **${escapeMarkdown(diff.a.name)}** ${markdownCode(diff.a.url, false)}`,
    `- B: **${escapeMarkdown(diff.b.name)}** ${markdownCode(diff.b.url, false)}`,
    "",
    `**${countsLine(diff)}**`,
    "",
    row(["Change", "Endpoint", "A", "B", "Detail (B)"]),
    row(["---", "---", "---", "---", "---"]),
    ...diff.rows.map((r) =>
      row([CHANGE_LABEL[r.change], markdownCode(r.id), cell(r.a), cell(r.b), escapeMarkdown(detailOf(r))]),
    ),
    "",
  ].join("\n");
}

export function renderDiffJson(diff: ReportDiff): string {
  return `${terminalSafeJson(diff)}\n`;
}

export const GAP_FORMATS = {
  text: renderDiffText,
  markdown: renderDiffMarkdown,
  json: renderDiffJson,
} as const;
export type GapFormat = keyof typeof GAP_FORMATS;
