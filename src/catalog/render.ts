import { alignColumns } from "../render/text-table.js";
import { type Endpoint, GROUP_TITLES, GROUPS, type Group, seedLabel } from "./endpoints.js";

function byGroup(endpoints: readonly Endpoint[]): [Group, Endpoint[]][] {
  return GROUPS.map((g) => [g, endpoints.filter((e) => e.group === g)] as [Group, Endpoint[]]).filter(
    ([, rows]) => rows.length > 0,
  );
}

export function catalogTable(endpoints: readonly Endpoint[]): string {
  const blocks = byGroup(endpoints).map(([group, rows]) => {
    const lines = alignColumns([
      ["Path", "Method", "Kind", "Notes"],
      ...rows.map((e) => [seedLabel(e), e.method, e.kind, e.notes]),
    ]);
    return [GROUP_TITLES[group], "", ...lines.map((l) => `  ${l}`)].join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}

export function catalogMarkdown(endpoints: readonly Endpoint[]): string {
  const blocks = byGroup(endpoints).map(([group, rows]) =>
    [
      `## ${GROUP_TITLES[group]}`,
      "",
      "| Path | Method | Kind | Notes |",
      "|---|---|---|---|",
      ...rows.map(
        (e) => `| \`${seedLabel(e)}\` | ${e.method} | ${e.kind} | ${e.notes.replace(/\|/g, "\\|")} |`,
      ),
    ].join("\n"),
  );
  return `${blocks.join("\n\n")}\n`;
}

export function catalogJson(endpoints: readonly Endpoint[]): string {
  return `${JSON.stringify(endpoints, null, 2)}\n`;
}

/** docs/canonical-surface.md, generated; a test fails when it drifts from the catalog. */
export function canonicalSurfaceDoc(endpoints: readonly Endpoint[]): string {
  return [
    "# Canonical surface",
    "",
    "<!-- Generated from src/catalog/endpoints.ts by `npm run gen:docs`. Do not edit by hand. -->",
    "",
    "The full table the prober walks. You can print a current copy with `aioc spec` (`--markdown` for this format).",
    "",
    "Kinds: `core` = required for any compat surface; `ext` = OpenAI has it but many servers omit it;",
    "`ours` = aioc's extension.",
    "",
    catalogMarkdown(endpoints),
  ].join("\n");
}
