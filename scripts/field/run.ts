/**
 * `npm run field`: the field lab. Starts each real implementation on 127.0.0.1 (llama-server built by
 * `npm run field:build`, then gateways in front of it), probes it at standard depth with the built CLI, and
 * compares every row with its committed expectation (field/expect/NAME.json, judged by hand from the bytes).
 * Prints every mismatch and exits 1 on any; 2 when the lab is not built.
 *
 *   npm run field [-- --only llama-server,portkey] [--draft] [--save-recording]
 *
 * --draft           also write .field/out/NAME.draft.json: the current verdicts as an expectation skeleton
 * --save-recording  copy the keyed llama-server recording to field/recordings/llama-server.json
 * Reports, recordings and server logs go to .field/out/ and .field/logs/.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Report } from "../../src/report/types.js";
import { compare, draft, loadExpectation, type Mismatch } from "./expect.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const FIELD = process.env.AIOC_FIELD_DIR ?? join(ROOT, ".field");
const OUT = join(FIELD, "out");
const LOGS = join(FIELD, "logs");
const SERVER = join(FIELD, "llama.cpp/build/bin/llama-server");
const MODEL = join(FIELD, "models/tiny-long.gguf");
/** A key for the lab's own servers; never a real credential. */
const KEY = "sk-field-lab-0123456789abcdef";
const ALIAS = "tiny";
const OLLAMA = join(FIELD, "ollama/bin/ollama");
const OLLAMA_MODEL = "tiny";

interface Started {
  url: string;
  apiKey?: string;
  headers?: string[];
  /** More `aioc probe` options, e.g. the models a user must name when the target cannot list them. */
  probeArgs?: string[];
  note?: string;
}

interface Target {
  name: string;
  /** A missing prerequisite (not built, not installed), or undefined when it can run. */
  missing(): string | undefined;
  start(lab: Lab): Promise<Started>;
}

const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

function launch(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  mkdirSync(LOGS, { recursive: true });
  const log = openSync(join(LOGS, `${name}.log`), "w");
  const child = spawn(command, args, { stdio: ["ignore", log, log], env: { ...process.env, ...env } });
  children.push(child);
  return child;
}

async function waitFor(
  url: string,
  child: ChildProcess,
  seconds: number,
  headers: Record<string, string> = {},
) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not ready after ${seconds} s (${url})`);
}

/** The lab's shared llama-server (keyless), started once for the gateways in front of it. */
class Lab {
  private backend?: Promise<string>;
  llamaServer(name: string, extra: string[] = []): Promise<string> {
    return (async () => {
      const port = await freePort();
      const child = launch(name, SERVER, [
        ...["-m", MODEL, "--host", "127.0.0.1", "--port", String(port)],
        ...["-c", "4096", "-np", "2", "-n", "64", "-t", "2", "--seed", "1"],
        ...["--embeddings", "--pooling", "mean", "--alias", ALIAS],
        ...extra,
      ]);
      await waitFor(`http://127.0.0.1:${port}/health`, child, 120);
      return `http://127.0.0.1:${port}`;
    })();
  }
  backendUrl(): Promise<string> {
    this.backend ??= this.llamaServer("llama-server-backend");
    return this.backend;
  }
  /**
   * A second llama-server for a gateway's embedding model. llama-server never batches embedding and completion
   * tasks together (llama.cpp PR #8420) and a generating slot goes first, so on one shared server an embedding
   * waits until no slot is generating: measured 28.6 s while 3 chats were kept in flight on -np 2 (75 ms with
   * 1), past the lab's 120 s on a loaded machine. A deployment keeps its embedding model apart; so does the lab.
   */
  embeddingBackendUrl(): Promise<string> {
    this.embeddingBackend ??= this.llamaServer("llama-server-embedding-backend");
    return this.embeddingBackend;
  }
  private embeddingBackend?: Promise<string>;
}

const built = () =>
  existsSync(SERVER) && existsSync(MODEL) ? undefined : "llama-server not built (npm run field:build)";

