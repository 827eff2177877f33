import { type Command, Option } from "commander";
import { FORMAT_NAMES } from "../render/formats.js";

interface MergeFlags {
  format: string;
  output?: string;
  outDir?: string;
}

/** `aioc merge`: shard reports (`probe --shard i/n`) back into one report per target. */
export function defineMerge(program: Command): void {
  program
    .command("merge")
    .description("join shard reports (probe --shard i/n) into one report per target")
    .argument("<reports...>", "JSON reports of the shards (e.g. shard-*/report.json)")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMAT_NAMES).default("json"))
    .option("-o, --output <file>", "write to a file instead of stdout (one target only)")
    .option("--out-dir <dir>", "write each merged report's formats into a folder per target, plus a matrix")
    .action(async (files: string[], flags: MergeFlags) => {
      const { UsageError } = await import("../cli/errors.js");
      const { loadReport } = await import("../report/load.js");
      const { mergeReports, missingShards } = await import("../report/merge.js");
      const { renderReport } = await import("../render/index.js");
      const { createIo, emit } = await import("../cli/io.js");
      const io = createIo();
      const parts = files.map(loadReport);
      const missing = missingShards(parts);
      if (missing.length > 0)
        io.err(`aioc: warning: shard ${missing.join(", ")} missing; the merge is partial\n`);
      const merged = mergeReports(parts);
      if (flags.outDir) {
        const { writeAll } = await import("./probe-many.js");
        writeAll(io, merged, flags.outDir);
        return;
      }
      if (merged.length > 1) {
        throw new UsageError(
          `the reports cover ${merged.length} targets; use --out-dir to write one merged report per target`,
        );
      }
      emit(io, renderReport(merged[0]!, flags.format), flags.output);
    });
}
