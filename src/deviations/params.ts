/**
 * Deviations in how servers take request parameters (the parameter matrix, src/checks/chat-param-matrix.ts) and
 * where they put a reasoning model's thinking. Each names only implementations a cited source (code, docs, or a
 * measurement of the real server in the field lab) confirms.
 */
import { limitNotHonoured } from "../checks/token-limit.js";
import { isJsonObject, observedJson } from "../http/json.js";
import type { Observation } from "../probe/types.js";
import type { Problem } from "../report/types.js";
import type { Deviation } from "./types.js";

type Json = Record<string, unknown>;

const REASONING_FIELDS = ["reasoning_content", "reasoning"] as const;

/** The non-standard field a message or delta carries the reasoning in, if any. */
function reasoningField(obs: Observation): string | undefined {
  const carriers: unknown[] = [];
  const json = observedJson(obs);
  if (isJsonObject(json) && Array.isArray(json.choices)) {
    for (const c of json.choices) if (isJsonObject(c)) carriers.push(c.message);
  }
  for (const frame of obs.frames ?? []) {
    if (!isJsonObject(frame) || !Array.isArray(frame.choices)) continue;
    for (const c of frame.choices) if (isJsonObject(c)) carriers.push(c.delta);
  }
  for (const m of carriers) {
    if (!isJsonObject(m)) continue;
    const found = REASONING_FIELDS.find((f) => typeof m[f] === "string" && m[f] !== "");
    if (found) return found;
  }
  return undefined;
}

const ok = (obs: Observation) => obs.status !== null && obs.status >= 200 && obs.status < 300;

const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

const sentObject = (obs: Observation): Json | undefined => (isJsonObject(obs.sent) ? obs.sent : undefined);

/** A temperature OpenAI refuses with 400 (outside [0, 2]), on chat or Responses. */
function sentBadTemperature(obs: Observation): boolean {
  const t = sentObject(obs)?.temperature;
  return typeof t === "number" && (t < 0 || t > 2);
}

/** A chat message with a role outside OpenAI's (the [invalid:role] row sends "wizard"). */
function sentUnknownRole(obs: Observation): boolean {
  const messages = sentObject(obs)?.messages;
  return (Array.isArray(messages) ? messages : []).some(
    (m) => isJsonObject(m) && typeof m.role === "string" && !ROLES.has(m.role),
  );
}

/** `n` as sent, when it asks for something other than one choice. */
function sentN(obs: Observation): number | undefined {
  const n = sentObject(obs)?.n;
  return typeof n === "number" && n !== 1 ? n : undefined;
}

function choiceCount(obs: Observation): number | undefined {
  const json = observedJson(obs);
  return isJsonObject(json) && Array.isArray(json.choices) ? json.choices.length : undefined;
}

/** Tool calls in a chat answer or function_call items in a Response. */
function calls(obs: Observation): number {
  const json = observedJson(obs);
  if (!isJsonObject(json)) return 0;
  if (Array.isArray(json.output))
    return json.output.filter((i) => isJsonObject(i) && i.type === "function_call").length;
  const choice = Array.isArray(json.choices) ? json.choices[0] : undefined;
  const toolCalls =
    isJsonObject(choice) && isJsonObject(choice.message) ? choice.message.tool_calls : undefined;
  return Array.isArray(toolCalls) ? toolCalls.length : 0;
}

const statusFinding = (p: Problem) => p.pointer === "status";

function errorMessage(obs: Observation): string {
  const err = (observedJson(obs) as { error?: { message?: unknown } } | undefined)?.error;
  return typeof err?.message === "string" ? err.message : "";
}

function sentAudio(obs: Observation): boolean {
  const m = (obs.sent as { modalities?: unknown } | undefined)?.modalities;
  return Array.isArray(m) && m.includes("audio");
}

function answeredAudio(obs: Observation): boolean {
  const json = observedJson(obs);
  const choice = isJsonObject(json) && Array.isArray(json.choices) ? json.choices[0] : undefined;
  return isJsonObject(choice) && isJsonObject(choice.message) && isJsonObject(choice.message.audio);
}

