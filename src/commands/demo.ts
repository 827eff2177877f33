import { type Command, Option } from "commander";
import { FORMAT_NAMES } from "../render/formats.js";
import { addHeaderOption } from "./connection-options.js";
import { withExamples } from "./help.js";

export interface DemoFlags {
  quirks?: string;
  depth: "quick" | "standard" | "deep";
  format?: string;
  outDir?: string;
  header?: string[];
  output?: string;
}

/** The main job: start the embedded reference server on a free port, probe it, print the table. */
export function defineDemo(program: Command): void {
  const command = program
    .command("demo")
    .description("start the embedded reference server, probe it and print the table")
    .option("--quirks <list>", "serve with these implementation quirks (e.g. llama.cpp, vllm, dev:<id>)")
    .addOption(
      new Option("--depth <depth>", "how much to check")
        .choices(["quick", "standard", "deep"])
        .default("standard"),
    )
    .addOption(new Option("-f, --format <format>", "stdout format").choices(FORMAT_NAMES).default("table"))
    .option("--out-dir <dir>", "also write every report format into a folder")
    .option("-o, --output <file>", "write the report to a file (format from -f or the extension)");
  addHeaderOption(command).action(async (flags: DemoFlags) => {
    const { startServer } = await import("../serve/server.js");
    const { resolveQuirkList } = await import("../serve/quirks.js");
    const { probeCommand } = await import("./probe-action.js");
    const { quirks, missing } = resolveQuirkList((flags.quirks ?? "").split(","));
    // A throwaway key, so the auth rows have something to check too; it is never printed.
    const { randomBytes } = await import("node:crypto"); // not at start-up: every command would pay for it
    const apiKey = `sk-aioc-demo-${randomBytes(12).toString("hex")}`;
    const server = await startServer({ port: 0, host: "127.0.0.1", quirks, missing, apiKey });
    try {
      process.exitCode = await probeCommand(server.url, {
        apiKey,
        // The table's first line reads "aioc <name> <url>": name the server, not the tool again.
        name: flags.quirks ? `reference server --quirks ${flags.quirks}` : "reference server",
        depth: flags.depth,
        format: flags.format,
        outDir: flags.outDir,
        output: flags.output,
        timeout: "30",
        concurrency: "4",
        maxBody: "16",
        failOn: "fail",
        clients: true,
        header: flags.header,
      });
    } finally {
      await server.close();
    }
  });
  withExamples(command, [
    ["aioc demo", "probe the reference server: every row PASSes"],
    ["aioc demo --quirks llama.cpp", "what aioc reports against a llama.cpp-like server"],
    ["aioc demo -f html -o demo.html", "the HTML report of the demo"],
  ]);
}
