/**
 * Scope: which capabilities the server offers, so a route it never claimed is "not offered" rather than FAIL.
 * Absent rows are graded by one rule, said in the report: the user's `--expect`, else what the server says about
 * itself (capability fields in `/v1/models`, or its own `/openapi.json`), else the row's kind (core absent = FAIL,
 * ext/ours absent = WARN). A pure pass over graded results: it never changes a row whose route exists.
 */

import { ENDPOINTS } from "../catalog/endpoints.js";
import { UsageError } from "../cli/errors.js";
import { documentPrefix, prefixed } from "../declared/resolve.js";
import type { Result } from "../report/types.js";
import { answeredLikeNoRoute } from "./calibrate.js";

export const CAPABILITIES = [
  "models",
  "chat",
  "completions",
  "responses",
  "embeddings",
  "tts",
  "stt",
  "translations",
  "images",
  "image-variations",
  "videos",
  "moderations",
  "files",
  "fine-tuning",
  "batches",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Named scopes for common stacks; they combine with each other and with capabilities. */
export const SCOPE_PRESETS: Record<string, readonly Capability[]> = {
  /** A local LLM server (llama.cpp, vLLM, Ollama, LM Studio): text generation and embeddings. */
  llm: ["chat", "completions", "embeddings"],
  /** A speech server (Speaches, faster-whisper-server, Kokoro-FastAPI): speech in and out. */
  speech: ["tts", "stt"],
  /** A gateway in front of OpenAI (LiteLLM, Portkey, OpenRouter-style): what most clients call. */
  gateway: ["chat", "completions", "responses", "embeddings", "tts", "stt", "images", "moderations"],
  /** Everything OpenAI serves. */
  all: CAPABILITIES.filter((c) => c !== "models"),
};

/** The capability a catalog path belongs to (client rows carry their base row's path). */
export function capabilityOf(path: string): Capability {
  const exact: Record<string, Capability> = {
    "/v1/chat/completions": "chat",
    "/v1/completions": "completions",
    "/v1/responses": "responses",
    "/v1/embeddings": "embeddings",
    "/v1/audio/speech": "tts",
    "/v1/audio/transcriptions": "stt",
    "/v1/audio/translations": "translations",
    "/v1/images/generations": "images",
    "/v1/images/edits": "images",
    "/v1/images/variations": "image-variations",
    "/v1/moderations": "moderations",
    "/v1/files": "files",
    "/v1/fine_tuning/jobs": "fine-tuning",
    "/v1/batches": "batches",
  };
  if (exact[path]) return exact[path];
  if (path.startsWith("/v1/videos")) return "videos";
  return "models";
}

/** Parses `--expect` (capabilities and presets, comma separated); `models` is always in scope. */
export function parseExpect(value: string): Capability[] {
  const caps = new Set<Capability>(["models"]);
  for (const word of value
    .split(",")
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean)) {
    const preset = SCOPE_PRESETS[word];
    if (preset) for (const c of preset) caps.add(c);
    else if ((CAPABILITIES as readonly string[]).includes(word)) caps.add(word as Capability);
    else {
      const names = [...CAPABILITIES.filter((c) => c !== "models"), ...Object.keys(SCOPE_PRESETS)];
      throw new UsageError(`--expect: unknown capability "${word}"; expected any of ${names.join(", ")}`);
    }
  }
  if (caps.size === 1) throw new UsageError("--expect needs at least one capability, e.g. --expect chat");
  return CAPABILITIES.filter((c) => caps.has(c));
}

export type ScopeRule =
  | { rule: "expect"; expected: readonly Capability[] }
  /** The server's self-description: the capabilities it claims, and where it said so. */
  | { rule: "server"; claimed: ReadonlySet<Capability>; source: string; paths?: ReadonlySet<string> }
  | { rule: "kind" };

/** What the report says about the rule (JSON report `scope`). */
export interface ScopeNote {
  rule: "expect" | "server" | "kind";
  /** One line for people: which rule graded the absent rows. */
  text: string;
  /** The capabilities in scope (`expect`) or claimed by the server (`server`). */
  capabilities?: string[];
  /** How many rows were absent. */
  absent: number;
}

/**
 * A row whose route the existence rules found absent: 404 without a model complaint, 501, or any answer equal to
 * the one a path that cannot exist gets (a framework's uniform 405, a catch-all's 400: calibrate.ts), or a 405 to
 * a GET (the path serves only another method).
 */
export function isAbsence(r: Result): boolean {
  return (
    r.phase === "A" &&
    (r.httpStatus === 404 ||
      r.httpStatus === 501 ||
      (r.httpStatus === 405 && r.method === "GET") ||
      answeredLikeNoRoute(r)) &&
    (r.status === "FAIL" || r.status === "WARN")
  );
}

