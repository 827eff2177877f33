/** docs/deviations.md, generated from the catalog; test/deviations.test.ts fails when the file drifts. */
import type { Deviation, Implementation } from "./types.js";

export const VERDICT_RULE =
  "A deviation is **FAIL** when the official `openai` SDK (any language) or typical clients break on it, " +
  "**WARN** when they cope.";

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
}

/** The anchor part of a `docs` field (`docs/deviations.md#x` → `x`). */
export function docsAnchor(d: Deviation): string {
  return d.docs.slice(d.docs.indexOf("#") + 1);
}

export function implementationLabel(i: Implementation): string {
  return i.versions ? `${i.name} — ${i.versions}` : i.name;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function section(d: Deviation): string {
  const lines = [
    `## ${docsAnchor(d)}`,
    "",
    d.summary.charAt(0).toUpperCase() + d.summary.slice(1),
    "",
    `- **Verdict:** ${d.verdict}${d.why ? ` — ${d.why}` : ""}`,
    `- **Rows:** ${d.rows.map((r) => `\`${r}\``).join(", ")}`,
  ];
  if (d.detection) lines.push(`- **Detection:** ${d.detection}`);
  lines.push(
    d.implementations.length > 0
      ? `- **Known implementations:**\n${d.implementations.map((i) => `  - ${implementationLabel(i)}`).join("\n")}`
      : "- **Known implementations:** none confirmed by a source yet.",
  );
  if (d.sources && d.sources.length > 0) {
    lines.push(`- **Sources:**\n${d.sources.map((s) => `  - ${s}`).join("\n")}`);
  }
  return lines.join("\n");
}

const NOT_DEVIATIONS = [
  "Extra fields such as `reasoning_content`, `reasoning`, `timings` or `stop_reason`: the spec allows additional " +
    "properties and the SDKs ignore them.",
  "A missing `system_fingerprint`: the field is optional in the current specification and no client " +
    "we know of needs it.",
  "A Responses stream without `data: [DONE]`: that is what OpenAI sends.",
  "Usage on the chunk that carries `finish_reason` instead of a separate `choices: []` chunk: clients read " +
    "usage from whichever chunk has it.",
];

export function deviationsDoc(deviations: readonly Deviation[]): string {
  const table = [
    "| Deviation | Verdict | Rows | Known implementations | Summary |",
    "|---|---|---|---|---|",
    ...deviations.map(
      (d) =>
        `| [${d.id}](#${docsAnchor(d)}) | ${d.verdict} | ${cell(d.rows.map((r) => `\`${r}\``).join(", "))} | ` +
        `${cell(d.implementations.map((i) => i.name).join(", ") || "—")} | ${cell(d.summary)} |`,
    ),
  ];
  return [
    "# Deviation catalog",
    "",
    "<!-- Generated from src/deviations/catalog.ts by `npm run gen:deviations`. Do not edit by hand. -->",
    "",
    "Known ways OpenAI-compatible servers differ from OpenAI's API. When a check's observation matches an",
    "entry, the row is graded by the entry's verdict and names the implementations known to do the same",
    "(`WARN … — known: llama.cpp, LM Studio`). Print the list with `aioc deviations`, one entry with",
    "`aioc deviations ID`.",
    "",
    `**Verdict rule.** ${VERDICT_RULE} Implementations are listed only where a cited source (issue, pull`,
    "request, documentation or the implementation's route table) confirms them; versions say when the",
    "behaviour was seen or fixed.",
    "",
    ...table,
    "",
    ...deviations.flatMap((d) => [section(d), ""]),
    "## Not deviations",
    "",
    ...NOT_DEVIATIONS.map((n) => `- ${n}`),
    "",
  ].join("\n");
}
