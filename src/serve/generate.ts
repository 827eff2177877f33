/**
 * The "model": a canned reply cut into word tokens, shaped by max_tokens and stop, with deterministic logprobs.
 * Everything but ids and timestamps is a pure function of the request.
 */
import { createHash, randomBytes } from "node:crypto";
import { sampleFromSchema } from "./schema-sample.js";

export const REPLY = "Hello from the aioc reference server.";
export const TRANSCRIPT = "Hello from the aioc reference server.";
export const SYSTEM_FINGERPRINT = "fp_aioc_ref";

/** A token is a word or a run of punctuation, with its leading whitespace; tokens join back to the text. */
const TOKEN_RE = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]+|\s+$/gu;

export const tokenize = (text: string): string[] => text.match(TOKEN_RE) ?? [];

export const countTokens = (text: string): number => tokenize(text).length;

/** The reference tokenizer's id of a token (a word with its leading space): stable across runs. */
export const tokenId = (token: string): number =>
  createHash("sha256").update(token).digest().readUInt32LE(0) % 100_000;

export interface Shaped {
  text: string;
  tokens: string[];
  finish: "stop" | "length";
}

/** Drops `banned` token ids (logit_bias -100), applies `stop` (cut before the earliest stop string), then the limit. */
export function shapeText(
  text: string,
  opts: { maxTokens?: number; stop?: readonly string[]; banned?: ReadonlySet<number> },
): Shaped {
  const banned = opts.banned;
  let cut = banned?.size
    ? tokenize(text)
        .filter((t) => !banned.has(tokenId(t)))
        .join("")
    : text;
  for (const s of opts.stop ?? []) {
    const at = cut.indexOf(s);
    if (at >= 0) cut = cut.slice(0, at);
  }
  const tokens = tokenize(cut);
  if (opts.maxTokens !== undefined && tokens.length > opts.maxTokens) {
    const kept = tokens.slice(0, opts.maxTokens);
    return { text: kept.join(""), tokens: kept, finish: "length" };
  }
  return { text: cut, tokens, finish: "stop" };
}

/** The reply for a response format: plain text, any JSON object, or JSON generated from a schema. */
export function formattedReply(format: ReplyFormat): string {
  if (format.type === "json_object") return JSON.stringify({ message: REPLY });
  if (format.type === "json_schema") {
    return JSON.stringify(sampleFromSchema(format.schema ?? { type: "object" }));
  }
  return REPLY;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random id such as `chatcmpl-AbC…`; ids are the one thing that differs between identical requests. */
export function newId(prefix: string, length = 24): string {
  const raw = randomBytes(length);
  let s = "";
  for (const b of raw) s += ALPHABET[b % ALPHABET.length];
  return `${prefix}${s}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A deterministic number in [0, 1) from a string. */
function unitHash(s: string): number {
  return createHash("sha256").update(s).digest().readUInt32LE(0) / 2 ** 32;
}

const ALTERNATIVES = [" the", " a", ",", " and", ".", " of", " to", " in", " is", " it"];

const round = (n: number) => Math.round(n * 1e6) / 1e6;
const utf8 = (s: string) => Array.from(Buffer.from(s, "utf8"));

/** The chosen token's logprob, deterministic per position. */
const chosenLogprob = (token: string, position: number) =>
  round(-0.001 - unitHash(`${position}:${token}`) * 0.2);

/** A chat/responses logprob entry: `{token, logprob, bytes, top_logprobs}`. */
function logprobEntry(token: string, position: number, top: number) {
  const logprob = chosenLogprob(token, position);
  const alternatives = ALTERNATIVES.filter((t) => t !== token).slice(0, Math.max(0, top - 1));
  const top_logprobs =
    top > 0
      ? [
          { token, logprob, bytes: utf8(token) },
          ...alternatives.map((t, k) => ({
            token: t,
            logprob: round(logprob - 2 * (k + 1)),
            bytes: utf8(t),
          })),
        ]
      : [];
  return { token, logprob, bytes: utf8(token), top_logprobs };
}

/** Logprob entries for `tokens`; `position` is the first token's index in the whole reply. */
export const logprobEntries = (tokens: readonly string[], top: number, position = 0) =>
  tokens.map((t, i) => logprobEntry(t, position + i, top));

/** The legacy completions logprobs object; `position` is the first token's index in the whole reply. */
export function legacyLogprobs(tokens: readonly string[], top: number, textOffset = 0, position = 0) {
  const entries = logprobEntries(tokens, top, position);
  let at = textOffset;
  return {
    tokens: [...tokens],
    token_logprobs: entries.map((e) => e.logprob),
    top_logprobs:
      top > 0
        ? entries.map((e) => Object.fromEntries(e.top_logprobs.map((a) => [a.token, a.logprob])))
        : null,
    text_offset: tokens.map((t) => {
      const here = at;
      at += t.length;
      return here;
    }),
  };
}

/** The text of a message content: a string, or the `text` of its parts. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part && typeof part === "object" && typeof part.text === "string" ? part.text : ""))
    .join(" ");
}

/** A response format the reply is rendered in (chat `response_format`, Responses `text.format`). */
export type ReplyFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; schema: unknown };

/** Chat and legacy completions usage, with the detail objects OpenAI sends. */
export function completionUsage(promptTokens: number, completionTokens: number) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