/** Words servers use in capability/type/mode fields, mapped to the capabilities they imply. */
const CAPABILITY_WORDS: [RegExp, Capability[]][] = [
  [
    /^(completion|completions|chat|completion_chat|chat_completion|text|text-generation|text_generation|llm|vlm|language|code|responses|generate|instruct)$/,
    ["chat", "completions", "responses"],
  ],
  [/^(embedding|embeddings|embed|feature-extraction|text-embedding)$/, ["embeddings"]],
  [/^(tts|speech|audio_speech|text-to-speech|text_to_speech)$/, ["tts"]],
  [
    /^(stt|asr|transcription|transcriptions|audio_transcription|automatic-speech-recognition|speech-to-text|speech_to_text)$/,
    ["stt", "translations"],
  ],
  [/^(image|images|image_generation|text-to-image|text_to_image|image-generation)$/, ["images"]],
  [/^(video|videos|video_generation|text-to-video)$/, ["videos"]],
  [/^(moderation|moderations|safety)$/, ["moderations"]],
];

function wordCapabilities(word: string): Capability[] {
  const w = word.trim().toLowerCase();
  for (const [re, caps] of CAPABILITY_WORDS) if (re.test(w)) return caps;
  return [];
}

const MAX_MODELS_SCANNED = 1000;

/** The words one model entry uses to say what it can do (capabilities, type, mode, task, modalities). */
function modelWords(entry: unknown): string[] {
  if (!entry || typeof entry !== "object") return [];
  const m = entry as Record<string, unknown>;
  const words: string[] = [];
  const push = (v: unknown) => {
    if (typeof v === "string") words.push(v);
    else if (Array.isArray(v)) {
      for (const x of v.slice(0, 32)) if (typeof x === "string") words.push(x);
    } else if (v && typeof v === "object") {
      for (const [k, on] of Object.entries(v).slice(0, 32)) if (on === true) words.push(k);
    }
  };
  push(m.capabilities);
  push(m.type);
  push(m.mode);
  push(m.task);
  const info = m.model_info;
  if (info && typeof info === "object") push((info as Record<string, unknown>).mode);
  const arch = m.architecture;
  if (arch && typeof arch === "object") {
    const a = arch as Record<string, unknown>;
    push(a.output_modalities);
    // OpenRouter's "text+image->text": the output side says what the model produces.
    if (typeof a.modality === "string") push(a.modality.split("->").at(-1)?.split("+"));
  }
  return words;
}

/**
 * The capabilities `/v1/models` claims through metadata fields (llama.cpp's `models[].capabilities`, LM Studio and
 * Together's `type`, LiteLLM's `mode`, OpenRouter's modalities…). undefined when no entry says anything we know:
 * model names alone are a guess, not the server's word.
 */
export function claimsFromModels(json: unknown): Set<Capability> | undefined {
  if (!json || typeof json !== "object") return undefined;
  const body = json as Record<string, unknown>;
  const entries = [body.data, body.models]
    .filter(Array.isArray)
    .flatMap((a) => (a as unknown[]).slice(0, MAX_MODELS_SCANNED));
  const claimed = new Set<Capability>();
  for (const entry of entries)
    for (const word of modelWords(entry)) for (const c of wordCapabilities(word)) claimed.add(c);
  return claimed.size > 0 ? claimed : undefined;
}

/** `/v1/chat/completions/{id}` → `/v1/chat/completions/{}`: parameter names differ between documents. */
export const templateKey = (path: string) => path.replace(/\{[^}]*\}/g, "{}").replace(/\/+$/, "");

/**
 * The catalog paths a server's own OpenAPI document lists; undefined unless it is one that lists at least one
 * OpenAI route (a generic app's document says nothing about OpenAI routes).
 */
export function pathsFromOpenapi(json: unknown): Set<string> | undefined {
  const paths = (json as { paths?: unknown } | undefined)?.paths;
  if (!paths || typeof paths !== "object" || Array.isArray(paths)) return undefined;
  // Under the document's own prefix (servers[0].url, Swagger 2's basePath), as openapi:declared reads it.
  const prefix = documentPrefix(json);
  const keys = new Set(
    Object.keys(paths)
      .slice(0, 5000)
      .map((raw) => templateKey(prefixed(prefix, raw))),
  );
  const openai = ["/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/models"];
  return openai.some((p) => keys.has(p)) ? keys : undefined;
}

/** The `/openapi.json` claims, as a server rule. */
export function openapiRule(paths: ReadonlySet<string>): ScopeRule {
  const claimed = new Set<Capability>(["models"]);
  for (const p of paths) if (p.startsWith("/v1/")) claimed.add(capabilityOf(p));
  return { rule: "server", claimed, source: "its /openapi.json", paths };
}

function code(r: Result): string {
  return String(r.httpStatus);
}

