import type { ModelKind } from "../catalog/endpoints.js";

/** Name heuristics, most specific first; anything unmatched is taken for a chat model. */
const KIND_PATTERNS: [Exclude<ModelKind, "chat">, RegExp][] = [
  ["moderation", /moderation|llama-?guard|shieldgemma|\bguard\b/i],
  ["embedding", /embed|\bbge\b|bge-|\be5-|gte-|nomic|minilm|mxbai|arctic-embed|jina-emb/i],
  ["stt", /whisper|\bstt\b|-stt|stt-|transcri|parakeet|canary|\basr\b/i],
  ["tts", /\btts\b|-tts|tts-|speech|kokoro|piper|xtts|bark|orpheus|voice/i],
  ["video", /sora|video|\bltx|wan2|wan-2|cogvideo|mochi/i],
  ["image", /dall-?e|gpt-image|image|flux|sdxl|stable-diffusion|\bsd-|sd3|imagen|playground-v/i],
];

const NOT_CHAT = /rerank|reranker|clip|siglip/i;

export function classifyModel(id: string): ModelKind | "other" {
  for (const [kind, re] of KIND_PATTERNS) if (re.test(id)) return kind;
  return NOT_CHAT.test(id) ? "other" : "chat";
}

export type ModelChoice = Partial<Record<ModelKind, string>>;

/** Picks one model per kind from the advertised ids; explicit overrides win. */
export function chooseModels(listed: readonly string[], overrides: ModelChoice): ModelChoice {
  const chosen: ModelChoice = {};
  for (const id of listed) {
    const kind = classifyModel(id);
    if (kind !== "other" && !chosen[kind]) chosen[kind] = id;
  }
  for (const [kind, id] of Object.entries(overrides)) if (id) chosen[kind as ModelKind] = id;
  return chosen;
}

/** The flag that supplies a model of this kind. */
export function modelFlag(kind: ModelKind): string {
  return kind === "chat" ? "--model" : `--${kind}-model`;
}
