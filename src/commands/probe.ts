import { type Command, Option } from "commander";
import { GROUPS, type Group } from "../catalog/endpoints.js";
import { EXIT, UsageError } from "../cli/errors.js";
import { FORMAT_NAMES } from "../render/formats.js";
import { addConnectionOptions, type ConnectionFlags } from "./connection-options.js";

export interface ProbeFlags {
  name?: string;
  apiKey?: string;
  model?: string;
  embeddingModel?: string;
  ttsModel?: string;
  sttModel?: string;
  imageModel?: string;
  videoModel?: string;
  moderationModel?: string;
  only?: string;
  group?: string;
  skipPhaseB?: boolean;
  timeout: string;
  concurrency: string;
  depth: "quick" | "standard" | "deep";
  maxBody: string;
  report?: string;
  reportMd?: string;
  reportHtml?: string;
  reportJunit?: string;
  outDir?: string;
  record?: string;
  format?: string;
  clients: boolean;
  verbose?: boolean;
  failOn: "fail" | "warn" | "never";
  quiet?: boolean;
}

export function defineProbe(program: Command): void {
  const probe = program
    .command("probe")
    .description("probe a base URL: which OpenAI endpoints exist, and do they honour the contracts")
    .argument("[url]", "base URL, with or without /v1 (default $AIOC_BASE_URL, or the config's targets)")
    .option("--name <label>", "name for the target in reports")
    .option("--api-key <key>", "API key (default $AIOC_API_KEY; $OPENAI_API_KEY only for api.openai.com)")
    .option("--model <id>", "chat model (default: sniffed from /v1/models)")
    .option("--embedding-model <id>", "embedding model")
    .option("--tts-model <id>", "text-to-speech model")
    .option("--stt-model <id>", "speech-to-text model")
    .option("--image-model <id>", "image model")
    .option("--video-model <id>", "video model")
    .option("--moderation-model <id>", "moderation model")
    .option("--only <regex>", "only rows whose id or path matches")
    .option("--group <name>", `only one group (${GROUPS.join(", ")})`)
    .option("--skip-phase-b", "existence only (Phase A)")
    .addOption(
      new Option("--depth <depth>", "how much to check")
        .choices(["quick", "standard", "deep"])
        .default("standard"),
    )
    .option("--timeout <seconds>", "deadline per request", "30")
    .option("--concurrency <n>", "requests in flight at once", "4")
    .option("--max-body <MB>", "cap on any response body, in MB", "16")
    .option("--report <file>", "write the JSON report to a file")
    .option("--report-md <file>", "write the Markdown report")
    .option("--report-html <file>", "write the self-contained HTML report")
    .option("--report-junit <file>", "write JUnit XML")
    .option("--out-dir <dir>", "write report.json, report.md, report.html and report.junit.xml into a folder")
    .option("--record <file>", "write every exchange in full (key redacted) for `aioc serve --replay`")
    .option("--no-clients", "skip the real-client (SDK) rows")
    .addOption(
      new Option(
        "--format <format>",
        "stdout format (default: table on a terminal, json when piped)",
      ).choices(FORMAT_NAMES),
    )
    .addOption(
      new Option("--fail-on <level>", "exit 1 when a row reaches")
        .choices(["fail", "warn", "never"])
        .default("fail"),
    )
    .option("-q, --quiet", "no progress output")
    .option("-v, --verbose", "print each request and response line (key redacted)");
  addConnectionOptions(probe).action(async (url: string | undefined, flags: ProbeFlags & ConnectionFlags) => {
    const { probeCommand } = await import("./probe-action.js");
    process.exitCode = await probeCommand(url, flags, (name) => probe.getOptionValueSource(name));
  });
}

export function parseProbeFlags(flags: ProbeFlags) {
  const positive = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min)
      throw new UsageError(`${name} must be a number ≥ ${min}, got "${value}"`);
    return n;
  };
  let only: RegExp | undefined;
  if (flags.only !== undefined) {
    try {
      only = new RegExp(flags.only);
    } catch {
      throw new UsageError(`--only: invalid regular expression "${flags.only}"`);
    }
  }
  if (flags.group && !GROUPS.includes(flags.group as Group)) {
    throw new UsageError(`unknown group "${flags.group}"; expected one of ${GROUPS.join(", ")}`);
  }
  const timeoutMs = positive("--timeout", flags.timeout, 0.001) * 1000;
  const concurrency = Math.floor(positive("--concurrency", flags.concurrency, 1));
  const maxBodyBytes = Math.floor(positive("--max-body", flags.maxBody, 0.001) * 1024 * 1024);
  return { only, group: flags.group as Group | undefined, timeoutMs, concurrency, maxBodyBytes };
}

export function exitCodeFor(summary: { FAIL: number; WARN: number }, failOn: ProbeFlags["failOn"]): number {
  if (failOn === "never") return EXIT.ok;
  if (summary.FAIL > 0) return EXIT.failed;
  return failOn === "warn" && summary.WARN > 0 ? EXIT.failed : EXIT.ok;
}