const PARAM = (name: string) => `/v1/chat/completions[param:${name}]`;
const RPARAM = (name: string) => `/v1/responses[param:${name}]`;
const INVALID = (name: string) => `/v1/chat/completions[invalid:${name}]`;

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
      { name: "Ollama", versions: "thinking models: `reasoning` (the native API's message.thinking)" },
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
      'Ollama v0.17.4 openai/openai.go Message.Reasoning `json:"reasoning,omitempty"`, set from message.thinking in ToChatCompletion and ToChunk',
    ],
  },
  {
    id: "invalid-values-accepted",
    rows: [INVALID("temperature"), "/v1/responses[invalid:temperature]"],
    verdict: "WARN",
    summary: "an out-of-range temperature (5, above OpenAI's maximum 2) is answered 200 instead of 400",
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "current llama-server: temperature is limited to [0, ∞), chat and Responses (the Responses body is converted to a chat body field by field)",
      },
      {
        name: "Ollama",
        versions: "current: temperature is copied into the runner options unchecked (chat and Responses)",
      },
      { name: "SGLang", versions: "current: temperature must only be a non-negative finite number" },
      { name: "TabbyAPI", versions: "current: temperature is accepted up to 10" },
    ],
    docs: "docs/deviations.md#invalid-values-accepted",
    detect: (obs) => ok(obs) && sentBadTemperature(obs),
    explains: statusFinding,
    why: "No client breaks: the request succeeds. But the caller's mistake goes unnoticed, and the server sampled at a temperature OpenAI would have refused (temperature 5 makes most models emit noise).",
    detection:
      "A 2xx answer to a request whose temperature is outside [0, 2] (the [invalid:temperature] rows send 5).",
    sources: [
      "llama.cpp tools/server/server-schema.cpp (temperature: set_limits(0, infinity))",
      "llama.cpp tools/server/server-chat.cpp server_chat_convert_responses_to_chatcmpl (chatcmpl_body = response_body: temperature carried over)",
      "measured: llama-server (field lab build 80fb11a) answers temperature 5 with 200",
      'Ollama openai/openai.go FromChatRequest (options["temperature"] = *r.Temperature, no range check) and openai/responses.go ResponsesRequest.Temperature',
      "SGLang python/sglang/srt/sampling/sampling_params.py SamplingParams.verify (only `temperature < 0.0` or non-finite is refused); entrypoints/openai/protocol.py ChatCompletionRequest.temperature: Optional[float]",
      "TabbyAPI common/sampling.py BaseSamplerRequest.temperature Field(ge=0, le=10)",
    ],
  },
  {
    id: "unknown-role-accepted",
    rows: [INVALID("role")],
    verdict: "WARN",
    summary:
      'a chat message with an unknown role ("wizard") is answered 200: the role is handed to the chat template unchecked',
    implementations: [
      { name: "llama.cpp", versions: "current llama-server: roles go to the chat template unchecked" },
      {
        name: "vLLM",
        versions:
          "current: CustomChatCompletionMessageParam takes any role string (custom roles are a feature)",
      },
      { name: "Ollama", versions: "current: the role is copied into the message unchecked" },
      { name: "TabbyAPI", versions: "current: ChatCompletionMessage.role is any string" },
    ],
    docs: "docs/deviations.md#unknown-role-accepted",
    detect: (obs) => ok(obs) && sentUnknownRole(obs),
    explains: statusFinding,
    why: 'No client breaks: the request succeeds. But a typo in a role ("asistant") is not reported, and the template renders the message in its own way (or drops it), so the model sees something other than what was sent. OpenAI refuses it with 400.',
    detection:
      'A 2xx answer to a chat request with a message role outside system/developer/user/assistant/tool/function (the [invalid:role] row sends "wizard").',
    sources: [
      'measured: llama.cpp llama-server (field lab build 80fb11a) answers role "wizard" with 200',
      'vLLM vllm/entrypoints/chat_utils.py CustomChatCompletionMessageParam ("Enables custom roles in the Chat Completion API", role: Required[str])',
      "Ollama openai/openai.go FromChatRequest (api.Message{Role: msg.Role, …})",
      "TabbyAPI endpoints/OAI/types/chat_completion.py ChatCompletionMessage (role: str)",
    ],
  },
  {
    id: "max-completion-tokens-ignored",
    rows: ["/v1/chat/completions[max_tokens]"],
    verdict: "FAIL",
    summary:
      "chat `max_completion_tokens` is not read (only the deprecated `max_tokens` bounds the output): max_completion_tokens 1 still gives a full answer",
    implementations: [
      {
        name: "Ollama",
        versions: "v0.17.4 (field lab) and the v0.33.0-rc2 source: ChatCompletionRequest has MaxTokens only",
      },
      { name: "llama-cpp-python", versions: "0.3.16 (field lab)" },
    ],
    docs: "docs/deviations.md#max-completion-tokens-ignored",
    detect: (_obs, problems) =>
      problems.some(limitNotHonoured("max_completion_tokens")) &&
      !problems.some(limitNotHonoured("max_tokens")),
    explains: limitNotHonoured("max_completion_tokens"),
    why: "OpenAI deprecated `max_tokens` for `max_completion_tokens`, and current clients send only the new name (openai-node's and the AI SDK's defaults for newer models, LangChain's maxCompletionTokens): their limit is ignored, so answers run to the server's default length, costs and latency grow, and a client that relies on a short answer (classification, a one-word reply) gets a long one.",
    detection:
      "The [max_tokens] row's max_completion_tokens: 1 request comes back longer than one token while its max_tokens: 1 request is bounded.",
    sources: [
      "Ollama openai/openai.go ChatCompletionRequest (v0.17.4 and v0.33.0-rc2: MaxTokens, no MaxCompletionTokens)",
      "measured: Ollama v0.17.4 (field lab): max_tokens 1 → 1 token, max_completion_tokens 1 → 64 tokens (num_predict)",
      "measured: llama-cpp-python 0.3.16 server (field lab, docs/field-reports.md)",
    ],
  },
  {
    id: "n-ignored",
    // [param:n] restates [n] (no request of its own), and [invalid:n] reports n 0 answered 200 as "accepts invalid".
    rows: ["/v1/chat/completions[n]"],
    verdict: "FAIL",
    summary: "chat `n` is not read: n 2 gives one choice",
    implementations: [
      { name: "Ollama", versions: "current: ChatCompletionRequest has no `n` (documented as unsupported)" },
      { name: "llama-cpp-python", versions: "0.3.16 (field lab: n 2 gave one choice)" },
    ],
    docs: "docs/deviations.md#n-ignored",
    detect: (obs) => {
      const n = sentN(obs);
      // No choice at all is a broken answer (the row says so), not an unread `n`.
      const count = choiceCount(obs) ?? n ?? 0;
      return n !== undefined && n > 1 && ok(obs) && count >= 1 && count < n;
    },
    explains: (p) => p.pointer === "/choices",
    why: "Clients that ask for several candidates (n: 2) read choices[1] and get undefined: best-of-n pickers and evaluation harnesses crash or silently score one answer. The server neither refuses n nor honours it, so nothing tells the caller.",
    detection: "A 2xx chat answer with fewer choices than the `n` sent (the [n] row sends 2).",
    sources: [
      "Ollama docs/api/openai-compatibility.mdx (/v1/chat/completions supported request fields: `n` unchecked)",
      "Ollama openai/openai.go ChatCompletionRequest (fields model … top_logprobs; no n)",
      "measured: llama-cpp-python 0.3.16 server (field lab, docs/field-reports.md): n 2 gave one choice",
    ],
  },
  {
    id: "top-p-zero-rejected",
    rows: [PARAM("top_p"), RPARAM("top_p")],
    verdict: "WARN",
    summary: "top_p 0 (OpenAI's lower bound) is refused with 400: the server takes top_p in (0, 1] only",
    implementations: [
      {
        name: "vLLM",
        versions:
          'current: SamplingParams refuses it ("top_p must be in (0, 1], got 0.0."), chat and Responses',
      },
    ],
    docs: "docs/deviations.md#top-p-zero-rejected",
    detect: (obs) =>
      sentObject(obs)?.top_p === 0 &&
      (obs.status ?? 0) >= 400 &&
      (obs.status ?? 0) < 500 &&
      /top_p/.test(errorMessage(obs)),
    explains: statusFinding,
    why: "OpenAI's spec allows top_p from 0 to 1, and some clients send 0 for near-greedy decoding: they get a 400 here. The refusal names top_p (vLLM's envelope carries param), so a client can raise it to a small positive value; nothing else breaks.",
    detection: "A 4xx answer to top_p 0 whose error message names top_p (the [param:top_p] rows send 0).",
    sources: [
      "vLLM vllm/sampling_params.py SamplingParams._verify_args (`if not 0.0 < self.top_p <= 1.0`: VLLMValidationError, parameter top_p)",
    ],
  },
  {
    id: "tool-choice-ignored",
    rows: [PARAM("tool_choice-none"), RPARAM("tool_choice-none")],
    verdict: "FAIL",
    summary:
      'tool_choice is not read: with tools given, "none" still lets the model call one (and "required" or a named tool is not forced)',
    implementations: [
      {
        name: "Ollama",
        versions: "current: chat and Responses requests have no tool_choice (documented as unsupported)",
      },
    ],
    docs: "docs/deviations.md#tool-choice-ignored",
    detect: (obs) => ok(obs) && sentObject(obs)?.tool_choice === "none" && calls(obs) > 0,
    explains: (p) => p.pointer.startsWith("/choices/0/message/tool_calls") || p.pointer === "/output",
    why: 'A client that sends tool_choice "none" (to get a final text answer after tool rounds, as agent loops do) gets a tool call instead: content is null, the loop runs another round or stops without an answer.',
    detection:
      'A 2xx answer with a tool call (or function_call item) to a request that sent tool_choice "none".',
    sources: [
      "Ollama docs/api/openai-compatibility.mdx (/v1/chat/completions supported request fields: `tool_choice` unchecked)",
      "Ollama openai/openai.go ChatCompletionRequest (no ToolChoice field)",
      'Ollama openai/responses.go ResponsesRequest ("TODO(drifkin): tool_choice is not supported")',
    ],
  },
  {
    id: "multimodal-part-500",
    rows: [PARAM("image_url"), PARAM("input_audio"), RPARAM("input_image")],
    verdict: "FAIL",
    summary:
      "an image content part (chat image_url, Responses input_image) or input_audio part sent to a text-only model is a 500 server_error, not a 4xx refusal",
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "llama-server without --mmproj (a text-only model); Responses input_image parts become the same chat image_url part",
      },
    ],
    docs: "docs/deviations.md#multimodal-part-500",
    detect: (obs) =>
      (obs.status ?? 0) >= 500 && /\b(image|audio|video) input is not supported/i.test(errorMessage(obs)),
    explains: statusFinding,
    why: 'openai-node and openai-python retry a 5xx (twice by default), resending the image each time, and then raise InternalServerError: the user is told the server broke, not that the model takes no images. A 400 with the envelope ("image input is not supported") is what clients can act on.',
    detection:
      "A 5xx whose error message says the image, audio or video input is not supported, on the image_url, input_audio or Responses input_image row.",
    sources: [
      'llama.cpp tools/server/server-common.cpp (std::runtime_error "image input is not supported - hint: … mmproj", answered 500)',
      "measured: llama-server (field lab build 80fb11a) answers both parts with 500 server_error",
      "llama.cpp tools/server/server-chat.cpp (Responses input_image converted to an image_url part)",
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
      {
        name: "vLLM",
        versions:
          "current: ChatCompletionRequest has no modalities or audio; unknown fields are logged and ignored",
      },
      { name: "Ollama", versions: "current: ChatCompletionRequest has no modalities or audio" },
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
      'vLLM vllm/entrypoints/openai/chat_completion/protocol.py ChatCompletionRequest (no modalities/audio) and vllm/entrypoints/serve/engine/protocol.py OpenAIBaseModel ("The following fields were present in the request but ignored")',
      "Ollama openai/openai.go ChatCompletionRequest (no modalities/audio; encoding/json drops unknown fields)",
    ],
  },
  {
    id: "max-output-tokens-below-minimum",
    rows: ["/v1/responses[invalid:max_output_tokens]"],
    verdict: "WARN",
    summary: "Responses max_output_tokens below the spec's minimum 16 (8) is answered 200 instead of 400",
    implementations: [
      { name: "llama.cpp", versions: "current llama-server: copied to the chat body's max_tokens" },
      { name: "vLLM", versions: "current: max_output_tokens is any integer (capped by the context only)" },
      { name: "Ollama", versions: "current: max_output_tokens becomes num_predict unchecked" },
    ],
    docs: "docs/deviations.md#max-output-tokens-below-minimum",
    detect: (obs) => {
      const m = sentObject(obs)?.max_output_tokens;
      return ok(obs) && typeof m === "number" && m < 16;
    },
    explains: statusFinding,
    why: "No client breaks: the request succeeds with a very short answer. But code tuned on such a server gets a 400 from OpenAI for the same value (the spec's minimum is 16), and the row proves the server does not check the spec's bounds.",
    detection: "A 2xx answer to a Responses request with max_output_tokens below 16 (the row sends 8).",
    sources: [
      'llama.cpp tools/server/server-chat.cpp (chatcmpl_body["max_tokens"] = response_body["max_output_tokens"])',
      "vLLM vllm/entrypoints/openai/responses/protocol.py ResponsesRequest (max_output_tokens: int | None; to_sampling_params: min(max_output_tokens, default_max_tokens))",
      'Ollama openai/responses.go (MaxOutputTokens: "maps to num_predict"; options["num_predict"] = *r.MaxOutputTokens)',
    ],
  },
];

