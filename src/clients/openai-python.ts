/**
 * `client:openai-python/*`: the official Python SDK (`openai`) against the target, run as a child process of a
 * python that has it (`--python PATH`, else `python3` on PATH). python/aioc_openai.py makes one SDK call and prints
 * what the SDK returned as JSON; aioc judges it with the same rules as the Node SDK rows.
 *
 * Unlike the Node clients, the HTTP goes from python to the target directly, not through aioc's transport: its
 * requests are not counted in the report, not recorded, and not under aioc's body cap (the child's output is).
 * Carried over: base URL, the key and its header (via stdin, never argv or the environment), extra headers,
 * `--proxy`/`--no-proxy`, `--insecure`, `--ca-file`, the per-request timeout. Not carried over: Azure deployment
 * routes (the rows SKIP), aioc's redirect policy (the SDK follows none), aioc's loopback-proxy exception (httpx
 * applies environment proxies by its own rules, NO_PROXY included).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PROMPT } from "../checks/chat.js";
import { excerpt, FORCE_TOOL, TOOL_PROMPT, userMessage, WEATHER_TOOL } from "../checks/chat-depth.js";
import { Scrubber } from "../secrets/scrubber.js";
import { firstChoiceOf, judgeContent, judgeEmbedding, judgeForcedCall, judgeResponse } from "./judge.js";
import type { PythonTarget } from "./python-target.js";
import { type ClientResult, fail, pass, warn } from "./types.js";

/** The child's stdout is cut at this many bytes (an embedding of a few thousand floats fits easily). */
export const MAX_OUTPUT_BYTES = 4 << 20;
const MAX_STDERR_BYTES = 16 << 10;
/**
 * Python's start and the SDK's import (up to the `ready` line), then each call: each gets the request timeout plus
 * this. A call runs under its row's watchdog (timeout + 10 s, probe/watchdog.ts); the start runs before, uncapped.
 */
const SLACK_MS = 8_000;
const ENABLE_HINT =
  "needs python3 with the openai package (pip install -r python/requirements.txt from the aioc package), or --python PATH to such a python";

