/**
 * Chat request parameters the reference server validates and honours beyond the basics in routes/chat.ts:
 * audio output (`modalities` + `audio`), `logit_bias` over the reference tokenizer's ids, and the range checks
 * OpenAI applies to the sampling parameters. Token ids are a stable hash of the token text, reported in
 * logprobs when the request sets vLLM's `return_tokens_as_token_ids` extension (`token_id:<id>`), so a prober
 * can bias the very token it saw.
 */
import { SPEECH_FORMATS } from "./audio-formats.js";
import { newId, nowSeconds, tokenId } from "./generate.js";
import { isObject, type Params } from "./params.js";
import { badRequest, missingParam } from "./reply.js";

/** Token ids banned by `logit_bias` (a bias of -100 or less bans, as OpenAI describes -100). */
export function bannedTokens(p: Params): Set<number> {
  const bias = p.object("logit_bias");
  const banned = new Set<number>();
  for (const [key, value] of Object.entries(bias ?? {})) {
    if (!/^\d+$/.test(key)) {
      throw badRequest(
        `Invalid key in 'logit_bias': '${key}' is not a token id.`,
        "logit_bias",
        "invalid_value",
      );
    }
    if (typeof value !== "number" || value < -100 || value > 100) {
      throw badRequest(
        `Invalid value for 'logit_bias[${key}]': expected a number between -100 and 100.`,
        "logit_bias",
        "invalid_value",
      );
    }
    if (value <= -100) banned.add(Number(key));
  }
  return banned;
}

const CHAT_AUDIO_FORMATS: Record<string, string> = {
  wav: "wav",
  mp3: "mp3",
  flac: "flac",
  opus: "opus",
  aac: "aac",
  pcm16: "pcm",
};

export interface AudioOutput {
  voice: string;
  format: string;
}

/** vLLM's `return_tokens_as_token_ids`: logprob tokens spelled `token_id:<id>`, so clients learn the ids. */
export function withTokenIds<T extends { token: string; top_logprobs: { token: string }[] }>(
  entries: T[],
): T[] {
  const spell = <E extends { token: string }>(e: E): E => ({ ...e, token: `token_id:${tokenId(e.token)}` });
  return entries.map((e) => ({ ...spell(e), top_logprobs: e.top_logprobs.map(spell) }));
}

/** `modalities` and `audio`: what audio the answer must carry, undefined for text only. */
export function audioOutput(p: Params, stream: boolean): AudioOutput | undefined {
  const modalities = p.array("modalities") ?? ["text"];
  for (const m of modalities) {
    if (m !== "text" && m !== "audio") {
      throw badRequest(
        `Invalid value: '${String(m)}'. Supported values are: 'text' and 'audio'.`,
        "modalities",
      );
    }
  }
  const audio = p.object("audio");
  if (!modalities.includes("audio")) return undefined;
  if (!audio) throw missingParam("audio");
  const voice = isObject(audio.voice) ? audio.voice.id : audio.voice;
  if (typeof voice !== "string" || voice === "") throw missingParam("audio.voice");
  const format = audio.format;
  if (typeof format !== "string" || !(format in CHAT_AUDIO_FORMATS)) {
    throw badRequest(
      `Invalid value for 'audio.format': supported values are ${Object.keys(CHAT_AUDIO_FORMATS).join(", ")}.`,
      "audio.format",
      "invalid_value",
    );
  }
  if (stream) {
    throw badRequest("The reference server does not stream audio output; set stream to false.", "stream");
  }
  return { voice, format };
}

/** `message.audio` as OpenAI sends it: base64 audio in the requested format, with its transcript. */
export function audioMessage(out: AudioOutput, transcript: string) {
  const bytes = SPEECH_FORMATS[CHAT_AUDIO_FORMATS[out.format]!]!.bytes();
  return {
    id: newId("audio_"),
    expires_at: nowSeconds() + 3600,
    data: Buffer.from(bytes).toString("base64"),
    transcript,
  };
}

/**
 * temperature and top_p, checked as OpenAI does ([0, 2] and [0, 1]) or as the imitated server does: llama-server
 * takes any temperature ≥ 0 (invalid-values-accepted), vLLM refuses top_p 0 (top-p-zero-rejected).
 */
export function samplingBounds(
  p: Params,
  quirks: ReadonlySet<string>,
): { temperature?: number; topP?: number } {
  const max = quirks.has("invalid-values-accepted") ? Number.POSITIVE_INFINITY : 2;
  const temperature = p.number("temperature", { min: 0, max });
  const topP = p.number("top_p", { min: 0, max: 1 });
  if (topP === 0 && quirks.has("top-p-zero-rejected")) {
    throw badRequest("top_p must be in (0, 1], got 0.0.", "top_p", "invalid_value");
  }
  return { temperature, topP };
}

/** `n` (1 to 128); Ollama does not read it at all (n-ignored): one choice, whatever was sent. */
export function readN(p: Params, quirks: ReadonlySet<string>): number {
  if (quirks.has("n-ignored")) return 1;
  return p.int("n", { min: 1, max: 128 }) ?? 1;
}

/** The sampling parameters' ranges and types (OpenAI answers 400 outside them). */
export function validateSampling(p: Params): void {
  p.number("presence_penalty", { min: -2, max: 2 });
  p.number("frequency_penalty", { min: -2, max: 2 });
  p.bool("parallel_tool_calls");
  p.bool("store");
  p.object("metadata");
  p.string("user");
  p.string("safety_identifier");
  p.string("prompt_cache_key");
  p.string("reasoning_effort", ["none", "minimal", "low", "medium", "high", "xhigh", "max"]);
  p.string("verbosity", ["low", "medium", "high"]);
  p.string("service_tier", ["auto", "default", "flex", "scale", "priority"]);
}
