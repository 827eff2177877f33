import type { ModelKind } from "../catalog/endpoints.js";
import type { Params } from "./params.js";
import { missingParam, modelNotFound } from "./reply.js";

/** One model per kind, named so a prober can classify them by id. */
export const MODELS: readonly { id: string; kind: ModelKind }[] = [
  { id: "aioc-chat", kind: "chat" },
  { id: "aioc-embedding", kind: "embedding" },
  { id: "aioc-tts", kind: "tts" },
  { id: "aioc-whisper", kind: "stt" },
  { id: "aioc-image", kind: "image" },
  { id: "aioc-video", kind: "video" },
  { id: "aioc-moderation", kind: "moderation" },
];

/** 2025-01-01T00:00:00Z: a fixed date keeps model objects deterministic. */
const MODEL_CREATED = 1_735_689_600;

export const isKnownModel = (id: string): boolean => MODELS.some((m) => m.id === id);

export const modelObject = (id: string) => ({
  id,
  object: "model",
  created: MODEL_CREATED,
  owned_by: "aioc",
});

/**
 * The request's `model`: required unless a default is given (OpenAI picks one for images, videos
 * and moderations); an unknown id is a 404 `model_not_found`, or, when `loaded` is given, answered by that
 * model (a single-model server's silent fallback). Any known id is accepted on any endpoint.
 */
export function requestModel(p: Params, fallback?: string, loaded?: string): string {
  const model = p.string("model");
  if (model === undefined || model === "") {
    if (fallback) return fallback;
    throw missingParam("model");
  }
  if (!isKnownModel(model)) {
    if (loaded) return loaded;
    throw modelNotFound(model);
  }
  return model;
}

/** The model a text route serves an unknown id with: the chat model under model-fallback, else none (404). */
export const loadedChatModel = (quirks: ReadonlySet<string>): string | undefined =>
  quirks.has("model-fallback") ? "aioc-chat" : undefined;