const NEEDS = new Map(ENDPOINTS.map((e) => [e.id, e.needs]));

/** How a row built on an absent base row says why it was skipped (checks/depth.ts). */
export const BASE_ABSENT = / (absent|answers like a path that cannot exist) \(\d+\)$/;

/** Re-grades absent rows by the rule; rows skipped only because such a row is absent say it is not offered. */
export function applyScope(results: readonly Result[], scope: ScopeRule): Result[] {
  const graded = regradeAbsences(results, scope);
  const notOfferedIds = new Set(graded.filter((r) => r.detail.startsWith("not offered")).map((r) => r.id));
  return graded.map((r) => {
    const needs = NEEDS.get(r.id);
    if (r.status !== "SKIP" || !needs || !notOfferedIds.has(needs) || !BASE_ABSENT.test(r.detail)) return r;
    return { ...r, detail: `base row ${needs} not offered` };
  });
}

function regradeAbsences(results: readonly Result[], scope: ScopeRule): Result[] {
  return results.map((r) => {
    if (!isAbsence(r)) return r;
    const cap = capabilityOf(r.path);
    // Discovery is always in scope, and how its absences are graded (a missing retrieve route is a catalogued
    // deviation) is the kind rule's business.
    if (cap === "models") return r;
    if (scope.rule === "expect") {
      if (scope.expected.includes(cap)) {
        const what =
          r.httpStatus === 501
            ? "not implemented"
            : answeredLikeNoRoute(r)
              ? "answers like a path that cannot exist (absent)"
              : "endpoint absent";
        return {
          ...r,
          status: "FAIL",
          detail: `${code(r)} — ${what}, but --expect includes ${cap}`,
          problems: r.problems.length > 0 ? r.problems : [absentProblem(r)],
        };
      }
      return notOffered(r, "outside --expect");
    }
    if (scope.rule === "server") {
      const listed = scope.paths?.has(templateKey(r.path));
      if (listed) {
        return {
          ...r,
          status: "FAIL",
          detail: `${code(r)} — endpoint absent, although ${scope.source} lists it`,
          problems: r.problems.length > 0 ? r.problems : [absentProblem(r)],
        };
      }
      if (scope.claimed.has(cap)) return r;
      return notOffered(r, scope.paths ? `not in ${scope.source}` : `the server claims no ${cap} capability`);
    }
    return r;
  });
}

function absentProblem(r: Result) {
  return { pointer: "status", expected: "the route to exist", got: code(r), severity: "fail" as const };
}

function notOffered(r: Result, why: string): Result {
  return { ...r, status: "SKIP", detail: `not offered (${code(r)}); ${why}`, problems: [], deviations: [] };
}

/** The report's line about how `absent` absent rows were graded. */
export function describeScope(scope: ScopeRule, absent: number): ScopeNote {
  if (scope.rule === "expect") {
    const caps = scope.expected.filter((c) => c !== "models");
    return {
      rule: "expect",
      text: `scope: --expect ${caps.join(",")}; absent routes outside it are "not offered" (SKIP), inside it FAIL`,
      capabilities: [...caps],
      absent,
    };
  }
  if (scope.rule === "server") {
    const caps = [...scope.claimed].filter((c) => c !== "models");
    return {
      rule: "server",
      text: `scope: from ${scope.source} (${caps.join(", ") || "nothing"}); absent routes it does not claim are "not offered" (SKIP); --expect CAPS overrides`,
      capabilities: caps,
      absent,
    };
  }
  return {
    rule: "kind",
    text: "scope: by row kind (absent core route = FAIL, absent extension = WARN); --expect CAPS says what the server offers",
    absent,
  };
}

export interface ScopeInputs {
  expect?: readonly Capability[];
  /** The `/v1/models` body. */
  modelsJson: unknown;
  /** Fetches and parses the server's `/openapi.json`; asked only when it could change a verdict. */
  fetchOpenapi: () => Promise<unknown>;
}

/** Picks the rule, applies it, and says which it was. */
export async function scopeResults(
  results: readonly Result[],
  inputs: ScopeInputs,
): Promise<{ results: Result[]; scope: ScopeNote }> {
  const absent = results.filter(isAbsence).length;
  let rule: ScopeRule = { rule: "kind" };
  if (inputs.expect) rule = { rule: "expect", expected: inputs.expect };
  else {
    const claimed = claimsFromModels(inputs.modelsJson);
    if (claimed) rule = { rule: "server", claimed: claimed.add("models"), source: "/v1/models" };
    else if (absent > 0) {
      // Only worth a request when some row is absent: that is the only verdict a document could change.
      const paths = pathsFromOpenapi(await inputs.fetchOpenapi().catch(() => undefined));
      if (paths) rule = openapiRule(paths);
    }
  }
  return { results: applyScope(results, rule), scope: describeScope(rule, absent) };
}
