/** The declared-vs-observed section (report.declared, src/declared/analyse.ts) in Markdown and HTML. */
import { GROUP_TITLES } from "../catalog/endpoints.js";
import type { DeclaredSection } from "../report/types.js";
import { escapeHtml as esc, escapeMarkdown, markdownCode } from "./escape.js";

const pct = (n: number, of: number) => (of === 0 ? "–" : `${Math.round((100 * n) / of)}%`);
const LIST = 12;
const clip = (items: readonly string[]) =>
  items.length > LIST ? [...items.slice(0, LIST), `… ${items.length - LIST} more`] : [...items];

function lines(s: DeclaredSection): { label: string; items: string[] }[] {
  return [
    { label: "Declared but absent in this run", items: s.declaredButAbsent },
    { label: "Present in this run but undeclared", items: s.presentButUndeclared },
    { label: "Catalog paths it does not declare", items: s.catalogPaths.undeclared },
    { label: `Its own paths (${s.extensions.count})`, items: s.extensions.paths },
  ];
}

function heading(s: DeclaredSection): string {
  const what = [s.source.title, s.source.version].filter(Boolean).join(" ");
  return `${s.source.path} (OpenAPI ${s.source.openapi}${what ? `, ${what}` : ""}, ${s.source.bytes} bytes) declares ${s.openaiPaths.declared} of the ${s.openaiPaths.total} paths in OpenAI's spec.`;
}

export function declaredMarkdown(s: DeclaredSection | undefined): string[] {
  if (!s) return [];
  const code = (p: string) => (p.startsWith("…") ? escapeMarkdown(p) : markdownCode(p, false));
  return [
    "## Declared vs observed",
    "",
    escapeMarkdown(heading(s)),
    ...(s.limit ? ["", `> Read stopped at a bound: ${escapeMarkdown(s.limit)}`] : []),
    "",
    "| Group | Declared | Coverage |",
    "| --- | --- | --- |",
    ...s.coverage.map(
      (c) =>
        `| ${escapeMarkdown(GROUP_TITLES[c.group] ?? c.group)} | ${c.declared}/${c.total} | ${pct(c.declared, c.total)} |`,
    ),
    "",
    ...lines(s).flatMap(({ label, items }) =>
      items.length === 0 ? [] : [`- ${escapeMarkdown(label)}: ${clip(items).map(code).join(", ")}`],
    ),
    "",
    ...(s.params.length === 0
      ? []
      : [
          "| Endpoint | OpenAI request properties declared | Missing | Its own |",
          "| --- | --- | --- | --- |",
          ...s.params.map(
            (p) =>
              `| ${markdownCode(p.path)} | ${p.shared}/${p.openai} | ${escapeMarkdown(clip(p.missing).join(", ")) || "–"} | ${escapeMarkdown(clip(p.extra).join(", ")) || "–"} |`,
          ),
          "",
        ]),
  ];
}

export const DECLARED_STYLE =
  ".declared{margin:1rem 0}.declared table{border-collapse:collapse}.declared td,.declared th{padding:.2rem .6rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}";

export function declaredHtml(s: DeclaredSection | undefined): string {
  if (!s) return "";
  const code = (p: string) => (p.startsWith("…") ? esc(p) : `<code>${esc(p)}</code>`);
  const coverage = s.coverage
    .map(
      (c) =>
        `<tr><td>${esc(GROUP_TITLES[c.group] ?? c.group)}</td><td>${c.declared}/${c.total}</td><td>${pct(c.declared, c.total)}</td></tr>`,
    )
    .join("");
  const lists = lines(s)
    .filter((l) => l.items.length > 0)
    .map((l) => `<li>${esc(l.label)}: ${clip(l.items).map(code).join(", ")}</li>`)
    .join("");
  const params = s.params
    .map(
      (p) =>
        `<tr><td><code>${esc(p.path)}</code></td><td>${p.shared}/${p.openai}</td><td>${esc(clip(p.missing).join(", ")) || "–"}</td><td>${esc(clip(p.extra).join(", ")) || "–"}</td></tr>`,
    )
    .join("");
  return `<section class="declared" id="declared"><h2>Declared vs observed</h2><p>${esc(heading(s))}</p>${
    s.limit ? `<p class="note">Read stopped at a bound: ${esc(s.limit)}</p>` : ""
  }<table><thead><tr><th>Group</th><th>Declared</th><th>Coverage</th></tr></thead><tbody>${coverage}</tbody></table>${
    lists ? `<ul>${lists}</ul>` : ""
  }${
    params
      ? `<table><thead><tr><th>Endpoint</th><th>OpenAI request properties declared</th><th>Missing</th><th>Its own</th></tr></thead><tbody>${params}</tbody></table>`
      : ""
  }</section>`;
}

/** The terminal's one line about the section. */
export function declaredLine(s: DeclaredSection): string {
  const groups = s.coverage.map((c) => `${c.group} ${c.declared}/${c.total}`).join(", ");
  const diff = [
    s.declaredButAbsent.length > 0 ? `${s.declaredButAbsent.length} declared but absent` : "",
    s.presentButUndeclared.length > 0 ? `${s.presentButUndeclared.length} present but undeclared` : "",
  ].filter(Boolean);
  return `declared (${s.source.path}): ${s.openaiPaths.declared}/${s.openaiPaths.total} OpenAI paths; coverage ${groups}${diff.length ? `; ${diff.join(", ")}` : ""}`;
}