/** The runner script, next to dist/ in the package, or at the repository root when run from src/. */
function scriptPath(): string {
  const candidates = ["../python/aioc_openai.py", "../../python/aioc_openai.py"].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

interface ChildOutput {
  id?: number;
  ok: boolean;
  value?: unknown;
  error?: string;
  unavailable?: string;
  requests?: number;
  status?: number | null;
}

export type RunOutcome = { out: ChildOutput } | { broken: string } | { unavailable: string };

/** Only what python needs to start and find its proxy; never the parent's whole environment (keys live there). */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = { PYTHONIOENCODING: "utf-8", PYTHONDONTWRITEBYTECODE: "1" };
  const names = ["PATH", "HOME", "LANG", "SYSTEMROOT", "VIRTUAL_ENV", "PYTHONPATH"];
  for (const p of ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"]) names.push(p, p.toLowerCase());
  for (const name of names) if (process.env[name]) env[name] = process.env[name]!;
  return env;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Ended = { unavailable: string } | { broken: string };
type Started = { ok: true } | Ended;

/**
 * One python running the runner script for a whole probe: it starts (and imports the SDK) once, outside the
 * concurrency cap, then takes one call per stdin line and answers each on a stdout line, calls running side by
 * side. The key travels only in those lines. Start-up and each call have a deadline; each answer line is capped;
 * a session that breaks (dies, overflows) fails its pending calls, and later ones say so.
 */
export class PythonSession {
  readonly started: Promise<Started>;
  private child: ReturnType<typeof spawn> | undefined;
  private readonly pending = new Map<number, { resolve: (r: RunOutcome) => void; timer: NodeJS.Timeout }>();
  private nextId = 0;
  private out = "";
  private errText = "";
  private ended: Ended | undefined;
  private markStarted: (s: Started) => void = () => {};

  constructor(
    readonly python: string,
    startupMs: number,
  ) {
    this.started = new Promise((resolve) => {
      this.markStarted = resolve;
    });
    try {
      this.child = spawn(python, [scriptPath()], { env: childEnv(), stdio: ["pipe", "pipe", "pipe"] });
    } catch (err) {
      this.end({ unavailable: `cannot start ${python}: ${(err as Error).message}` });
      return;
    }
    const child = this.child;
    const startTimer = setTimeout(() => {
      const s = Math.round(startupMs / 1000);
      this.end({ broken: `${python} did not start the python SDK within ${s} s (killed)` });
    }, startupMs);
    void this.started.then(() => clearTimeout(startTimer));
    child.stdout!.on("data", (b: Buffer) => this.onStdout(b.toString("utf8")));
    child.stderr!.on("data", (b: Buffer) => {
      if (this.errText.length < MAX_STDERR_BYTES) this.errText += b.toString("utf8");
    });
    child.on("error", (err) => this.end({ unavailable: `cannot start ${python}: ${err.message}` }));
    child.on("close", (code) => {
      const last = this.errText.trim().split("\n").at(-1) ?? "";
      this.end({
        broken: `the python runner exited ${code} without a result${last ? `: ${last.slice(0, 200)}` : ""}`,
      });
    });
    child.stdin!.on("error", () => {}); // a child that dies early closes stdin; the close handler reports it
    this.idle();
  }

  /** One SDK call; the session numbers it (`id`) and matches the answer line to it. */
  async call(config: object, callMs: number): Promise<RunOutcome> {
    const started = await this.started;
    if (!("ok" in started)) return started;
    if (this.ended) return this.ended;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.idle();
        resolve({ broken: `the python SDK call did not finish within ${Math.round(callMs / 1000)} s` });
      }, callMs);
      this.pending.set(id, { resolve, timer });
      this.child!.ref();
      this.child!.stdin!.write(`${JSON.stringify({ ...config, id })}\n`);
    });
  }

  /** No more calls: python finishes what it has and exits; killed if it lingers. */
  close(): void {
    if (this.ended || !this.child) return;
    this.child.stdin!.end();
    setTimeout(() => this.end({ broken: "the python session was closed" }), 5_000).unref();
  }

  private onStdout(text: string): void {
    this.out += text;
    for (let nl = this.out.indexOf("\n"); nl >= 0; nl = this.out.indexOf("\n")) {
      const line = this.out.slice(0, nl);
      this.out = this.out.slice(nl + 1);
      this.onLine(line);
    }
    if (this.out.length > MAX_OUTPUT_BYTES)
      this.end({ broken: `the python SDK printed over ${MAX_OUTPUT_BYTES} bytes (killed)` });
  }

  private onLine(line: string): void {
    const parsed = tryJson(line) as (ChildOutput & { ready?: unknown }) | undefined;
    if (!parsed) return;
    if (parsed.ready === true) {
      this.markStarted({ ok: true });
      return;
    }
    // Before `ready`, the runner's only line says why the SDK cannot be imported.
    if (parsed.unavailable) {
      this.end({ unavailable: `${this.python}: ${parsed.unavailable}` });
      return;
    }
    const id = parsed.id;
    const call = typeof id === "number" ? this.pending.get(id) : undefined;
    if (!call) return;
    this.pending.delete(id!);
    clearTimeout(call.timer);
    call.resolve({ out: parsed });
    this.idle();
  }

  /** An idle session must not keep the process alive. */
  private idle(): void {
    if (this.pending.size === 0) {
      this.child?.unref();
      for (const s of [this.child?.stdin, this.child?.stdout, this.child?.stderr])
        (s as unknown as { unref?: () => void } | undefined)?.unref?.();
    }
  }

  private end(why: Ended): void {
    if (this.ended) return;
    this.ended = why;
    this.markStarted(why);
    this.child?.kill("SIGKILL");
    for (const { resolve, timer } of this.pending.values()) {
      clearTimeout(timer);
      resolve(why);
    }
    this.pending.clear();
  }
}

/** One session per run's python target, started when the plan has python rows (probe/run.ts). */
const sessions = new WeakMap<PythonTarget, PythonSession>();

export function pythonSession(target: PythonTarget): PythonSession {
  let session = sessions.get(target);
  if (!session) {
    session = new PythonSession(target.python ?? "python3", target.timeoutMs + SLACK_MS);
    sessions.set(target, session);
  }
  return session;
}

