/**
 * Writes docs/implementations/<profile>.md and docs/compatibility-matrix.md by probing the reference server with
 * each implementation profile (`aioc serve --quirks <profile>`), in process on loopback. Run with
 * `npm run gen:impl-docs`; test/implementation-docs.test.ts fails when the committed files differ from what this
 * writes. Output has no latencies, timestamps, ports or ids, so it only changes when behaviour does.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEVIATIONS, findDeviation } from "../src/deviations/catalog.js";
import { docsAnchor } from "../src/deviations/docs.js";
import { type ImplementationNotes, notesFor } from "../src/deviations/implementations.js";
import { PARAM_BEHAVIOUR } from "../src/deviations/params.js";
import type { Deviation } from "../src/deviations/types.js";
import { runProbe } from "../src/probe/run.js";
import { renderMatrix } from "../src/render/matrix.js";
import { STATUS_SYMBOL } from "../src/render/status.js";
import type { Report } from "../src/report/types.js";
import { PROFILES, profileQuirks, resolveQuirkList } from "../src/serve/quirks.js";
import { startServer } from "../src/serve/server.js";

/** The probe every page describes: what `aioc demo --quirks <profile>` runs. */
/** Standard depth plus the parameter matrix (`--params`), so each profile's parameter behaviour is on its page. */
export const PROBE_SETTINGS = {
  depth: "standard",
  params: true,
  apiKey: "sk-aioc-impl-docs-0123456789",
} as const;

const REFERENCE = "aioc serve";

/** Probes the reference server with `--quirks <entries>` (none: canonical) and returns the report. */
export async function probeProfile(entries: readonly string[], name: string): Promise<Report> {
  const { quirks, missing } = resolveQuirkList(entries);
  const server = await startServer({ port: 0, quirks, missing, apiKey: PROBE_SETTINGS.apiKey });
  try {
    const report = await runProbe({
      baseUrl: server.url,
      name,
      apiKey: PROBE_SETTINGS.apiKey,
      depth: PROBE_SETTINGS.depth,
      params: PROBE_SETTINGS.params,
      timeoutMs: 20_000,
      concurrency: 4,
      maxBodyBytes: 16 << 20,
      // clients (issue #14): whether they run depends on the machine's python, so the pages leave them out.
      skip: /^client:openai-python\//,
    });
    return { ...report, target: { ...report.target, url: `aioc serve --quirks ${entries.join(",")}` } };
  } finally {
    await server.close();
  }
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** Random ids the reference server mints (chunk ids in a detail, say) would make the pages churn. */
const stable = (s: string) =>
  s.replace(/\b(chatcmpl|cmpl|resp|call|msg|fc|req|img|video|modr)([-_])[A-Za-z0-9]{8,}/g, "$1$2…");

const deviationLink = (d: Deviation) => `[${d.id}](../deviations.md#${docsAnchor(d)})`;

function versionsFor(d: Deviation, implementation: string): string {
  const entry = d.implementations.find((i) => i.name.toLowerCase() === implementation.toLowerCase());
  return entry?.versions ?? "not stated";
}

function probeSection(report: Report, profile: string): string[] {
  const s = report.summary;
  const rows = report.results.filter((r) => r.status !== "PASS");
  return [
    "## What the probe says",
    "",
    `\`aioc probe --params\` at ${PROBE_SETTINGS.depth} depth, with an API key, against \`aioc serve --quirks ${profile}\`: ` +
      `**${s.PASS} PASS · ${s.WARN} WARN · ${s.FAIL} FAIL · ${s.SKIP} SKIP** (${report.results.length} rows). ` +
      "Every row not listed passes.",
    "",
    "| Row | Status | Detail | Deviations |",
    "|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| \`${r.id}\` | ${STATUS_SYMBOL[r.status]} ${r.status} | ${cell(stable(r.detail))} | ` +
        `${r.deviations.map((d) => d.id).join(", ") || "—"} |`,
    ),
  ];
}

function deviationSection(profile: string, implementation: string): string[] {
  const imitated = profileQuirks(profile).map((id) => findDeviation(id)!);
  const past = Object.entries(PROFILES[profile]!.past);
  const out = ["## Where it deviates", ""];
  if (imitated.length === 0) out.push("The catalog attributes no deviation to the current release.", "");
  for (const d of imitated) {
    out.push(
      `### ${d.id}`,
      "",
      `${d.summary.charAt(0).toUpperCase()}${d.summary.slice(1)}.`,
      "",
      `- **Verdict:** ${d.verdict} (${deviationLink(d)})`,
      `- **Versions:** ${versionsFor(d, implementation)}`,
      `- **Sources:** ${(d.sources ?? []).join("; ")}`,
      "",
    );
  }
  if (past.length > 0) {
    out.push(
      "### Fixed or opt-in (not imitated)",
      "",
      "The catalog also names this implementation for these deviations, but only for older versions or an " +
        "opt-in setting, so the profile (which models the current release) does not imitate them:",
      "",
      "| Deviation | Verdict | Versions | Why not imitated |",
      "|---|---|---|---|",
      ...past.map(([id, why]) => {
        const d = findDeviation(id)!;
        return `| ${deviationLink(d)} | ${d.verdict} | ${cell(versionsFor(d, implementation))} | ${cell(why)} |`;
      }),
      "",
    );
  }
  return out;
}

