import type { Command } from "commander";
import { UsageError } from "../cli/errors.js";

interface ServeFlags {
  port: string;
  host: string;
  apiKey?: string;
  latency: string;
  quirks?: string;
  missing?: string;
  replay?: string;
}

function integer(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > max) {
    throw new UsageError(`${flag} must be an integer from 0 to ${max}, got "${value}"`);
  }
  return n;
}

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export function defineServe(program: Command): void {
  program
    .command("serve")
    .description(
      "run the reference server: every catalog endpoint, canonical and deterministic, no model weights",
    )
    .requiredOption("--port <n>", "port to listen on (0 = any free port)")
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .option("--api-key <key>", "require Authorization: Bearer <key> on every /v1 route")
    .option("--latency <ms>", "delay every response by this many milliseconds", "0")
    .option(
      "--quirks <list>",
      "comma list of implementation profiles (llama.cpp, vllm, ollama, lm-studio, litellm, localai, sglang, tabbyapi) and dev:<deviation-id> quirks to imitate",
    )
    .option("--missing <paths>", "comma list of catalog paths to answer 404, e.g. /v1/videos,/v1/videos/{id}")
    .option("--replay <file>", "answer from a recording made by `aioc probe --record` instead")
    .action(async (flags: ServeFlags) => {
      const port = integer(flags.port, "--port", 65535);
      const latencyMs = integer(flags.latency, "--latency", 600_000);
      if (flags.replay) return replay(flags.replay, port, flags, latencyMs);
      const missing = list(flags.missing);
      for (const path of missing) {
        if (!path.startsWith("/") || path.includes("[")) {
          throw new UsageError(`--missing takes catalog paths such as /v1/videos/{id}, got "${path}"`);
        }
      }
      const { resolveQuirkList } = await import("../serve/quirks.js");
      // Profiles bring the routes their implementation lacks; --missing adds to them.
      const resolved = resolveQuirkList(list(flags.quirks));
      const { startServer } = await import("../serve/server.js");
      const server = await startServer({
        port,
        host: flags.host,
        apiKey: flags.apiKey,
        latencyMs,
        quirks: resolved.quirks,
        missing: [...resolved.missing, ...missing],
      }).catch((err: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot listen on ${flags.host}:${port}: ${err.code ?? err.message}`);
      });
      process.stdout.write(`aioc serve listening on ${server.url}\n`);
      await untilSignal(server);
    });
}

function untilSignal(server: { close(): Promise<void> }): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      server.close().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

async function replay(file: string, port: number, flags: ServeFlags, latencyMs: number): Promise<void> {
  const clash = (["apiKey", "quirks", "missing"] as const).find((k) => flags[k] !== undefined);
  if (clash) {
    const flag = { apiKey: "--api-key", quirks: "--quirks", missing: "--missing" }[clash];
    throw new UsageError(`--replay answers what was recorded; it cannot be combined with ${flag}`);
  }
  const { RecordingError, startReplay } = await import("../serve/replay.js");
  const server = await startReplay({ file, port, host: flags.host, latencyMs }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err instanceof RecordingError) throw new UsageError(err.message);
      throw new UsageError(`cannot listen on ${flags.host}:${port}: ${err.code ?? err.message}`);
    },
  );
  process.stdout.write(`aioc serve replaying ${server.exchanges} exchanges from ${file} on ${server.url}\n`);
  await untilSignal(server);
}
