/**
 * `aioc spec`: its options (as data, so commander's definition in spec.ts and the start-up fast path in cli.ts
 * read the same list) and what it does. Loads no argument parser.
 */
import { GROUPS, type Group } from "../catalog/endpoints.js";
import { UsageError } from "../cli/errors.js";
import { chosenFormat } from "./format-flags.js";

export interface SpecFlags {
  group?: string;
  format?: string;
  json?: boolean;
  markdown?: boolean;
  output?: string;
}

export const SPEC_FORMATS = ["table", "json", "markdown"] as const;

/** `long` is the flag's name in SpecFlags; `value` names a flag that takes one. */
export const SPEC_OPTIONS: readonly {
  long: keyof SpecFlags;
  short?: string;
  value?: string;
  choices?: readonly string[];
  description: string;
}[] = [
  { long: "group", value: "names", description: `only these groups, comma separated (${GROUPS.join(", ")})` },
  { long: "format", short: "f", value: "format", choices: SPEC_FORMATS, description: "output format" },
  { long: "json", description: "same as -f json: a JSON array" },
  { long: "markdown", description: "same as -f markdown (as in docs/canonical-surface.md)" },
  { long: "output", short: "o", value: "file", description: "write to a file instead of stdout" },
];

export async function runSpec(opts: SpecFlags): Promise<void> {
  const { ENDPOINTS } = await import("../catalog/endpoints.js");
  const render = await import("../catalog/render.js");
  const groups = (opts.group ?? "")
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean);
  for (const g of groups) {
    if (!GROUPS.includes(g as Group)) {
      throw new UsageError(`unknown group "${g}"; expected one of ${GROUPS.join(", ")}`);
    }
  }
  const rows = groups.length > 0 ? ENDPOINTS.filter((e) => groups.includes(e.group)) : ENDPOINTS;
  const format = chosenFormat(opts, "table");
  const text =
    format === "json"
      ? render.catalogJson(rows)
      : format === "markdown"
        ? render.catalogMarkdown(rows)
        : render.catalogTable(rows);
  const { createIo, emit } = await import("../cli/io.js");
  emit(createIo(), text, opts.output);
}

/**
 * `aioc spec …` parsed without commander (about 30 ms of start-up), with node's own parseArgs. Undefined when the
 * arguments are anything but a valid spec invocation (help, a typo, a bad value): commander then parses them and
 * gives its usual help or one-line error.
 */
export async function fastSpec(args: readonly string[]): Promise<SpecFlags | undefined> {
  if (args[0] !== "spec" || args.some((a) => a === "-h" || a === "--help" || a === "--debug"))
    return undefined;
  const { parseArgs } = await import("node:util");
  const options = Object.fromEntries(
    SPEC_OPTIONS.map((o) => [
      o.long,
      { type: o.value ? ("string" as const) : ("boolean" as const), ...(o.short ? { short: o.short } : {}) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: args.slice(1),
      options,
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) return undefined;
    for (const o of SPEC_OPTIONS) {
      const v = values[o.long];
      if (o.choices && v !== undefined && !o.choices.includes(v as string)) return undefined;
    }
    return values as SpecFlags;
  } catch {
    return undefined;
  }
}