function lacksSection(profile: string, notes: ImplementationNotes): string[] {
  const missing = PROFILES[profile]!.missing;
  // error-with-200 answers every router error, an absent route included, 200 with an error body.
  const answer = profileQuirks(profile).includes("error-with-200")
    ? "the profile answers them as the implementation answers any unknown route, 200 with an error body " +
      "(error-with-200), so the rows that build on them run instead of skipping:"
    : "the profile answers them 404, as an absent route (core rows FAIL, optional ones WARN, rows that build on " +
      "them SKIP):";
  return [
    "## What it lacks",
    "",
    `Catalog routes the current release does not serve; ${answer}`,
    "",
    ...missing.map((p) => `- \`${p}\``),
    "",
    `Source: ${notes.routeSources.join("; ")}.`,
  ];
}

function extrasSection(notes: ImplementationNotes): string[] {
  return [
    "## What it adds beyond OpenAI",
    "",
    "Not probed by aioc; listed so a failing row is not mistaken for a missing feature.",
    "",
    "| Route | What |",
    "|---|---|",
    ...notes.extras.map((e) => `| \`${cell(e.route)}\` | ${cell(e.what)} |`),
  ];
}

/** How it takes request parameters, in words, with the sources (src/deviations/params.ts PARAM_BEHAVIOUR). */
function paramsSection(implementation: string): string[] {
  const behaviour = PARAM_BEHAVIOUR.find((b) => b.implementation === implementation);
  if (!behaviour) return [];
  const named = behaviour.deviations.map((id) => deviationLink(findDeviation(id)!));
  return [
    "## Request parameters",
    "",
    `${behaviour.summary.charAt(0).toUpperCase()}${behaviour.summary.slice(1)}.`,
    "",
    ...(named.length > 0 ? [`Deviations: ${named.join(", ")}.`, ""] : []),
    "Sources:",
    "",
    ...behaviour.sources.map((s) => `- ${s}`),
    "",
  ];
}

export function implementationPage(profile: string, report: Report): string {
  const notes = notesFor(profile);
  if (!notes) throw new Error(`no notes for profile ${profile} in src/deviations/implementations.ts`);
  const implementation = PROFILES[profile]!.implementation;
  return [
    `# ${notes.title}`,
    "",
    "<!-- Generated by `npm run gen:impl-docs` (scripts/gen-implementation-docs.ts) from the deviation catalog, " +
      "the profile in src/serve/quirks.ts, src/deviations/implementations.ts and a probe of the profile. " +
      "Do not edit by hand. -->",
    "",
    notes.about,
    "",
    `This page is what aioc reports against \`aioc serve --quirks ${profile}\`: the reference server imitating ` +
      `${implementation}'s current release, with every deviation the catalog attributes to it and without the ` +
      "routes it lacks. It is a model built from the sources below, not a measurement of a real server; probe " +
      `yours with \`aioc probe <url>\`. Reproduce this page's probe with \`aioc demo --quirks ${profile}\`.`,
    "",
    ...probeSection(report, profile),
    "",
    ...deviationSection(profile, implementation),
    ...paramsSection(implementation),
    ...lacksSection(profile, notes),
    "",
    ...extrasSection(notes),
    "",
    "## Not modelled",
    "",
    ...notes.notModelled.map((n) => `- ${n}`),
    "",
    "## Sources",
    "",
    ...notes.sources.map((s) => `- ${s}`),
    "",
  ].join("\n");
}

export function matrixPage(reports: readonly Report[]): string {
  const table = renderMatrix(reports, "markdown").split("\n").slice(2).join("\n");
  return [
    "# Compatibility matrix",
    "",
    "<!-- Generated by `npm run gen:impl-docs` (scripts/gen-implementation-docs.ts). Do not edit by hand. -->",
    "",
    `What \`aioc probe --params\` (${PROBE_SETTINGS.depth} depth, with an API key) reports against the reference server ` +
      "with each implementation profile (`aioc serve --quirks <profile>`, see docs/implementations/), and " +
      `against the canonical reference server (\`${REFERENCE}\`). Profiles imitate the current release of each ` +
      "implementation as the deviation catalog (docs/deviations.md) and the cited route tables describe it; they " +
      "are models, not measurements of real servers.",
    "",
    table,
  ].join("\n");
}

/** Every generated file, by path relative to the repository root. */
export async function implementationDocs(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const reports: Report[] = [];
  for (const profile of Object.keys(PROFILES)) {
    const report = await probeProfile([profile], profile);
    reports.push(report);
    files[`docs/implementations/${profile}.md`] = implementationPage(profile, report);
  }
  reports.push(await probeProfile([], REFERENCE));
  files["docs/compatibility-matrix.md"] = matrixPage(reports);
  return files;
}

/** Deviations no profile imitates, for the script's summary line. */
function unattributed(): string[] {
  const used = new Set(Object.keys(PROFILES).flatMap(profileQuirks));
  return DEVIATIONS.map((d) => d.id).filter((id) => !used.has(id));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const files = await implementationDocs();
  for (const [path, text] of Object.entries(files)) {
    const out = join(root, path);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    process.stdout.write(`wrote ${relative(process.cwd(), out) || out}\n`);
  }
  process.stdout.write(
    `${unattributed().length} catalog deviations are imitated by no profile (dev:<id> only)\n`,
  );
}
