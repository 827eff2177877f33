/**
 * What to probe: one target from the command line (URL argument or `$AIOC_BASE_URL`), or the targets of a config
 * file, with command-line options given explicitly applied on top of every target's own settings.
 */
import type { Group } from "../catalog/endpoints.js";
import { UsageError } from "../cli/errors.js";
import type { ConnectionFlags } from "../commands/connection-options.js";
import { type ProbeFlags, parseProbeFlags } from "../commands/probe.js";
import type { NetOptions } from "../http/agent.js";
import type { AuthScheme } from "../http/connection.js";
import { checkHeader, parseHeaderArgs } from "../http/credentials.js";
import type { ModelChoice } from "../probe/models.js";
import type { Capability } from "../probe/scope.js";
import { resolveApiKey } from "../probe/target.js";
import { configPath, loadConfig } from "./load.js";
import type { TargetConfig } from "./schema.js";

export interface TargetSpec {
  url: string;
  name?: string;
  key?: string;
  keySource?: string;
  headers: Record<string, string>;
  auth?: AuthScheme;
  net: NetOptions;
  /** Per-kind model overrides; `chat` is the first of `chatModels` when there is a list. */
  models: ModelChoice;
  /** Chat models to probe one after another (`--models`, or a list in the config). */
  chatModels: string[];
  allModels: boolean;
  maxModels: number;
  only?: RegExp;
  skip?: RegExp;
  groups?: Group[];
  /** Capabilities the server claims (`--expect`). */
  expect?: Capability[];
  /** Poll the target this long until it answers before probing (`--wait-ready`). */
  waitReadyMs?: number;
  clients: boolean;
  /** clients (issue #14): `--python PATH` for the client:openai-python rows. */
  python?: string;
  /** The parameter matrix at any depth (`--params`). */
  params?: boolean;
  skipPhaseB?: boolean;
  depth: "quick" | "standard" | "deep";
  failOn: "fail" | "warn" | "never";
  timeoutMs: number;
  concurrency: number;
  maxBodyBytes: number;
}

export interface ProbePlan {
  specs: TargetSpec[];
  /** Targets probed at once. */
  parallel: number;
  /** The config file used, if any. */
  config?: string;
}

export type Flags = ProbeFlags & ConnectionFlags;
/** Where a flag's value came from (commander's getOptionValueSource): "cli" when the user typed it. */
export type FlagSource = (name: string) => string | undefined;

const KINDS = ["embedding", "tts", "stt", "image", "video", "moderation"] as const;

