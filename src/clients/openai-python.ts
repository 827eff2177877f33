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
import { firstChoiceOf, judgeContent, judgeEmbedding, judgeForcedCall, judgeText } from "./judge.js";
import type { PythonTarget } from "./python-target.js";
import { type ClientResult, fail, pass, warn } from "./types.js";

/** The child's stdout is cut at this many bytes (an embedding of a few thousand floats fits easily). */
export const MAX_OUTPUT_BYTES = 4 << 20;
const MAX_STDERR_BYTES = 16 << 10;
/**
 * Python's start and the SDK's import (up to the `ready` line), then the call: each phase gets the request timeout
 * plus this, which keeps it inside the row's watchdog (timeout + 10 s, probe/watchdog.ts; `ready` re-arms it).
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
  ok: boolean;
  value?: unknown;
  error?: string;
  unavailable?: string;
  requests?: number;
  status?: number | null;
}

type RunOutcome = { out: ChildOutput } | { broken: string } | { unavailable: string };

export interface RunLimits {
  /** From spawn to the `ready` line (python started, SDK imported). */
  startupMs: number;
  /** From `ready` to the result: the call itself. */
  callMs: number;
  /** The SDK is imported: the call starts now (the row's watchdog is told). */
  onReady?: () => void;
}

/** Only what python needs to start and find its proxy; never the parent's whole environment (keys live there). */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = { PYTHONIOENCODING: "utf-8", PYTHONDONTWRITEBYTECODE: "1" };
  const names = ["PATH", "HOME", "LANG", "SYSTEMROOT", "VIRTUAL_ENV", "PYTHONPATH"];
  for (const p of ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"]) names.push(p, p.toLowerCase());
  for (const name of names) if (process.env[name]) env[name] = process.env[name]!;
  return env;
}

/**
 * Runs the script: waits for its `ready` line, then writes `config` (the key is only ever there) to its stdin.
 * Each phase has a deadline after which the child is killed; its output is capped.
 */
export function runPython(python: string, config: object, limits: RunLimits): Promise<RunOutcome> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(python, [scriptPath()], { env: childEnv(), stdio: ["pipe", "pipe", "pipe"] });
    } catch (err) {
      resolve({ unavailable: `cannot start ${python}: ${(err as Error).message}` });
      return;
    }
    let out = "";
    let outBytes = 0;
    let errText = "";
    let ready = false;
    let answered = false;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (r: RunOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      resolve(r);
    };
    const arm = (ms: number, what: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ broken: `${what} within ${Math.round(ms / 1000)} s (killed)` }), ms);
    };
    arm(limits.startupMs, `${python} did not start the python SDK`);
    child.stdout!.on("data", (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > MAX_OUTPUT_BYTES) {
        finish({ broken: `the python SDK printed over ${MAX_OUTPUT_BYTES} bytes (killed)` });
        return;
      }
      out += b.toString("utf8");
      const nl = out.indexOf("\n");
      if (ready || answered || nl < 0) return;
      // The first line is `ready`, or the runner's only answer (the SDK could not be imported).
      if ((tryJson(out.slice(0, nl)) as { ready?: unknown } | undefined)?.ready !== true) {
        answered = true;
        return;
      }
      ready = true;
      out = out.slice(nl + 1);
      limits.onReady?.();
      arm(limits.callMs, "the python SDK call did not finish");
      child.stdin!.end(JSON.stringify(config));
    });
    child.stderr!.on("data", (b: Buffer) => {
      if (errText.length < MAX_STDERR_BYTES) errText += b.toString("utf8");
    });
    child.on("error", (err) => finish({ unavailable: `cannot start ${python}: ${err.message}` }));
    child.on("close", (code) => {
      const parsed = tryJson(out.trim()) as ChildOutput | undefined;
      if (parsed?.unavailable) finish({ unavailable: `${python}: ${parsed.unavailable}` });
      else if (parsed && ready) finish({ out: parsed });
      else {
        const last = errText.trim().split("\n").at(-1) ?? "";
        finish({
          broken: `the python runner exited ${code} without a result${last ? `: ${last.slice(0, 200)}` : ""}`,
        });
      }
    });
    child.stdin!.on("error", () => {}); // a child that dies early closes stdin; the close handler reports it
  });
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Pythons found unusable in this process (no SDK, not found): later rows skip at once. */
const unusable = new Map<string, string>();
/**
 * A python's first start in this process, until it has imported the SDK or failed to: the other rows wait for it
 * (outside the concurrency cap) instead of each starting a python that may lack the SDK.
 */
const firstStart = new Map<string, { known: Promise<void>; settle: () => void }>();

/**
 * Undefined when this row may start the python: it is the first, or the first found the SDK. The skip detail
 * when the first found the python unusable. Later rows wait here for the first's answer.
 */
export async function pythonUnusable(target: PythonTarget): Promise<string | undefined> {
  const python = target.python ?? "python3";
  const first = firstStart.get(python);
  if (!first) {
    let settle = () => {};
    const known = new Promise<void>((resolve) => (settle = resolve));
    firstStart.set(python, { known, settle });
    return undefined;
  }
  await first.known;
  const known = unusable.get(python);
  return known ? `not run: ${known}; ${ENABLE_HINT}` : undefined;
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
  responses: (v) => {
    const r = (v ?? {}) as { object?: unknown; outputIsList?: boolean; output_text?: unknown };
    if (r.object !== "response") return fail(`object is ${excerpt(r.object)}, not "response"`);
    if (!r.outputIsList) return fail("output is not an array");
    return judgeText(r.output_text, "output_text", "output_text");
  },
  embeddings: (v, base) => {
    const { vector, sent } = (v ?? {}) as { vector?: unknown; sent?: unknown };
    return judgeEmbedding(
      vector,
      base,
      sent === undefined || sent === null ? undefined : { embedding: sent, askedBase64: true },
    );
  },
};

/** One python row: the call, its judgement, with secrets scrubbed from anything python printed. */
export async function runPythonRow(
  target: PythonTarget,
  call: string,
  model: string,
  baseVector: number[] | undefined,
  onReady?: () => void,
): Promise<PythonRowResult | { skip: string }> {
  if (target.routed)
    return { skip: "not run: the python SDK rows do not carry over Azure deployment routes" };
  const python = target.python ?? "python3";
  const known = unusable.get(python);
  if (known) return { skip: `not run: ${known}; ${ENABLE_HINT}` };
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
  const settleFirst = () => firstStart.get(python)?.settle();
  const r = await runPython(python, config, {
    startupMs: target.timeoutMs + SLACK_MS,
    callMs: target.timeoutMs + SLACK_MS,
    onReady: () => {
      settleFirst();
      onReady?.();
    },
  });
  if ("unavailable" in r) unusable.set(python, r.unavailable);
  settleFirst();
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
