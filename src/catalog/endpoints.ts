/**
 * The canonical catalog: the ONE source of every endpoint row aioc knows.
 * `aioc spec`, docs/canonical-surface.md, the probe plan and the reference server are derived from it.
 * Rows flagged `seed: true` reproduce the original canonical-surface page exactly (path, method, kind).
 */

import { CHAT_PARAMS, INVALID_PARAMS, type InvalidSpec, type ParamSpec } from "./params.js";
import { RESPONSES_INVALID_PARAMS, RESPONSES_PARAMS } from "./responses-params.js";

/** An endpoint group: a section of the catalog. */
export type Group =
  | "models"
  | "chat"
  | "audio"
  | "images"
  | "videos"
  | "embeddings"
  | "files"
  | "moderations"
  | "realtime";
export type Kind = "core" | "ext" | "ours";
export type Method = "GET" | "POST";
export type ModelKind = "chat" | "embedding" | "tts" | "stt" | "image" | "video" | "moderation";
/** `protocol` verdicts never depend on what a model says; `behaviour` checks do and never FAIL. */
export type Label = "protocol" | "behaviour";
export type Depth = "quick" | "standard" | "deep";
export type Phase = "A" | "B" | "C";

export interface Endpoint {
  /** Stable result id: the path, plus `[variant]` for variants, e.g. `/v1/chat/completions[stream]`. */
  id: string;
  /** Wire path template (`{model}` and `{id}` are filled in by the prober). */
  path: string;
  method: Method;
  group: Group;
  kind: Kind;
  notes: string;
  /** True for the rows of the original canonical-surface page. */
  seed: boolean;
  /** Phase B/C need a model of this kind. */
  model?: ModelKind;
  /** The request is valid without a model (OpenAI picks a default), so a missing one is no reason to skip. */
  modelOptional?: boolean;
  multipart?: boolean;
  /** The request asks for an SSE stream. */
  stream?: boolean;
  /** Phase C rows check behaviour beyond one valid request (ids like `/v1/chat/completions[tools]`). */
  phase: "AB" | "C";
  /** Another row whose outcome this one builds on (e.g. polling needs the created job); it runs first. */
  needs?: string;
  label: Label;
  /** The least depth at which this row runs. */
  depth: Depth;
}

export const GROUP_TITLES: Record<Group, string> = {
  models: "Models / discovery",
  chat: "Chat & completions",
  audio: "Audio",
  images: "Images",
  videos: "Videos (ours extension; mirrors OpenAI's video (Sora) API)",
  embeddings: "Embeddings",
  files: "Files / fine-tuning (typically not implemented)",
  moderations: "Moderation / safety",
  realtime: "Realtime (WebSocket)",
};

export const GROUPS = Object.keys(GROUP_TITLES) as Group[];

type Row = Omit<Endpoint, "id" | "phase" | "label" | "depth" | "seed"> &
  Partial<Pick<Endpoint, "phase" | "label" | "depth" | "seed">> & { variant?: string };

function row(r: Row & { id?: string }): Endpoint {
  const { variant, id, ...rest } = r;
  return {
    id: id ?? (variant ? `${r.path}[${variant}]` : r.path),
    seed: false,
    phase: "AB",
    label: "protocol",
    depth: r.phase === "C" ? "standard" : "quick",
    ...rest,
  };
}

const seed = (r: Row) => row({ ...r, seed: true });

type PhaseCSpec = [variant: string, kind: Kind, label: Label, notes: string, depth?: Depth];

/** Phase C rows refining `base` (an id); they run after it and only when its route exists. */
function phaseC(base: string, group: Group, model: ModelKind | undefined, specs: PhaseCSpec[]): Endpoint[] {
  const path = base.replace(/\[.*\]$/, "");
  const method: Method = path === "/v1/models" ? "GET" : "POST";
  return specs.map(([variant, kind, label, notes, depth]) => ({
    id: `${path}[${variant}]`,
    path,
    method,
    group,
    kind,
    notes: `Added: ${notes}`,
    seed: false,
    phase: "C",
    label,
    depth: depth ?? "standard",
    needs: base,
    ...(model ? { model } : {}),
  }));
}

type ClientSpec = [call: string, base: string, group: Group, kind: Kind, model: ModelKind];

/** `client:<sdk>/<call>` rows: does the real client library work against the target? */
function clientRows(sdk: string, specs: ClientSpec[], extra = ""): Endpoint[] {
  return specs.map(([call, base, group, kind, model]) => ({
    id: `client:${sdk}/${call}`,
    path: base.replace(/\[.*\]$/, ""),
    method: "POST",
    group,
    kind,
    notes: `Added: the ${sdk} client's ${call} call succeeds and returns usable data${extra}`,
    seed: false,
    phase: "C",
    label: "protocol",
    depth: "standard",
    needs: base,
    model,
  }));
}