export function closePythonSession(target: PythonTarget): void {
  sessions.get(target)?.close();
}

/** The skip detail when the run's python cannot run the SDK rows (waits for its start). */
export async function pythonUnusable(target: PythonTarget): Promise<string | undefined> {
  if (target.routed) return "not run: the python SDK rows do not carry over Azure deployment routes";
  const started = await pythonSession(target).started;
  return "unavailable" in started ? `not run: ${started.unavailable}; ${ENABLE_HINT}` : undefined;
}

/** The result of one python row: its judgement, and what the child said about its HTTP. */
export interface PythonRowResult {
  result: ClientResult;
  status: number | null;
  requests: number;
}

type Judge = (value: unknown, baseVector: number[] | undefined) => ClientResult;

const JUDGES: Record<string, Judge> = {
  chat: (v) => {
    const first = firstChoiceOf(v);
    return "result" in first ? first.result : judgeContent(first.choice.message);
  },
  "chat.stream": (v) => {
    const { chunks, text } = (v ?? {}) as { chunks?: number; text?: string };
    if (!chunks) return fail("the stream yielded no chunks");
    return text ? pass(`${chunks} chunks ${excerpt(text)}`) : warn("streamed no content (model behaviour)");
  },
  tools: (v) => {
    const first = firstChoiceOf(v);
    if ("result" in first) return first.result;
    const m = first.choice.message;
    const raw = Array.isArray(m?.tool_calls) ? m.tool_calls : [];
    const calls = raw.map((c) => {
      const fn = (c as { function?: { name?: unknown; arguments?: unknown } })?.function;
      return { name: fn?.name, arguments: fn?.arguments };
    });
    return judgeForcedCall(
      {
        calls,
        content: m?.content,
        reasoning: typeof m?.reasoning_content === "string" ? m.reasoning_content : "",
        finish: (first.choice as { finish_reason?: unknown }).finish_reason,
      },
      "/choices/0/message/tool_calls",
    );
  },
  // python sends the status, the error and the message parts' types (aioc_openai.py responses()).
  responses: (v) => judgeResponse((v ?? {}) as Parameters<typeof judgeResponse>[0]),
  embeddings: (v, base) => {
    const { vector, sent } = (v ?? {}) as { vector?: unknown; sent?: unknown };
    return judgeEmbedding(
      vector,
      base,
      sent === undefined || sent === null ? undefined : { embedding: sent, askedBase64: true },
    );
  },
};

/**
 * One python row: the call, its judgement, with secrets scrubbed from anything python printed. The caller asks
 * `pythonUnusable` first (outside the concurrency cap).
 */
export async function runPythonRow(
  target: PythonTarget,
  call: string,
  model: string,
  baseVector: number[] | undefined,
): Promise<PythonRowResult | { skip: string }> {
  const judge = JUDGES[call];
  if (!judge) throw new Error(`no openai-python call ${call}`);
  const config = {
    call,
    model,
    baseUrl: target.baseUrl,
    apiKey: target.apiKey,
    auth: target.auth,
    headers: target.headers,
    proxy: target.proxy,
    insecure: target.insecure,
    caFile: target.caFile,
    timeoutS: target.timeoutMs / 1000,
    prompt: PROMPT,
    messages: userMessage(PROMPT),
    toolMessages: userMessage(TOOL_PROMPT),
    tool: WEATHER_TOOL,
    toolChoice: FORCE_TOOL,
  };
  const r = await pythonSession(target).call(config, target.timeoutMs + SLACK_MS);
  if ("unavailable" in r) return { skip: `not run: ${r.unavailable}; ${ENABLE_HINT}` };
  const scrub = new Scrubber([target.apiKey, ...target.secrets]);
  if ("broken" in r) return { result: fail(scrub.text(r.broken)), status: null, requests: 0 };
  const { out } = r;
  const status = typeof out.status === "number" ? out.status : null;
  const requests = typeof out.requests === "number" ? out.requests : 0;
  if (!out.ok) {
    const error = scrub.text(out.error ?? "failed without a message");
    return { result: fail(`openai-python raised ${error}`), status, requests };
  }
  const result = judge(out.value, baseVector);
  return { result: { ...result, detail: scrub.text(result.detail) }, status, requests };
}
