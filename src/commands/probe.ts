import { type Command, Option } from "commander";
import { GROUPS, type Group } from "../catalog/endpoints.js";
import { BOUNDS, boundedNumber } from "../cli/bounds.js";
import { EXIT, UsageError } from "../cli/errors.js";
import { parseExpect } from "../probe/scope.js";
import { FORMAT_NAMES } from "../render/formats.js";
import { isInconclusive, type Notice } from "../report/types.js";
import { addConnectionOptions, type ConnectionFlags } from "./connection-options.js";
import { withExamples } from "./help.js";

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
  skip?: string;
  group?: string;
  expect?: string;
  waitReady?: string;
  output?: string;
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
  /** clients (issue #14) */
  python?: string;
  params?: boolean;
  verbose?: boolean;
  failOn: "fail" | "warn" | "never";
  quiet?: boolean;
  json?: boolean;
}

export function defineProbe(program: Command): void {
  const command = program
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
    .option(
      "--expect <caps>",
      "what the server offers (e.g. chat,embeddings or a preset: llm, speech, gateway, all); absent routes outside it are not offered, inside it FAIL",
    )
    .option("--only <regex>", "only rows whose id matches (e.g. 'embeddings|^client:')")
    .option("--skip <regex>", "leave out rows whose id matches (e.g. '^client:')")
    .option("--group <names>", `only these groups, comma separated (${GROUPS.join(", ")})`)
    .option(
      "--wait-ready <seconds>",
      "first wait up to this long for the server to answer (starting, loading a model)",
    )
    .option("--skip-phase-b", "existence only (Phase A)")
    .addOption(
      new Option("--depth <depth>", "how much to check")
        .choices(["quick", "standard", "deep"])
        .default("standard"),
    )
    .option("--timeout <seconds>", "deadline per request", "30")
    .option("--concurrency <n>", "requests in flight at once", "4")
    .option("--max-body <MB>", "cap on any response body, in MB", "16")
    .option("-o, --output <file>", "write the report to a file (format from --format or the extension)")
    .option("--report <file>", "write the JSON report to a file")
    .option("--report-md <file>", "write the Markdown report")
    .option("--report-html <file>", "write the self-contained HTML report")
    .option("--report-junit <file>", "write JUnit XML")
    .option("--out-dir <dir>", "write report.json, report.md, report.html and report.junit.xml into a folder")
    .option("--record <file>", "write every exchange in full (key redacted) for `aioc serve --replay`")
    .option("--no-clients", "skip the real-client (SDK) rows")
    .option(
      "--python <path>",
      "python with the openai package, for the client:openai-python rows (default python3)",
    )
    .option(
      "--params",
      "add the parameter matrix (one row per chat request parameter; always on at --depth deep)",
    )
    .addOption(
      new Option(
        "-f, --format <format>",
        "stdout format (default: table on a terminal, json when piped)",
      ).choices(FORMAT_NAMES),
    )
    .addOption(
      new Option("--fail-on <level>", "exit 1 when any row reaches this status")
        .choices(["fail", "warn", "never"])
        .default("fail"),
    )
    .option("--json", "same as -f json")
    .option("-q, --quiet", "no progress output")
    .option("-v, --verbose", "print each request and response line (key redacted)");
  addConnectionOptions(command).action(
    async (url: string | undefined, flags: ProbeFlags & ConnectionFlags) => {
      const { probeCommand } = await import("./probe-action.js");
      process.exitCode = await probeCommand(url, flags.json ? { ...flags, format: "json" } : flags, (name) =>
        command.getOptionValueSource(name),
      );
    },
  );
  withExamples(command, [
    ["aioc probe http://127.0.0.1:8080", "everything, graded; table on a terminal, JSON when piped"],
    [
      "aioc probe http://127.0.0.1:8080 --expect llm",
      "a llama.cpp/vLLM/Ollama server: chat, completions, embeddings",
    ],
    ["aioc probe http://127.0.0.1:8000 --expect speech", "a speech server: tts and stt"],
    ["aioc probe https://gateway.example/v1 --expect gateway", "a gateway in front of OpenAI"],
    ["aioc probe URL --group chat,embeddings --skip '^client:'", "two groups, without the SDK rows"],
    ["aioc probe URL --wait-ready 60 --out-dir aioc-report", "CI: wait for the server, write every report"],
  ]);
}

export function parseProbeFlags(flags: ProbeFlags) {
  let only: RegExp | undefined;
  if (flags.only !== undefined) {
    try {
      only = new RegExp(flags.only);
    } catch {
      throw new UsageError(`--only: invalid regular expression "${flags.only}"`);
    }
  }
  let skip: RegExp | undefined;
  if (flags.skip !== undefined) {
    try {
      skip = new RegExp(flags.skip);
    } catch {
      throw new UsageError(`--skip: invalid regular expression "${flags.skip}"`);
    }
  }
  const groups = flags.group === undefined ? undefined : parseGroups(flags.group);
  const expect = flags.expect === undefined ? undefined : parseExpect(flags.expect);
  const waitReadyMs =
    flags.waitReady === undefined
      ? undefined
      : boundedNumber("--wait-ready", flags.waitReady, BOUNDS.waitReady) * 1000;
  const timeoutMs = boundedNumber("--timeout", flags.timeout, BOUNDS.timeout) * 1000;
  const concurrency = Math.floor(boundedNumber("--concurrency", flags.concurrency, BOUNDS.concurrency));
  const maxBodyBytes = Math.floor(boundedNumber("--max-body", flags.maxBody, BOUNDS.maxBody) * 1024 * 1024);
  return { only, skip, groups, expect, waitReadyMs, timeoutMs, concurrency, maxBodyBytes };
}

function parseGroups(value: string): Group[] {
  const names = value
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean);
  for (const g of names) {
    if (!GROUPS.includes(g as Group))
      throw new UsageError(`unknown group "${g}"; expected one or more of ${GROUPS.join(", ")}`);
  }
  if (names.length === 0) throw new UsageError(`--group needs a group: ${GROUPS.join(", ")}`);
  return names as Group[];
}

export function exitCodeFor(
  summary: { FAIL: number; WARN: number },
  failOn: ProbeFlags["failOn"],
  notices: readonly Notice[] = [],
): number {
  if (failOn === "never") return EXIT.ok;
  // An inconclusive run (every route rejected alike, the target stopped) proves nothing; hints do not count.
  if (summary.FAIL > 0 || notices.some(isInconclusive)) return EXIT.failed;
  return failOn === "warn" && summary.WARN > 0 ? EXIT.failed : EXIT.ok;
}
