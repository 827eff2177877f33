/**
 * Deviations in how servers take request parameters (the parameter matrix, src/checks/chat-param-matrix.ts) and
 * where they put a reasoning model's thinking. Each names only implementations a cited source (code, docs, or a
 * measurement of the real server in the field lab) confirms.
 */
import { parseBounded } from "../http/json.js";
import type { Observation } from "../probe/types.js";
import type { Problem } from "../report/types.js";
import type { Deviation } from "./types.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);

function body(obs: Observation): unknown {
  if (obs.json !== undefined) return obs.json;
  if (!obs.body || obs.body.length === 0 || obs.body.length > 1 << 20) return undefined;
  return parseBounded(new TextDecoder().decode(obs.body))?.value;
}

const REASONING_FIELDS = ["reasoning_content", "reasoning"] as const;

/** The non-standard field a message or delta carries the reasoning in, if any. */
function reasoningField(obs: Observation): string | undefined {
  const carriers: unknown[] = [];
  const json = body(obs);
  if (isObject(json) && Array.isArray(json.choices)) {
    for (const c of json.choices) if (isObject(c)) carriers.push(c.message);
  }
  for (const frame of obs.frames ?? []) {
    if (!isObject(frame) || !Array.isArray(frame.choices)) continue;
    for (const c of frame.choices) if (isObject(c)) carriers.push(c.delta);
  }
  for (const m of carriers) {
    if (!isObject(m)) continue;
    const found = REASONING_FIELDS.find((f) => typeof m[f] === "string" && m[f] !== "");
    if (found) return found;
  }
  return undefined;
}

const ok = (obs: Observation) => obs.status !== null && obs.status >= 200 && obs.status < 300;

const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

/** A request OpenAI refuses with 400: temperature outside [0, 2], n below 1, or a message with an unknown role. */
function sentInvalid(obs: Observation): boolean {
  const sent = obs.sent;
  if (!isObject(sent)) return false;
  const t = sent.temperature;
  if (typeof t === "number" && (t < 0 || t > 2)) return true;
  if (typeof sent.n === "number" && sent.n < 1) return true;
  const messages = Array.isArray(sent.messages) ? sent.messages : [];
  return messages.some((m) => isObject(m) && typeof m.role === "string" && !ROLES.has(m.role));
}

const statusFinding = (p: Problem) => p.pointer === "status";

function errorMessage(obs: Observation): string {
  const err = (body(obs) as { error?: { message?: unknown } } | undefined)?.error;
  return typeof err?.message === "string" ? err.message : "";
}

function sentAudio(obs: Observation): boolean {
  const m = (obs.sent as { modalities?: unknown } | undefined)?.modalities;
  return Array.isArray(m) && m.includes("audio");
}

function answeredAudio(obs: Observation): boolean {
  const json = body(obs);
  const choice = isObject(json) && Array.isArray(json.choices) ? json.choices[0] : undefined;
  return isObject(choice) && isObject(choice.message) && isObject(choice.message.audio);
}

const PARAM = (name: string) => `/v1/chat/completions[param:${name}]`;