async function probeHasHeaderFlag(): Promise<boolean> {
  const { stdout } = await run(process.execPath, [join(ROOT, "bin/aioc.js"), "probe", "--help"]);
  return /--header\b/.test(stdout);
}

const TARGETS: Target[] = [
  {
    name: "llama-server",
    missing: built,
    start: async (lab) => ({ url: await lab.llamaServer("llama-server") }),
  },
  {
    name: "llama-server-key",
    missing: built,
    start: async (lab) => ({
      url: await lab.llamaServer("llama-server-key", ["--api-key", KEY]),
      apiKey: KEY,
    }),
  },
  {
    name: "portkey",
    missing: () => {
      if (built()) return built();
      const pkg = join(FIELD, "portkey/node_modules/@portkey-ai/gateway/build/start-server.js");
      return existsSync(pkg) ? undefined : "Portkey not installed (npm run field:build)";
    },
    start: async (lab) => {
      const backend = await lab.backendUrl();
      const port = await freePort();
      const entry = join(FIELD, "portkey/node_modules/@portkey-ai/gateway/build/start-server.js");
      // Portkey listens on every interface; the preload pins it to loopback.
      const loopback = join(ROOT, "scripts/field/loopback-only.mjs");
      const child = launch("portkey", process.execPath, [
        "--import",
        loopback,
        entry,
        `--port=${port}`,
        "--headless",
      ]);
      await waitFor(`http://127.0.0.1:${port}/`, child, 60);
      const routing = [`x-portkey-provider: openai`, `x-portkey-custom-host: ${backend}/v1`];
      // Portkey answers GET /v1/models with its own 500 ("Something went wrong") for a custom host, so, as a
      // user must, name the models.
      const probeArgs = ["--model", ALIAS, "--embedding-model", ALIAS];
      if (await probeHasHeaderFlag())
        return { url: `http://127.0.0.1:${port}/v1`, apiKey: KEY, headers: routing, probeArgs };
      return {
        url: `http://127.0.0.1:${port}/v1`,
        apiKey: KEY,
        note: "this aioc has no -H/--header: Portkey gets no routing headers",
      };
    },
  },
  {
    name: "llama-cpp-python",
    missing: () => {
      if (built()) return built();
      return existsSync(join(FIELD, "llama-cpp-python/bin/python"))
        ? undefined
        : "llama-cpp-python not installed (npm run field:build)";
    },
    // Its own OpenAI-compatible server (FastAPI) on the same tiny model: a second implementation of the engine.
    start: async () => {
      const port = await freePort();
      const child = launch("llama-cpp-python", join(FIELD, "llama-cpp-python/bin/python"), [
        ...["-m", "llama_cpp.server", "--model", MODEL, "--model_alias", ALIAS],
        ...["--host", "127.0.0.1", "--port", String(port), "--n_ctx", "4096", "--n_threads", "2"],
        ...["--embedding", "true", "--seed", "1", "--api_key", KEY],
      ]);
      await waitFor(`http://127.0.0.1:${port}/v1/models`, child, 180);
      return { url: `http://127.0.0.1:${port}`, apiKey: KEY };
    },
  },
  {
    name: "ollama",
    missing: () => {
      if (built()) return built();
      return existsSync(OLLAMA) ? undefined : "Ollama not built (npm run field:build)";
    },
    // `ollama serve` (its own server, Go + the llama.cpp runner) on loopback, everything in .field/ollama; the
    // tiny GGUF imported with a Modelfile. num_predict 64 / num_ctx 4096 / 2 parallel / 2 threads / seed 1 mirror
    // the llama-server flags (-n 64 -c 4096 -np 2 -t 2 --seed 1). Ollama has no API key.
    start: async () => {
      const port = await freePort();
      const dir = join(FIELD, "ollama");
      const env = {
        OLLAMA_HOST: `127.0.0.1:${port}`,
        OLLAMA_MODELS: join(dir, "models"),
        // its identity key (~/.ollama/id_ed25519) goes here, not into the user's home
        HOME: join(dir, "home"),
        OLLAMA_NUM_PARALLEL: "2",
        OLLAMA_CONTEXT_LENGTH: "4096",
        OLLAMA_KEEP_ALIVE: "60m",
        OLLAMA_NO_CLOUD: "1",
      };
      mkdirSync(env.HOME, { recursive: true });
      const child = launch("ollama", OLLAMA, ["serve"], env);
      await waitFor(`http://127.0.0.1:${port}/api/version`, child, 60);
      const modelfile = join(OUT, "ollama.Modelfile");
      writeFileSync(
        modelfile,
        [
          `FROM ${MODEL}`,
          // The GGUF's Qwen 2.5 jinja template is not one Ollama detects (template/index.json), which would leave
          // `{{ .Prompt }}` and no tools capability; a library model ships its Go template, so the lab does too.
          `TEMPLATE """${readFileSync(join(ROOT, "field/ollama/qwen2.5.gotmpl"), "utf8")}"""`,
          'PARAMETER stop "<|im_start|>"',
          'PARAMETER stop "<|im_end|>"',
          "PARAMETER num_predict 64",
          "PARAMETER num_ctx 4096",
          "PARAMETER num_thread 2",
          "PARAMETER seed 1",
          "",
        ].join("\n"),
      );
      await run(OLLAMA, ["create", OLLAMA_MODEL, "-f", modelfile], {
        env: { ...process.env, ...env },
        timeout: 300_000,
      });
      // /v1/models lists ids without capabilities, so aioc sniffs no embedding model; Ollama embeds with any
      // model (EmbedHandler asks for no capability), so name it, as a user must.
      return {
        url: `http://127.0.0.1:${port}`,
        probeArgs: ["--embedding-model", `${OLLAMA_MODEL}:latest`],
      };
    },
  },
  {
    name: "litellm",
    missing: () => {
      if (built()) return built();
      return existsSync(join(FIELD, "litellm/bin/litellm"))
        ? undefined
        : "LiteLLM not installed (npm run field:build)";
    },
    start: async (lab) => {
      const backend = await lab.backendUrl();
      const embeddingBackend = await lab.embeddingBackendUrl();
      const port = await freePort();
      const config = join(OUT, "litellm.yaml");
      const openai = (mode?: string) =>
        [
          `    litellm_params:`,
          `      model: openai/${ALIAS}`,
          `      api_base: ${mode === "embedding" ? embeddingBackend : backend}/v1`,
          `      api_key: none`,
          ...(mode ? [`    model_info:`, `      mode: ${mode}`] : []),
        ].join("\n");
      writeFileSync(
        config,
        [
          "model_list:",
          `  - model_name: ${ALIAS}`,
          openai(),
          `  - model_name: ${ALIAS}-embedding`,
          openai("embedding"),
          "general_settings:",
          `  master_key: ${KEY}`,
          "",
        ].join("\n"),
      );
      const child = launch("litellm", join(FIELD, "litellm/bin/litellm"), [
        ...["--config", config, "--host", "127.0.0.1", "--port", String(port), "--num_workers", "1"],
      ]);
      await waitFor(`http://127.0.0.1:${port}/health/liveliness`, child, 240);
      return { url: `http://127.0.0.1:${port}`, apiKey: KEY };
    },
  },
];