/**
 * What each implementation profile (src/serve/quirks.ts PROFILES) does with request parameters, with the sources
 * read, including where no deviation is attributed and why. The deviations above are the checkable part; this is
 * the record behind them (issue #15: "each profile's parameter behaviour is sourced"). test/param-matrix.test.ts
 * fails when a profile's implementation has no entry or an entry has no source.
 */
export interface ParamBehaviour {
  /** The catalog name (Profile.implementation). */
  implementation: string;
  /** Refused, ignored and accepted-though-invalid parameters, as the sources say. */
  summary: string;
  /** The param deviations above that name it (checked against the catalog by the test). */
  deviations: readonly string[];
  sources: readonly string[];
}

export const PARAM_BEHAVIOUR: readonly ParamBehaviour[] = [
  {
    implementation: "llama.cpp",
    summary:
      "temperature has no upper bound and roles go to the template unchecked (both answered 200); n 0 is refused; media parts without --mmproj are a 500; modalities/audio are not read; the Responses body is converted to a chat body, so the same checks apply there (max_output_tokens becomes max_tokens, with no minimum 16; an input_image part becomes an image_url part); a reasoning model's thinking comes in reasoning_content",
    deviations: [
      "reasoning-field",
      "invalid-values-accepted",
      "unknown-role-accepted",
      "multimodal-part-500",
      "audio-output-ignored",
      "max-output-tokens-below-minimum",
    ],
    sources: [
      "llama.cpp tools/server/server-schema.cpp (temperature set_limits(0, infinity); n_cmpl hard limits)",
      "llama.cpp tools/server/server-chat.cpp server_chat_convert_responses_to_chatcmpl",
      'measured: llama-server (field lab build 80fb11a): temperature 5 and role "wizard" 200, n 0 400, image_url/input_audio 500',
    ],
  },
  {
    implementation: "vLLM",
    summary:
      'temperature above 2, n 0 and top_p 0 are refused (VLLMValidationError, 400 naming the parameter; top_p 0 is valid for OpenAI); any role string is accepted; fields it does not know (modalities, audio, metadata, store, prediction …) are dropped with a server log line; Responses: max_output_tokens has no minimum, prompt is refused ("prompt template is not supported"), text.format json_object raises NotImplementedError ("json_object is not supported"; the status it becomes is not established), conversation, safety_identifier and the prompt-cache fields are dropped; with --reasoning-parser the thinking comes in reasoning (reasoning_content before v0.11)',
    deviations: [
      "reasoning-field",
      "top-p-zero-rejected",
      "unknown-role-accepted",
      "audio-output-ignored",
      "max-output-tokens-below-minimum",
    ],
    sources: [
      "vLLM vllm/sampling_params.py SamplingParams._verify_args",
      "vLLM vllm/entrypoints/chat_utils.py CustomChatCompletionMessageParam",
      "vLLM vllm/entrypoints/openai/chat_completion/protocol.py ChatCompletionRequest",
      "vLLM vllm/entrypoints/serve/engine/protocol.py OpenAIBaseModel (unknown fields logged and ignored)",
      "vLLM vllm/entrypoints/openai/responses/protocol.py ResponsesRequest (fields, to_sampling_params, validate_prompt, validate_background)",
    ],
  },
  {
    implementation: "Ollama",
    summary:
      "reads only model, messages, stream, stream_options, max_tokens, seed, stop, temperature, frequency/presence_penalty, top_p, response_format, tools, reasoning(_effort), logprobs/top_logprobs; everything else (n, tool_choice, parallel_tool_calls, logit_bias, user, max_completion_tokens, modalities …) is dropped silently by encoding/json; temperature and roles are passed on unchecked; Responses: tool_choice, background and conversation are not supported, include is ignored, an unknown input item type is refused; a thinking model's thinking comes in `reasoning`",
    deviations: [
      "reasoning-field",
      "invalid-values-accepted",
      "unknown-role-accepted",
      "max-completion-tokens-ignored",
      "n-ignored",
      "tool-choice-ignored",
      "audio-output-ignored",
      "max-output-tokens-below-minimum",
    ],
    sources: [
      "Ollama docs/api/openai-compatibility.mdx (supported request fields; tool_choice, logit_bias, user, n unchecked)",
      "Ollama openai/openai.go ChatCompletionRequest and FromChatRequest",
      'Ollama openai/responses.go ResponsesRequest (field comments) and FromResponsesRequest ("unknown input item type")',
    ],
  },
  {
    implementation: "LM Studio",
    summary:
      "documents model, top_p, top_k, messages, temperature, max_tokens, stream, stop, presence_penalty, frequency_penalty, logit_bias, repeat_penalty and seed as supported chat payload parameters; what it does with the others is not documented and not measured here, so no parameter deviation is attributed",
    deviations: [],
    sources: [
      "LM Studio docs 1_developer/3_openai-compat/chat-completions.md (Supported payload parameters)",
      "LM Studio docs 1_developer/3_openai-compat/responses.md (reasoning.effort, previous_response_id, stream and Remote MCP tools shown; no parameter list)",
    ],
  },
  {
    implementation: "LiteLLM",
    summary:
      "a proxy: OpenAI parameters go to the upstream provider; a parameter the provider does not support raises UnsupportedParamsError (400) unless drop_params is set, which drops it silently. Its parameter behaviour is the upstream's (or that setting's), so none is attributed to LiteLLM itself",
    deviations: [],
    sources: [
      "LiteLLM docs: Drop Unsupported Params (default: raise; drop_params: true drops)",
      "LiteLLM docs: Input Params (translated OpenAI params per provider)",
    ],
  },
  {
    implementation: "LocalAI",
    summary:
      "PredictionOptions takes n, top_p, temperature, max_tokens, seed and the penalties with no range checks in the schema; its behaviour on out-of-range values is not measured, so no parameter deviation is attributed",
    deviations: [],
    sources: [
      "LocalAI core/schema/prediction.go PredictionOptions",
      "LocalAI core/schema/openai.go OpenAIRequest",
    ],
  },
  {
    implementation: "SGLang",
    summary:
      "temperature must only be non-negative and finite (temperature 5 is sampled); unknown roles are refused by the message model; top_p 0 raises ValueError in SamplingParams.verify, but which status it becomes is not established (the serving base turns unexpected exceptions into 500), so top-p-zero-rejected is not attributed",
    deviations: ["invalid-values-accepted"],
    sources: [
      "SGLang python/sglang/srt/sampling/sampling_params.py SamplingParams.verify",
      "SGLang python/sglang/srt/entrypoints/openai/protocol.py ChatCompletionMessageGenericParam._normalize_role, ChatCompletionRequest",
      "SGLang python/sglang/srt/entrypoints/openai/serving_base.py OpenAIServingBase.handle_request",
    ],
  },
  {
    implementation: "TabbyAPI",
    summary:
      "temperature is accepted up to 10, roles are any string; n below 1 is refused by pydantic (FastAPI 422, not the envelope: error-not-envelope); best_of, echo, suffix and user are accepted and not parsed",
    deviations: ["invalid-values-accepted", "unknown-role-accepted"],
    sources: [
      "TabbyAPI common/sampling.py BaseSamplerRequest (temperature ge=0, le=10)",
      "TabbyAPI endpoints/OAI/types/chat_completion.py ChatCompletionMessage (role: str)",
      'TabbyAPI endpoints/OAI/types/common.py CommonCompletionRequest (n ge=1; best_of/echo/suffix/user "Not parsed")',
    ],
  },
];
