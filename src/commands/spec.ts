import type { Command } from "commander";
import { GROUPS, type Group } from "../catalog/endpoints.js";
import { UsageError } from "../cli/errors.js";

export function defineSpec(program: Command): void {
  program
    .command("spec")
    .description("print the canonical catalog of endpoints aioc probes")
    .option("--group <name>", `only one group (${GROUPS.join(", ")})`)
    .option("--json", "print a JSON array")
    .option("--markdown", "print Markdown tables (as in docs/canonical-surface.md)")
    .action(async (opts: { group?: string; json?: boolean; markdown?: boolean }) => {
      const { endpointsIn } = await import("../catalog/endpoints.js");
      const render = await import("../catalog/render.js");
      if (opts.group && !GROUPS.includes(opts.group as Group)) {
        throw new UsageError(`unknown group "${opts.group}"; expected one of ${GROUPS.join(", ")}`);
      }
      const rows = endpointsIn(opts.group as Group | undefined);
      const text = opts.json
        ? render.catalogJson(rows)
        : opts.markdown
          ? render.catalogMarkdown(rows)
          : render.catalogTable(rows);
      process.stdout.write(text);
    });
}