export const PARAM_DEVIATIONS: readonly Deviation[] = [
  {
    id: "reasoning-field",
    rows: ["/v1/chat/completions*"],
    verdict: "WARN",
    summary:
      "a reasoning model's thinking comes in a non-standard `reasoning_content` (or `reasoning`) field on the message or delta, beside `content`",
    implementations: [
      {
        name: "vLLM",
        versions:
          "with --reasoning-parser: `reasoning_content`, renamed `reasoning` in v0.11 (both sent for a while)",
      },
      {
        name: "llama.cpp",
        versions: "reasoning models (--reasoning-format, default auto): `reasoning_content`",
      },
      { name: "DeepSeek", versions: "deepseek-reasoner: `reasoning_content`" },
    ],
    docs: "docs/deviations.md#reasoning-field",
    detect: (obs) => reasoningField(obs) !== undefined,
    why: "Nothing breaks: OpenAI's Chat Completions has no reasoning field (its reasoning models keep the thinking hidden), the SDKs pass unknown fields through, and `content` still holds the answer. But clients see the reasoning only if they read the vendor field: the AI SDK's openai-compatible provider maps `reasoning_content`/`reasoning` to reasoning parts, openai-node and LangChain's ChatOpenAI leave it untyped or drop it, and a client that sends the whole message back in the next turn may resend it. The row says which field carried it.",
    detection:
      "A non-empty string `reasoning_content` or `reasoning` on a chat message (`choices[].message`) or stream delta (`choices[].delta`).",
    sources: [
      "vLLM docs: Reasoning Outputs (v0.8: reasoning_content; v0.11+: reasoning, reasoning_content deprecated)",
      "llama.cpp tools/server/server-chat.cpp (delta reasoning_content)",
      "DeepSeek API docs: Reasoning Model (reasoning_content)",
    ],
  },
  {
    id: "invalid-values-accepted",
    rows: ["/v1/chat/completions[invalid:*"],
    verdict: "WARN",
    summary:
      "out-of-range request values (temperature 5, an unknown message role) are answered 200 instead of 400",
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "current llama-server: temperature is limited to [0, ∞), roles are passed to the chat template unchecked (n 0 is refused)",
      },
    ],
    docs: "docs/deviations.md#invalid-values-accepted",
    detect: (obs) => ok(obs) && sentInvalid(obs),
    explains: statusFinding,
    why: "No client breaks: the request succeeds. But the caller's mistake goes unnoticed, and the server ran something other than what OpenAI would have: a clamped or unbounded temperature, a role the template renders in its own way.",
    detection:
      "A 2xx answer to a request OpenAI refuses: temperature outside [0, 2], n below 1, or a message role outside system/developer/user/assistant/tool/function (the [invalid:*] rows send them).",
    sources: [
      "llama.cpp tools/server/server-schema.cpp (temperature: set_limits(0, infinity); n_cmpl hard limits)",
      'measured: llama-server (field lab build 80fb11a) answers temperature 5 and role "wizard" with 200, n 0 with 400',
    ],
  },
  {
    id: "multimodal-part-500",
    rows: [PARAM("image_url"), PARAM("input_audio")],
    verdict: "FAIL",
    summary:
      "an image_url or input_audio content part sent to a text-only model is a 500 server_error, not a 4xx refusal",
    implementations: [{ name: "llama.cpp", versions: "llama-server without --mmproj (a text-only model)" }],
    docs: "docs/deviations.md#multimodal-part-500",
    detect: (obs) =>
      (obs.status ?? 0) >= 500 && /\b(image|audio|video) input is not supported/i.test(errorMessage(obs)),
    explains: statusFinding,
    why: 'openai-node and openai-python retry a 5xx (twice by default), resending the image each time, and then raise InternalServerError: the user is told the server broke, not that the model takes no images. A 400 with the envelope ("image input is not supported") is what clients can act on.',
    detection:
      "A 5xx whose error message says the image, audio or video input is not supported, on the image_url or input_audio row.",
    sources: [
      'llama.cpp tools/server/server-common.cpp (std::runtime_error "image input is not supported - hint: … mmproj", answered 500)',
      "measured: llama-server (field lab build 80fb11a) answers both parts with 500 server_error",
    ],
  },
  {
    id: "audio-output-ignored",
    rows: [PARAM("modalities")],
    verdict: "FAIL",
    summary:
      'a chat request for audio output (`modalities: ["text","audio"]`) is answered 200 with text only: no `message.audio`',
    implementations: [
      {
        name: "llama.cpp",
        versions: "current llama-server (the chat handler never reads modalities or audio)",
      },
    ],
    docs: "docs/deviations.md#audio-output-ignored",
    detect: (obs) => ok(obs) && sentAudio(obs) && !answeredAudio(obs),
    explains: (p) => p.pointer === "/choices/0/message/audio",
    why: "Clients that asked for audio read `choices[0].message.audio.data` and get undefined: a voice app plays nothing, or crashes decoding it. OpenAI answers such a request with audio, or refuses it for a model without audio output; a 400 would tell the client to fall back to text-to-speech.",
    detection:
      'The [param:modalities] row sent modalities with "audio" and got a 2xx answer without message.audio.',
    sources: [
      "llama.cpp tools/server/server-context.cpp (modalities appear only in /props, not in the chat request)",
      "measured: llama-server (field lab build 80fb11a) answers with text and no message.audio",
    ],
  },
];