/**
 * An endpoint's parameter rows (`[param:*]`, `[invalid:*]`, depth deep): a reused row's parameter `needs` that
 * row, one built `after` another row needs it, the rest need the endpoint's base row; the path stays `path`.
 */
function paramMatrix(
  path: string,
  kind: "core" | "ext",
  params: readonly ParamSpec[],
  invalid: readonly InvalidSpec[],
): Endpoint[] {
  return [
    ...params.flatMap((p) =>
      phaseC(p.reuses ?? p.after ?? path, "chat", "chat", [
        [
          `param:${p.name}`,
          kind === "core" && p.tier === "core" ? "core" : "ext",
          "protocol",
          p.notes,
          "deep",
        ],
      ]).map((e) => ({ ...e, id: `${path}[param:${p.name}]`, path, method: "POST" as const })),
    ),
    ...phaseC(
      path,
      "chat",
      "chat",
      invalid.map((p) => [
        `invalid:${p.name}`,
        kind,
        "protocol",
        `${p.notes} is refused with 400 and the error envelope`,
        "deep",
      ]),
    ),
  ];
}

export const ENDPOINTS: readonly Endpoint[] = [
  // Models / discovery
  seed({
    path: "/v1/models",
    method: "GET",
    group: "models",
    kind: "core",
    notes: "Required for any compat surface; powers model sniffing",
  }),
  seed({
    path: "/v1/models/{model}",
    method: "GET",
    group: "models",
    kind: "core",
    notes: "Many OSS impls return 404; OpenAI returns the object",
  }),

  // Chat & completions
  seed({
    path: "/v1/chat/completions",
    method: "POST",
    group: "chat",
    kind: "core",
    model: "chat",
    notes: "The headline endpoint; supports tools, JSON mode, streams",
  }),
  seed({
    path: "/v1/chat/completions",
    variant: "stream",
    method: "POST",
    group: "chat",
    kind: "core",
    model: "chat",
    stream: true,
    notes: "Separate row so a missing-stream regression is visible",
  }),
  seed({
    path: "/v1/completions",
    method: "POST",
    group: "chat",
    kind: "ext",
    model: "chat",
    notes: "Legacy text completion; many newer servers omit it",
  }),
  row({
    path: "/v1/completions",
    variant: "stream",
    method: "POST",
    group: "chat",
    kind: "ext",
    model: "chat",
    stream: true,
    notes: "Added: legacy completions stream; clients such as code completers depend on it",
  }),
  seed({
    path: "/v1/responses",
    method: "POST",
    group: "chat",
    kind: "ext",
    model: "chat",
    notes: "Newer Responses API; few OSS servers implement",
  }),
  row({
    path: "/v1/responses",
    variant: "stream",
    method: "POST",
    group: "chat",
    kind: "ext",
    model: "chat",
    stream: true,
    notes: "Added: Responses event stream (typed events, no [DONE]); agents SDKs stream by default",
  }),

  // Audio
  seed({
    path: "/v1/audio/speech",
    method: "POST",
    group: "audio",
    kind: "core",
    model: "tts",
    notes: "TTS; returns audio bytes (mp3/opus/wav)",
  }),
  seed({
    path: "/v1/audio/transcriptions",
    method: "POST",
    group: "audio",
    kind: "core",
    model: "stt",
    multipart: true,
    notes: "STT; multipart upload, returns text JSON",
  }),
  seed({
    path: "/v1/audio/translations",
    method: "POST",
    group: "audio",
    kind: "ext",
    model: "stt",
    multipart: true,
    needs: "/v1/audio/transcriptions",
    notes: "STT to English; many servers fold into transcriptions",
  }),

  // Images
  seed({
    path: "/v1/images/generations",
    method: "POST",
    group: "images",
    kind: "core",
    model: "image",
    notes: "Returns {data: [{url}|{b64_json}]}",
  }),
  seed({
    path: "/v1/images/edits",
    method: "POST",
    group: "images",
    kind: "core",
    model: "image",
    multipart: true,
    notes: "OpenAI requires multipart; some OSS take JSON (WARN)",
  }),
  seed({
    path: "/v1/images/variations",
    method: "POST",
    group: "images",
    kind: "ext",
    model: "image",
    multipart: true,
    notes: "Less commonly implemented",
  }),

  // Videos (ours extension)
  seed({
    path: "/v1/videos",
    method: "POST",
    group: "videos",
    kind: "ours",
    model: "video",
    notes: "Async job creation; mirrors OpenAI's Sora job shape",
  }),
  seed({
    path: "/v1/videos/{id}",
    method: "GET",
    group: "videos",
    kind: "ours",
    needs: "/v1/videos",
    notes: "Job status polling",
  }),
  seed({
    path: "/v1/videos/{id}/content",
    method: "GET",
    group: "videos",
    kind: "ours",
    needs: "/v1/videos/{id}",
    notes: "Final video bytes when status is completed",
  }),

  // Embeddings
  seed({
    path: "/v1/embeddings",
    method: "POST",
    group: "embeddings",
    kind: "core",
    model: "embedding",
    notes: "Returns {data: [{embedding: [...]}]}",
  }),

  // Files / fine-tuning
  seed({
    path: "/v1/files",
    method: "GET",
    group: "files",
    kind: "ext",
    notes: "Uploads — most OSS servers omit",
  }),
  seed({
    path: "/v1/fine_tuning/jobs",
    method: "GET",
    group: "files",
    kind: "ext",
    notes: "OSS servers don't fine-tune via API",
  }),
  row({
    path: "/v1/batches",
    method: "GET",
    group: "files",
    kind: "ext",
    notes: "Added: Batch API listing; gateways such as LiteLLM proxy it, batch clients need it",
  }),

  // Moderation / safety
  seed({
    path: "/v1/moderations",
    method: "POST",
    group: "moderations",
    kind: "ext",
    model: "moderation",
    modelOptional: true,
    notes: "Few OSS servers implement",
  }),

  // Phase C: behaviour depth (standard depth unless noted). Each builds on the row it `needs`.
  ...phaseC("/v1/chat/completions", "chat", "chat", [
    [
      "tools",
      "core",
      "behaviour",
      "A tool_choice naming a function is enforced: a well-formed call to it, with JSON arguments",
    ],
    [
      "tools-stream",
      "core",
      "behaviour",
      "Streamed tool-call deltas reassemble into one call; the stream terminates",
    ],
    ["tool-result", "core", "protocol", "A follow-up turn carrying the tool result is accepted"],
  ]),
  // After [tools], so each says which form of forcing works.
  ...phaseC("/v1/chat/completions[tools]", "chat", "chat", [
    ["tools-required", "core", "behaviour", 'tool_choice "required" is enforced: the answer is a tool call'],
  ]),
  ...phaseC("/v1/chat/completions", "chat", "chat", [
    [
      "json_schema",
      "ext",
      "behaviour",
      "Structured outputs: the strict json_schema is enforced (valid, matching JSON)",
    ],
  ]),
  // After [json_schema], to tell a server that enforces only schemas from one that drops response_format.
  ...phaseC("/v1/chat/completions[json_schema]", "chat", "chat", [
    [
      "json_object",
      "ext",
      "behaviour",
      "response_format json_object is enforced: the content is a JSON object",
    ],
  ]),
  ...phaseC("/v1/chat/completions", "chat", "chat", [
    ["max_tokens", "core", "protocol", "max_tokens and max_completion_tokens bound usage.completion_tokens"],
    ["stop", "core", "behaviour", "stop is enforced: a stop sequence never appears in the output"],
    ["n", "ext", "protocol", "n=2 yields two choices"],
    ["logprobs", "ext", "protocol", "logprobs/top_logprobs populate choices[].logprobs.content"],
    ["seed", "ext", "behaviour", "Same seed, temperature 0: same output (deep only)", "deep"],
    ["extra-fields", "ext", "protocol", "Unknown extra request fields are tolerated (vendor extensions)"],
    ["error-invalid-json", "core", "protocol", "Malformed JSON → 400 with the OpenAI error envelope"],
    ["error-missing-field", "core", "protocol", "Missing messages → 400 with the error envelope"],
    ["error-unknown-model", "core", "protocol", "Unknown model → 404, not a silent fallback"],
    ["error-wrong-method", "core", "protocol", "GET on a POST route → 405 (or 404)"],
  ]),
  ...phaseC("/v1/chat/completions[stream]", "chat", "chat", [
    [
      "stream-forensics",
      "core",
      "protocol",
      "Role first, one id, one finish_reason, usage chunk with choices: []; TTFT and tokens/s",
    ],
  ]),
  ...phaseC("/v1/completions[stream]", "chat", "chat", [
    ["stream-forensics", "ext", "protocol", "One id, one finish_reason, [DONE]; TTFT and tokens/s"],
  ]),
  ...phaseC("/v1/responses[stream]", "chat", "chat", [
    [
      "stream-forensics",
      "ext",
      "protocol",
      "Events in order, sequence_numbers increasing, deltas match the final text",
    ],
  ]),
  ...phaseC("/v1/models", "models", undefined, [
    ["auth-no-key", "core", "protocol", "With --api-key: a request without a key → 401 envelope"],
    ["auth-wrong-key", "core", "protocol", "With --api-key: a wrong key → 401 envelope"],
  ]),
  ...phaseC("/v1/embeddings", "embeddings", "embedding", [
    ["batch", "core", "protocol", "An array input yields one embedding per item, in index order"],
    [
      "base64",
      "core",
      "protocol",
      "encoding_format base64 decodes to the float vector (the openai SDK's default)",
    ],
    ["dimensions", "ext", "protocol", "dimensions shortens the vector"],
  ]),

  // ── responses group (issue #14): the Responses API in depth ──────────────────────────────────────
  // Agents' extension routes: Codex CLI compacts long sessions; conversations and uploads hold state server-side.
  row({
    path: "/v1/responses/compact",
    method: "POST",
    group: "chat",
    kind: "ext",
    model: "chat",
    depth: "standard",
    notes: "Added: context compaction (CompactResource); Codex CLI calls it on long sessions",
  }),
  row({
    path: "/v1/conversations",
    method: "POST",
    group: "chat",
    kind: "ext",
    depth: "standard",
    notes: "Added: server-side conversation state (ConversationResource) for the Responses API",
  }),
  row({
    path: "/v1/uploads",
    method: "POST",
    group: "files",
    kind: "ext",
    depth: "standard",
    notes: "Added: multi-part uploads of large files (Upload); creating one uploads nothing",
  }),
  ...phaseC("/v1/responses", "chat", "chat", [
    ["store", "ext", "protocol", "store: true, then GET /v1/responses/{id} returns the same id and output"],
    [
      "tools",
      "ext",
      "behaviour",
      "A function tool forced by tool_choice is enforced: a function_call item with call_id, name and JSON arguments",
    ],
    ["tool-result", "ext", "protocol", "A follow-up with a function_call_output input item is accepted"],
    [
      "json_schema",
      "ext",
      "behaviour",
      "text.format json_schema (strict) is enforced: the text matches the schema",
    ],
    [
      "incomplete",
      "ext",
      "protocol",
      'Cut by max_output_tokens: status "incomplete", incomplete_details.reason "max_output_tokens"',
    ],
  ]),
  ...phaseC("/v1/responses[stream]", "chat", "chat", [
    [
      "tools-stream",
      "ext",
      "behaviour",
      "A streamed forced call: function_call_arguments deltas add up to .done and the final item",
    ],
  ]),
  // Codex CLI reads the stream with its own parser (checks/responses-codex.ts): the two rows send nothing.
  ...phaseC("/v1/responses[stream]", "chat", "chat", [
    [
      "codex-stream",
      "ext",
      "protocol",
      "The stream as Codex CLI parses it: every item in a response.output_item.done, a response.completed it can read",
    ],
  ]),
  ...phaseC("/v1/responses[tools-stream]", "chat", "chat", [
    [
      "codex-tools",
      "ext",
      "behaviour",
      "The streamed call as Codex CLI parses it: a function_call item with string name, arguments and call_id",
    ],
  ]),
  ...phaseC("/v1/responses[store]", "chat", "chat", [
    [
      "previous_response_id",
      "ext",
      "protocol",
      "previous_response_id (chained on [store]'s response) is accepted; input_tokens include the first turn",
    ],
    ["no-store", "ext", "protocol", "store: false is honoured: a GET of the id gives 404", "deep"],
  ]),
  // One after the other on [store]'s response, so the DELETE comes last.
  ...phaseC("/v1/responses[previous_response_id]", "chat", "chat", [
    ["input_items", "ext", "protocol", "GET /v1/responses/{id}/input_items lists the stored input", "deep"],
  ]),
  ...phaseC("/v1/responses[input_items]", "chat", "chat", [
    ["delete", "ext", "protocol", "DELETE /v1/responses/{id} deletes it: a GET then gives 404", "deep"],
  ]),
  // ── end responses group ──────────────────────────────────────────────────────────────────────────
  // Parameter matrix (issue #15), generated from src/catalog/params.ts: one row per request parameter, at
  // --depth deep or with --params. A parameter an existing row already judges `needs` that row and reuses its
  // evidence; the others build on the base chat row and send their own request.
  ...paramMatrix("/v1/chat/completions", "core", CHAT_PARAMS, INVALID_PARAMS),
  // The Responses matrix (src/catalog/responses-params.ts): an ext endpoint, so its rows are ext whatever the tier.
  ...paramMatrix("/v1/responses", "ext", RESPONSES_PARAMS, RESPONSES_INVALID_PARAMS),
  // ── declared (issue #15 declared vs observed; issue #14 Realtime, rerank/score) ──────────────────────────
  // The server's own OpenAPI document against OpenAI's spec and against this run's rows (src/declared/).
  row({
    id: "openapi:declared",
    path: "/openapi.json",
    method: "GET",
    group: "models",
    kind: "ours",
    phase: "C",
    depth: "standard",
    notes:
      "Added: the server's own OpenAPI document (if served): OpenAI paths and request parameters it declares, declared-but-absent and present-but-undeclared routes, coverage per group",
  }),
  // OpenAI's GA Realtime protocol over WebSocket, text only (checks/realtime.ts).
  row({
    path: "/v1/realtime",
    method: "GET",
    group: "realtime",
    kind: "ext",
    model: "chat",
    modelOptional: true,
    depth: "standard",
    notes:
      "Added: WebSocket upgrade with ?model=; session.created first, session.update → session.updated, text response.create → response.done",
  }),
  // The Jina/Cohere rerank convention (kind `ours`; checks/rerank.ts cites its sources).
  row({
    path: "/v1/rerank",
    method: "POST",
    group: "embeddings",
    kind: "ours",
    model: "embedding",
    modelOptional: true,
    depth: "standard",
    notes:
      "Added: Jina/Cohere rerank (llama.cpp --reranking, vLLM, TEI, LocalAI, SGLang, LiteLLM): results[] of {index, relevance_score}, highest first",
  }),
  // ── end declared ─────────────────────────────────────────────────────────────────────────────────────────

  // Real clients: the official SDKs against the target (standard depth).
  ...clientRows("openai-node", [
    ["chat", "/v1/chat/completions", "chat", "core", "chat"],
    ["chat.stream", "/v1/chat/completions[stream]", "chat", "core", "chat"],
    ["tools", "/v1/chat/completions", "chat", "core", "chat"],
    ["responses", "/v1/responses", "chat", "ext", "chat"],
    ["responses.stream", "/v1/responses[stream]", "chat", "ext", "chat"],
    // responses group: a function tool round trip through the SDK
    ["responses.tools", "/v1/responses", "chat", "ext", "chat"],
    ["embeddings", "/v1/embeddings", "embeddings", "core", "embedding"],
    ["audio.speech", "/v1/audio/speech", "audio", "core", "tts"],
    ["audio.transcriptions", "/v1/audio/transcriptions", "audio", "core", "stt"],
    ["images.generate", "/v1/images/generations", "images", "core", "image"],
  ]),
  ...clientRows("ai-sdk", [
    ["generateText", "/v1/chat/completions", "chat", "core", "chat"],
    ["streamText", "/v1/chat/completions[stream]", "chat", "core", "chat"],
    ["embed", "/v1/embeddings", "embeddings", "core", "embedding"],
  ]),
  // clients (issue #14): LangChain JS (@langchain/openai) and the official Python SDK, run as a child process.
  ...clientRows("langchain", [
    ["invoke", "/v1/chat/completions", "chat", "core", "chat"],
    ["stream", "/v1/chat/completions[stream]", "chat", "core", "chat"],
    ["tools", "/v1/chat/completions", "chat", "core", "chat"],
    ["embeddings", "/v1/embeddings", "embeddings", "core", "embedding"],
  ]),
  ...clientRows(
    "openai-python",
    [
      ["chat", "/v1/chat/completions", "chat", "core", "chat"],
      ["chat.stream", "/v1/chat/completions[stream]", "chat", "core", "chat"],
      ["tools", "/v1/chat/completions", "chat", "core", "chat"],
      ["responses", "/v1/responses", "chat", "ext", "chat"],
      ["embeddings", "/v1/embeddings", "embeddings", "core", "embedding"],
    ],
    "; run as a python child process whose HTTP goes to the target directly (not through aioc's transport)",
  ),
];

export function endpointsIn(group?: Group): Endpoint[] {
  return ENDPOINTS.filter((e) => !group || e.group === group);
}

export function findEndpoint(id: string): Endpoint | undefined {
  return ENDPOINTS.find((e) => e.id === id);
}

/** The seed page wrote variants as `/v1/chat/completions (stream)`. */
export function seedLabel(e: Endpoint): string {
  return e.id.replace(/\[(.+)\]$/, " ($1)");
}
