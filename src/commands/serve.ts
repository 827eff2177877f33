import type { Command } from "commander";
import { UsageError } from "../cli/errors.js";
import { withExamples } from "./help.js";

interface ServeFlags {
  port?: string;
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
  const command = program
    .command("serve")
    .description(
      "run the reference server: every catalog endpoint, canonical and deterministic, no model weights",
    )
    .option(
      "--port <n>",
      `port to listen on (0 = any free port; default ${DEFAULT_PORT}, or a free one if taken)`,
    )
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .option("--api-key <key>", "require Authorization: Bearer <key> on every /v1 route")
    .option("--latency <ms>", "delay every response by this many milliseconds", "0")
    .option(
      "--quirks <list>",
      "comma list of implementation profiles (llama.cpp, vllm, ollama, lm-studio, litellm, localai, sglang, tabbyapi) and dev:<deviation-id> quirks to imitate",
    )
    .option(
      "--missing <paths>",
      "comma list of catalog paths to answer 404, e.g. /v1/videos,/v1/videos/{id} (still listed in /openapi.json: declared but absent)",
    )
    .option("--replay <file>", "answer from a recording made by `aioc probe --record` instead")
    .action(async (flags: ServeFlags) => {
      const port = flags.port === undefined ? DEFAULT_PORT : integer(flags.port, "--port", 65535);
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
      const options = {
        host: flags.host,
        apiKey: flags.apiKey,
        latencyMs,
        quirks: resolved.quirks,
        missing: [...resolved.missing, ...missing],
        declared: missing,
        openapi: resolved.openapi,
      };
      const failed = (at: number) => (err: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot listen on ${flags.host}:${at}: ${err.code ?? err.message}`);
      };
      // Without --port the default is a convenience, not a promise: a taken 8080 falls back to a free port.
      const server = await startServer({ ...options, port }).catch((err: NodeJS.ErrnoException) =>
        flags.port === undefined && err.code === "EADDRINUSE"
          ? startServer({ ...options, port: 0 }).catch(failed(0))
          : failed(port)(err),
      );
      process.stdout.write(`${serveBanner(server.url, flags, latencyMs)}\n`);
      await untilSignal(server);
    });
  withExamples(command, [
    ["aioc serve", `the reference server on port ${DEFAULT_PORT} (or a free one)`],
    ["aioc serve --port 0 --quirks llama.cpp", "imitate llama.cpp on any free port"],
    ["aioc serve --api-key sk-test --latency 300", "require a key; answer after 300 ms"],
  ]);
}

export const DEFAULT_PORT = 8080;

/**
 * `aioc serve listening on URL`, then what is active: profile, key, latency (the key itself never). The first line
 * stays exactly that: scripts wait for it and take the URL from it.
 */
export function serveBanner(
  url: string,
  flags: Pick<ServeFlags, "apiKey" | "quirks" | "missing">,
  latencyMs: number,
) {
  const parts = [
    flags.quirks ? `profile ${list(flags.quirks).join(", ")}` : "profile canonical (every row PASSes)",
    flags.apiKey ? "key required (the one given with --api-key)" : "no key required",
    `latency ${latencyMs} ms`,
  ];
  if (flags.missing) parts.push(`missing ${list(flags.missing).join(", ")}`);
  return `aioc serve listening on ${url}\n  ${parts.join(" · ")}`;
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