export async function resolvePlan(
  url: string | undefined,
  flags: Flags,
  source: FlagSource = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<ProbePlan> {
  const given = (name: string) => source(name) === "cli";
  const path = url ? (flags.config ? "both" : undefined) : configPath(flags.config, env, cwd);
  if (path === "both")
    throw new UsageError("give a URL or --config, not both (the config names its targets' URLs)");
  const baseUrl = url ?? (flags.config || env.AIOC_CONFIG ? undefined : env.AIOC_BASE_URL);
  if (baseUrl || !path) {
    if (!baseUrl) {
      throw new UsageError(
        "missing URL: aioc probe URL (or $AIOC_BASE_URL, --config FILE, $AIOC_CONFIG, ./aioc.config.json)",
      );
    }
    const spec = fromFlags(baseUrl, {}, flags, () => true);
    const { key, source: keySource } = resolveApiKey(baseUrl, flags.apiKey, env);
    return { specs: [checkKey({ ...spec, key, keySource })], parallel: 1 };
  }
  const config = await loadConfig(path, env);
  const many = config.targets.length > 1;
  if (many && flags.apiKey) {
    throw new UsageError(
      "--api-key with several config targets: give each target its own apiKey (e.g. from an environment variable)",
    );
  }
  const specs = config.targets.map((t, i) => {
    const merged: TargetConfig = {
      ...config.defaults,
      ...t,
      headers: { ...config.defaults?.headers, ...t.headers },
      models: { ...config.defaults?.models, ...t.models },
      scope: { ...config.defaults?.scope, ...t.scope },
    };
    for (const [name, value] of Object.entries(merged.headers ?? {})) {
      checkHeader(name, value, `config ${path}: /targets/${i}/headers`);
    }
    const spec = fromFlags(t.url, merged, flags, given);
    // $AIOC_API_KEY is named for one target; with several, each names its own. $OPENAI_API_KEY still only goes
    // to OpenAI's host.
    const keyEnv = many ? { OPENAI_API_KEY: env.OPENAI_API_KEY } : env;
    const fromFlagOrEnv = resolveApiKey(t.url, flags.apiKey, keyEnv);
    const key = flags.apiKey
      ? fromFlagOrEnv
      : merged.apiKey
        ? { key: merged.apiKey, source: `config /targets/${i}/apiKey` }
        : fromFlagOrEnv;
    return checkKey({ ...spec, key: key.key, keySource: key.source });
  });
  return { specs, parallel: config.parallel ?? 4, config: path };
}

/** One target's settings: the config's values, then whatever the user typed on the command line. */
function fromFlags(url: string, c: TargetConfig, flags: Flags, given: (name: string) => boolean): TargetSpec {
  const pick = <T>(name: keyof Flags, fromConfig: T | undefined, fromFlag: T): T =>
    given(name) || fromConfig === undefined ? fromFlag : fromConfig;
  const parsed = parseProbeFlags({
    ...flags,
    only: pick("only", c.scope?.only, flags.only),
    skip: pick("skip", c.scope?.skip, flags.skip),
    group: pick("group", c.scope?.group, flags.group),
    expect: pick("expect", c.scope?.expect, flags.expect),
    timeout: pick("timeout", c.timeout === undefined ? undefined : String(c.timeout), flags.timeout),
    concurrency: pick(
      "concurrency",
      c.concurrency === undefined ? undefined : String(c.concurrency),
      flags.concurrency,
    ),
  });
  const chatList = flags.models
    ? splitList(flags.models)
    : Array.isArray(c.models?.chat)
      ? c.models.chat
      : c.models?.chat
        ? [c.models.chat]
        : [];
  const chatModels = flags.model ? [flags.model] : chatList;
  const models: ModelChoice = {};
  if (chatModels[0]) models.chat = chatModels[0];
  for (const kind of KINDS) {
    const flag = flags[`${kind}Model` as keyof Flags] as string | undefined;
    const value = flag ?? (c.models?.[kind] as string | undefined);
    if (value) models[kind] = value;
  }
  const maxModels = Number(
    pick("maxModels", c.maxModels === undefined ? undefined : String(c.maxModels), flags.maxModels ?? "3"),
  );
  if (!Number.isInteger(maxModels) || maxModels < 1) {
    throw new UsageError(`--max-models must be a whole number ≥ 1, got "${flags.maxModels}"`);
  }
  const headers = { ...lower(c.headers), ...parseHeaderArgs(flags.header ?? []) };
  const proxy = flags.proxy === false ? "" : (flags.proxy ?? c.proxy);
  return {
    url,
    name: flags.name ?? c.name,
    headers,
    auth: flags.auth ?? c.auth,
    net: {
      proxy,
      caFile: flags.caFile ?? c.caFile,
      insecure: flags.insecure ?? c.insecure,
    },
    models,
    chatModels: chatModels.length > 1 ? chatModels : [],
    allModels: !!(flags.allModels ?? c.allModels),
    maxModels,
    only: parsed.only,
    skip: parsed.skip,
    groups: parsed.groups,
    expect: parsed.expect,
    waitReadyMs: parsed.waitReadyMs,
    clients: pick("clients", c.scope?.clients, flags.clients),
    python: flags.python, // clients (issue #14)
    params: flags.params === true,
    skipPhaseB: pick("skipPhaseB", c.scope?.skipPhaseB, flags.skipPhaseB),
    depth: pick("depth", c.depth, flags.depth),
    failOn: pick("failOn", c.failOn, flags.failOn),
    timeoutMs: parsed.timeoutMs,
    concurrency: parsed.concurrency,
    maxBodyBytes: parsed.maxBodyBytes,
  };
}

function checkKey(spec: TargetSpec): TargetSpec {
  // A key with a stray newline (a quoted env var, a pasted file) cannot go in a header; say so once, up front.
  if (spec.key !== undefined && !/^[\x21-\x7e]+$/.test(spec.key)) {
    throw new UsageError(
      `the API key from ${spec.keySource} contains spaces, control or non-ASCII characters`,
    );
  }
  return spec;
}

function splitList(s: string): string[] {
  return [
    ...new Set(
      s
        .split(",")
        .map((m) => m.trim())
        .filter(Boolean),
    ),
  ];
}

function lower(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}
