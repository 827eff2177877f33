/**
 * The canonical catalog: the ONE source of every endpoint row aioc knows.
 * `aioc spec`, docs/canonical-surface.md, the probe plan and the reference server are derived from it.
 * Rows flagged `seed: true` reproduce the original canonical-surface page exactly (path, method, kind).
 */

export type Group = "models" | "chat" | "audio" | "images" | "videos" | "embeddings" | "files" | "moderations";
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
  /** Only existence may be checked (e.g. listing uploads would need real data). */
  existenceOnly?: boolean;
  /** Phase C rows refine a Phase A/B row; they run only when that row exists. */
  phase: "AB" | "C";
  label: Label;
  /** The least depth at which this row runs. */
  depth: Depth;
}

export const GROUP_TITLES: Record<Group, string> = {
  models: "Models / discovery",
  chat: "Chat & completions",
  audio: "Audio",
  images: "Images",
  videos: "Videos (ours extension)",
  embeddings: "Embeddings",
  files: "Files / fine-tuning (typically not implemented)",
  moderations: "Moderation / safety",
};

export const GROUPS = Object.keys(GROUP_TITLES) as Group[];

type Row = Omit<Endpoint, "id" | "phase" | "label" | "depth" | "seed"> &
  Partial<Pick<Endpoint, "phase" | "label" | "depth" | "seed">> & { variant?: string };

function row(r: Row): Endpoint {
  const { variant, ...rest } = r;
  return {
    id: variant ? `${r.path}[${variant}]` : r.path,
    seed: false,
    phase: "AB",
    label: "protocol",
    depth: r.phase === "C" ? "standard" : "quick",
    ...rest,
  };
}

const seed = (r: Row) => row({ ...r, seed: true });

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
    notes: "Job status polling",
  }),
  seed({
    path: "/v1/videos/{id}/content",
    method: "GET",
    group: "videos",
    kind: "ours",
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
    notes: "Added: Batch API listing; vLLM and LiteLLM implement it, batch clients need it",
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
