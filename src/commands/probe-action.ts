import { createIo } from "../cli/io.js";
import { Redactor } from "../cli/redact.js";
import { runProbe } from "../probe/run.js";
import { normalizeTarget, resolveApiKey } from "../probe/target.js";
import { colorEnabled } from "../render/color.js";
import { renderReport } from "../render/index.js";
import { exitCodeFor, type ProbeFlags, parseProbeFlags } from "./probe.js";

export async function probeCommand(url: string, flags: ProbeFlags): Promise<number> {
  const target = normalizeTarget(url);
  const parsed = parseProbeFlags(flags);
  const { key } = resolveApiKey(target.baseUrl, flags.apiKey);
  const io = createIo(new Redactor([key]));
  const progress = !flags.quiet && process.stderr.isTTY;
  io.err(`aioc: probing ${target.baseUrl}${target.note ? ` (${target.note})` : ""}\n`);

  const report = await runProbe({
    baseUrl: target.baseUrl,
    name: flags.name,
    apiKey: key,
    models: {
      chat: flags.model,
      embedding: flags.embeddingModel,
      tts: flags.ttsModel,
      stt: flags.sttModel,
      image: flags.imageModel,
      video: flags.videoModel,
      moderation: flags.moderationModel,
    },
    only: parsed.only,
    group: parsed.group,
    skipPhaseB: flags.skipPhaseB,
    timeoutMs: parsed.timeoutMs,
    concurrency: parsed.concurrency,
    depth: flags.depth,
    maxBodyBytes: parsed.maxBodyBytes,
    onResult: progress ? (r, done, total) => io.err(`\r\u001b[2K${done}/${total} ${r.id}`) : undefined,
  });
  if (progress) io.err("\r\u001b[2K");

  const redacted = new Redactor([key]).value(report);
  if (flags.report) io.writeFile(flags.report, `${JSON.stringify(redacted, null, 2)}\n`);
  const format = flags.format ?? (process.stdout.isTTY ? "table" : "json");
  io.out(renderReport(redacted, format, { color: format === "table" && colorEnabled(process.stdout) }));
  return exitCodeFor(report.summary, flags.failOn);
}