async function probe(name: string, started: Started): Promise<Report> {
  const report = join(OUT, `${name}.json`);
  const args = [join(ROOT, "bin/aioc.js"), "probe", started.url, "--name", name, "--format", "json"];
  args.push("--report", report, "--record", join(OUT, `${name}.recording.json`), "--fail-on", "never", "-q");
  // A tiny model on a busy 2-core machine: a few tokens per second, and requests queue for the 2 slots.
  args.push("--timeout", "120");
  if (started.apiKey) args.push("--api-key", started.apiKey);
  for (const h of started.headers ?? []) args.push("--header", h);
  args.push(...(started.probeArgs ?? []));
  // The python SDK rows depend on this machine's python, not on the server: CI checks them against aioc serve.
  args.push("--skip", "^client:openai-python/");
  await run(process.execPath, args, { env: { ...process.env, AIOC_API_KEY: "" }, maxBuffer: 64 << 20 });
  return JSON.parse(readFileSync(report, "utf8")) as Report;
}

function printMismatches(name: string, mismatches: Mismatch[]) {
  for (const m of mismatches) {
    console.log(
      `  ${m.known ? "known " : ""}MISMATCH ${m.id}\n    expected ${m.expected}\n    got      ${m.got}`,
    );
    if (m.known) console.log(`    (${m.known})`);
  }
  if (mismatches.length === 0) console.log(`  ${name}: every row matches its expectation`);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const onlyArg = argv.indexOf("--only");
  const only = onlyArg >= 0 ? new Set(argv[onlyArg + 1]?.split(",")) : undefined;
  mkdirSync(OUT, { recursive: true });
  const lab = new Lab();
  let bad = 0;
  let ran = 0;
  for (const target of TARGETS) {
    if (only && !only.has(target.name)) continue;
    const missing = target.missing();
    if (missing) {
      console.log(`${target.name}: not run: ${missing}`);
      continue;
    }
    let started: Started | undefined;
    let report: Report | undefined;
    // A server that dies under the probe (LiteLLM 1.106.12 segfaulted once in libpython3.11 in 2026-12-02's
    // runs) is said so and probed once more; a second death fails the target.
    for (let attempt = 1; attempt <= 2 && !report; attempt++) {
      const first = children.length;
      try {
        started = await target.start(lab);
      } catch (err) {
        console.log(
          `${target.name}: could not start: ${(err as Error).message} (log: ${join(LOGS, target.name)}.log)`,
        );
        break;
      }
      const probed = await probe(target.name, started);
      const dead = children.slice(first).find((c) => c.exitCode !== null || c.signalCode !== null);
      if (!dead) report = probed;
      else {
        const how = dead.signalCode ?? `exit code ${dead.exitCode}`;
        const log = join(LOGS, `${target.name}.crash-${attempt}.log`);
        copyFileSync(join(LOGS, `${target.name}.log`), log);
        console.log(`${target.name}: the server died during the probe (${how}; log kept as ${log})`);
      }
    }
    if (!report || !started) {
      bad++;
      continue;
    }
    ran++;
    const s = report.summary;
    console.log(
      `${target.name} (${started.url}${started.note ? `; ${started.note}` : ""}): ${s.PASS} PASS · ${s.WARN} WARN · ${s.FAIL} FAIL · ${s.SKIP} SKIP`,
    );
    if (argv.includes("--draft")) {
      writeFileSync(
        join(OUT, `${target.name}.draft.json`),
        `${JSON.stringify(draft(report, target.name, ""), null, 2)}\n`,
      );
    }
    if (argv.includes("--save-recording") && target.name === "llama-server-key") {
      mkdirSync(join(ROOT, "field/recordings"), { recursive: true });
      copyFileSync(
        join(OUT, `${target.name}.recording.json`),
        join(ROOT, "field/recordings/llama-server.json"),
      );
    }
    const file = join(ROOT, "field/expect", `${target.name}.json`);
    if (!existsSync(file)) {
      console.log(`  no expectation file ${file}`);
      bad++;
      continue;
    }
    const mismatches = compare(loadExpectation(file), report);
    const matched = report.results.length - mismatches.filter((m) => !m.got.startsWith("(row")).length;
    console.log(`  ${matched}/${report.results.length} rows match the expectation`);
    printMismatches(target.name, mismatches);
    bad += mismatches.length;
  }
  if (ran === 0) return 2;
  return bad ? 1 : 0;
}

function stopAll() {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
}
process.on("SIGINT", () => {
  stopAll();
  process.exit(130);
});
main().then(
  (code) => {
    stopAll();
    process.exitCode = code;
  },
  (err) => {
    stopAll();
    console.error(err);
    process.exitCode = 2;
  },
);
