/**
 * The chat parameter matrix (src/catalog/params.ts): what each `/v1/chat/completions[param:*]` and `[invalid:*]`
 * row sends and what it verifies. The grades (accepted, honoured, ignored, rejected, crashed; refused or accepts
 * invalid) and the reuse of existing rows are param-grading.ts, shared with the Responses matrix.
 */
import { CHAT_PARAMS, findParam, INVALID_PARAMS, type ParamSpec } from "../catalog/params.js";
import { silentWav, TINY_PNG_DATA_URL } from "../fixtures/media.js";
import { observedJson } from "../http/json.js";
import type { Check, Outcome, ProbeContext } from "../probe/types.js";
import { STOP_PROMPT } from "./chat-bounds.js";
import {
  type ChatCompletionJson,
  excerpt,
  firstChoice,
  postChat,
  TOOL_PROMPT,
  TWO_CITIES,
  userMessage,
  WEATHER_TOOL,
} from "./chat-depth.js";
import { asRecord, settle, startC } from "./depth.js";
import { enforced, ignored, settleBehaviour, unverified } from "./enforcement.js";
import {
  type Body,
  graded,
  invalidCheck,
  type OwnRequest as Own,
  ownCheck,
  type ParamEndpoint,
  refused,
  reuseCheck,
  verdict,
  withoutShapeFindings,
} from "./param-grading.js";
import { limitNotHonoured, STOP_WHEN_CUT, type TokenLimit } from "./token-limit.js";

const CONTENT = "/choices/0/message/content";
const SAY_HI = userMessage("Say hi.");

/** A 1×1 PNG, as a data: URL (what chat UIs send for a pasted image). */

/** 0.05 s of WAV silence, base64 (an input_audio part's `data`). */
const silentWavBase64 = () => Buffer.from(silentWav(0.05)).toString("base64");

/** What a row sends beyond `model` (messages default to "Say hi.", max_tokens to 16), and what it verifies. */
type OwnRequest = Own<ChatCompletionJson>;

const toolCalls = (answer: ChatCompletionJson): unknown[] => {
  const calls = firstChoice(answer)?.message?.tool_calls;
  return Array.isArray(calls) ? calls : [];
};

const OWN: Record<string, OwnRequest> = {
  "tool_choice-none": {
    body: { messages: userMessage(TOOL_PROMPT), tools: [WEATHER_TOOL], tool_choice: "none" },
    // A client that says "none" renders the text answer; a tool call instead leaves it with content null.
    honour: (a) => {
      const n = toolCalls(a).length;
      return n === 0
        ? enforced('tool_choice "none"')
        : ignored(
            'tool_choice "none"',
            "/choices/0/message/tool_calls",
            "no tool call",
            `${n} call(s)`,
            `${n} tool call(s) came back although tool_choice was "none"`,
          );
    },
  },
  "tool_choice-auto": {
    body: { messages: userMessage(TOOL_PROMPT), tools: [WEATHER_TOOL], tool_choice: "auto" },
  },
  parallel_tool_calls: {
    body: {
      messages: userMessage(TWO_CITIES),
      tools: [WEATHER_TOOL],
      tool_choice: "auto",
      parallel_tool_calls: false,
    },
    // Clients set false because they run one call per turn (dependent calls, single-step extraction): a second
    // call in the same message is run out of order or dropped, so FAIL. No call at all proves nothing.
    honour: (a) => {
      const n = toolCalls(a).length;
      if (n === 0) return "no-evidence";
      return n === 1
        ? enforced("parallel_tool_calls false")
        : ignored(
            "parallel_tool_calls false",
            "/choices/0/message/tool_calls",
            "at most 1 tool call",
            `${n} calls`,
            `${n} tool calls in one message although parallel_tool_calls was false`,
          );
    },
  },
  "response_format-text": { body: { response_format: { type: "text" } } },
  presence_penalty: { body: { presence_penalty: 2 } },
  frequency_penalty: { body: { frequency_penalty: -2 } },
  temperature: { body: { temperature: 2 } },
  top_p: { body: { top_p: 0 } },
  user: { body: { user: "aioc-probe" } },
  safety_identifier: { body: { safety_identifier: "aioc-probe" } },
  metadata: { body: { metadata: { probe: "aioc" } } },
  store: { body: { store: false } },
  service_tier: { body: { service_tier: "auto" } },
  reasoning_effort: { body: { reasoning_effort: "low" } },
  verbosity: { body: { verbosity: "medium" } },
  prompt_cache_key: { body: { prompt_cache_key: "aioc-probe" } },
  prompt_cache_retention: { body: { prompt_cache_retention: "in_memory" } },
  prompt_cache_options: { body: { prompt_cache_options: { mode: "implicit", ttl: "30m" } } },
  web_search_options: { body: { web_search_options: {} } },
  moderation: { body: { moderation: { model: "omni-moderation-latest" } } },
  prediction: { body: { prediction: { type: "content", content: "Hello" } } },
  functions: {
    body: {
      messages: userMessage(TOOL_PROMPT),
      functions: [WEATHER_TOOL.function],
      function_call: "auto",
    },
  },
  modalities: {
    body: { modalities: ["text", "audio"], audio: { voice: "alloy", format: "wav" } },
    // OpenAI answers an audio request with message.audio or refuses it (a model without audio output). A 200
    // with text only leaves clients reading message.audio.data with nothing: FAIL.
    honour: (a) => {
      const audio = asRecord(firstChoice(a)?.message)?.audio;
      const data = asRecord(audio)?.data;
      return typeof data === "string" && data.length > 0
        ? enforced('modalities ["text","audio"]')
        : ignored(
            'modalities ["text","audio"]',
            "/choices/0/message/audio",
            "an audio object with base64 data",
            audio === undefined ? "missing" : excerpt(audio),
            "200 with no message.audio although audio output was requested (refuse it instead)",
          );
    },
  },
  "developer-role": {
    body: { messages: [{ role: "developer", content: "Answer briefly." }, ...SAY_HI] },
  },
  "system-role": { body: { messages: [{ role: "system", content: "Answer briefly." }, ...SAY_HI] } },
  "content-parts": {
    body: {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Say" },
            { type: "text", text: "hi." },
          ],
        },
      ],
    },
  },
  image_url: {
    body: {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What colour is this image?" },
            { type: "image_url", image_url: { url: TINY_PNG_DATA_URL } },
          ],
        },
      ],
    },
  },
  input_audio: {
    body: {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What do you hear?" },
            { type: "input_audio", input_audio: { data: silentWavBase64(), format: "wav" } },
          ],
        },
      ],
    },
  },
  name: { body: { messages: [{ role: "user", name: "aioc_probe", content: "Say hi." }] } },
};

async function postParam(ctx: ProbeContext, request: Body) {
  const sent = await postChat(ctx, request);
  withoutShapeFindings(sent.outcome);
  return sent;
}

const CHAT = "/v1/chat/completions";

const CHAT_ENDPOINT: ParamEndpoint<ChatCompletionJson> = {
  base: (model) => ({ model, messages: SAY_HI, max_tokens: 16 }),
  post: postParam,
};

/** The stop word the [stop] row used (it sent `stop: [word]`), if it got that far. */
function stopWord(dep: Outcome | undefined): string | undefined {
  const sent = asRecord(dep?.observation?.sent)?.stop;
  return Array.isArray(sent) && typeof sent[0] === "string" ? sent[0] : undefined;
}

/**
 * What [stop]'s answer says the same temperature-0 request gives when `word` stops it: its content up to the
 * word (all of it when [stop] cut it there). Undefined when [stop] kept no content.
 */
function stoppedText(dep: Outcome | undefined, word: string): string | undefined {
  const json = dep?.observation ? observedJson(dep.observation) : undefined;
  const content = firstChoice(json as ChatCompletionJson | undefined)?.message?.content;
  if (typeof content !== "string") return undefined;
  const at = content.indexOf(word);
  return at >= 0 ? content.slice(0, at) : content;
}

/**
 * `stop` as a plain string: the word [stop] proved the model says, sent as a string this time. The stop string
 * in the output proves it ignored; the answer [stop] got when cut there proves it honoured; any other answer
 * (another text, or cut by max_tokens before the word) proves neither.
 */
const stopString: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const spec = findParam("stop")!;
  const word = stopWord(start.base);
  const request = { model: start.model, messages: userMessage(STOP_PROMPT), max_tokens: 48, temperature: 0 };
  const { outcome, body } = await postParam(ctx, { ...request, stop: word ?? "\n\n\n" });
  if (!body) return refused(outcome, spec);
  if (!word) return settle(outcome, [], `accepted · ${outcome.httpStatus} ([stop] found no word to stop at)`);
  const content = firstChoice(body)?.message?.content;
  const expected = stoppedText(start.base, word);
  const param = "stop (string)";
  const e =
    typeof content === "string" && content.includes(word)
      ? ignored(
          param,
          CONTENT,
          `no "${word}"`,
          excerpt(content),
          `the output contains the stop string "${word}"`,
        )
      : typeof content === "string" && expected !== undefined && content.trim() === expected.trim()
        ? enforced(param)
        : unverified(
            param,
            CONTENT,
            excerpt(expected),
            excerpt(content),
            `the answer is not the one [stop] got cut before "${word}" (${excerpt(content)}, finish_reason ${String(firstChoice(body)?.finish_reason)}), so it does not show the stop string at work`,
          );
  return settleBehaviour(outcome, e, { passNote: `honoured · ${outcome.httpStatus} · cut before "${word}"` });
};

/** A token id from a logprobs entry: llama.cpp's `id`, or vLLM's `token_id:N` (return_tokens_as_token_ids). */
function tokenId(entry: Record<string, unknown> | undefined): number | undefined {
  if (typeof entry?.id === "number" && Number.isInteger(entry.id)) return entry.id;
  const m = typeof entry?.token === "string" ? /^token_id:(\d+)$/.exec(entry.token) : null;
  return m ? Number(m[1]) : undefined;
}

/** The first logprobs entry of a chat answer. */
function firstEntry(body: ChatCompletionJson | undefined): Record<string, unknown> | undefined {
  const content = asRecord(firstChoice(body)?.logprobs)?.content;
  return Array.isArray(content) ? asRecord(content[0]) : undefined;
}

/**
 * The first token of a temperature-0 answer, its text and id (when the server tells ids), and the logprobs
 * fields that made it tell the id (sent again with the bias, so the biased answer's first token id is known too).
 */
async function firstToken(ctx: ProbeContext, request: Body) {
  const attempts: Body[] = [{ logprobs: true }, { logprobs: true, return_tokens_as_token_ids: true }];
  let token: string | undefined;
  for (const extra of attempts) {
    const { body } = await postChat(ctx, { ...request, ...extra });
    const entry = firstEntry(body);
    const text = firstChoice(body)?.message?.content;
    if (typeof entry?.token === "string" && !entry.token.startsWith("token_id:")) token = entry.token;
    const id = tokenId(entry);
    if (id !== undefined && typeof text === "string") return { id, token: token ?? text.slice(0, 1), extra };
    if (!body) break;
  }
  return undefined;
}

/**
 * logit_bias keys are token ids, which only the server's tokenizer knows: the unbiased answer's logprobs give
 * the first token's id where the server reports ids (llama.cpp always, vLLM on request). Then the same request
 * with -100 on that id must not start with that token. The biased request asks for logprobs too, so the verdict
 * compares token ids: a model may spell the same text with other tokens ("Hel" + "lo" once "Hello" is banned),
 * which is the bias at work, not ignored. Only where the biased answer reports no id does its text decide, and
 * then the same text is inconclusive. Without an id the row checks acceptance only (with a neutral bias), and
 * says so. Ignoring the bias is WARN: the answer is still usable text, but token bans and biased classifiers
 * silently stop working.
 */
const logitBias: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const spec = findParam("logit_bias")!;
  const request = { model: start.model, messages: SAY_HI, max_tokens: 4, temperature: 0 };
  const first = await firstToken(ctx, request);
  const bias = first ? { [String(first.id)]: -100 } : { "0": 0 };
  const { outcome, body } = await postParam(ctx, { ...request, ...first?.extra, logit_bias: bias });
  if (!body) return refused(outcome, spec);
  if (!first || first.token.trim() === "") {
    return settle(outcome, [], `accepted · ${outcome.httpStatus} (no token id to bias: logprobs carry none)`);
  }
  const content = firstChoice(body)?.message?.content;
  const param = `logit_bias {${first.id}: -100}`;
  const biasedId = tokenId(firstEntry(body));
  const banned = excerpt(first.token);
  const sameText = typeof content === "string" && content.startsWith(first.token);
  const e =
    biasedId === first.id
      ? ignored(
          param,
          "/choices/0/logprobs/content/0",
          `a first token other than id ${first.id}`,
          `id ${biasedId} (${excerpt(content)})`,
          `the answer still starts with the banned token ${banned} (id ${first.id})`,
          "warn",
        )
      : biasedId === undefined && sameText
        ? unverified(
            param,
            CONTENT,
            `not starting with ${banned}`,
            excerpt(content),
            `the answer starts with the text of the banned token ${banned}, and its logprobs carry no token id to tell whether it is that token (id ${first.id}) or the same text in other tokens`,
          )
        : enforced(param);
  return settleBehaviour(outcome, e, {
    passNote: `honoured · ${outcome.httpStatus} · token ${banned} (id ${first.id}) gone`,
  });
};

/**
 * The [stream] row sends stream_options.include_usage; a frame carrying usage shows it was honoured. No frame at
 * all means `stream` itself was not honoured (a JSON body, or no event parsed): that is the finding, as [stream]
 * says, not a missing usage chunk.
 */
function streamUsage(outcome: Outcome, dep: Outcome): Outcome {
  const frames = dep.observation?.frames ?? [];
  if (frames.length === 0) {
    const type = dep.observation?.contentType || "no content type";
    const why = `stream true gave no event stream (${dep.httpStatus}, ${type}; see [stream])`;
    return verdict(outcome, "FAIL", `ignored ([stream]): ${why}`, "ignored");
  }
  const usage = frames.some((f) => asRecord(asRecord(f)?.usage));
  // The AI SDK and LangChain read usage from that chunk; without it they report no token counts but work: WARN.
  if (!usage)
    return verdict(
      outcome,
      "WARN",
      "ignored ([stream]): include_usage gave no usage chunk; token counts are lost",
      "ignored",
    );
  outcome.note = `honoured · ${dep.httpStatus} ([stream]: a usage chunk arrived)`;
  outcome.paramGrade = "honoured";
  return outcome;
}

/**
 * [seed] sends the same seeded temperature-0 request twice. At temperature 0 decoding is greedy whatever the
 * seed, so the same output twice shows the server deterministic, not the seed honoured: accepted. Two different
 * outputs do not prove the seed ignored either (OpenAI: best effort, determinism not guaranteed): unverified.
 */
function seedEvidence(outcome: Outcome, dep: Outcome): Outcome | undefined {
  if (!ok(dep) || dep.verdict?.status === "FAIL") return undefined;
  const differs = dep.problems.some((p) => p.pointer === "/choices/0/message/content");
  if (differs) return verdict(outcome, "WARN", `unverified ([seed]): ${dep.verdict?.detail}`, "unverified");
  if (dep.verdict) return undefined;
  outcome.httpStatus = dep.httpStatus;
  outcome.note = `accepted · ${dep.httpStatus} ([seed]: ${dep.note ?? "same output twice"}; at temperature 0 that shows determinism, not the seed at work)`;
  outcome.paramGrade = "accepted";
  return outcome;
}

const INVALID_REQUESTS: Record<string, Body> = {
  temperature: { messages: SAY_HI, temperature: 5 },
  n: { messages: SAY_HI, n: 0 },
  role: { messages: [{ role: "wizard", content: "Say hi." }] },
};

const ok = (o: Outcome) => o.httpStatus !== null && o.httpStatus >= 200 && o.httpStatus < 300;

/**
 * [max_tokens] sends each spelling in a request of its own, so each param row restates only its own request:
 * a server that honours max_tokens and ignores max_completion_tokens (Ollama) fails one, not both.
 */
function tokenLimit(spelling: TokenLimit) {
  return (outcome: Outcome, dep: Outcome): Outcome | undefined => {
    if (!ok(dep)) return undefined;
    const mine = dep.problems.find(limitNotHonoured(spelling));
    if (mine) {
      const why = dep.details?.get(mine) ?? `${spelling}: 1 not honoured`;
      return verdict(outcome, "FAIL", `ignored (max_tokens): ${why}`, "ignored");
    }
    const cut = dep.problems.find(
      (p) => p.got === STOP_WHEN_CUT && p.expected.includes(`(cut by ${spelling}: 1)`),
    );
    if (cut) {
      const why = dep.details?.get(cut) ?? `${spelling}: 1 honoured, but finish_reason is "stop"`;
      return verdict(outcome, "WARN", `honoured, with warnings ([max_tokens]): ${why}`, "honoured");
    }
    const other = spelling === "max_tokens" ? "max_completion_tokens" : "max_tokens";
    if (!dep.problems.some(limitNotHonoured(other))) return undefined;
    outcome.note = `honoured · ${dep.httpStatus} (max_tokens: ${spelling} 1 bounded the answer)`;
    outcome.paramGrade = "honoured";
    return outcome;
  };
}

function checkFor(spec: ParamSpec): Check {
  if (spec.name === "max_tokens" || spec.name === "max_completion_tokens")
    return reuseCheck(spec, CHAT, tokenLimit(spec.name));
  if (spec.reuses)
    return reuseCheck(spec, CHAT, (o, dep) =>
      spec.name === "stream_options" && ok(dep)
        ? streamUsage(o, dep)
        : spec.name === "seed"
          ? seedEvidence(o, dep)
          : undefined,
    );
  if (spec.name === "stop") return stopString;
  if (spec.name === "logit_bias") return logitBias;
  const own = OWN[spec.name];
  if (!own) throw new Error(`parameter ${spec.name} has no request in chat-param-matrix.ts`);
  return ownCheck(spec, own, CHAT_ENDPOINT);
}

export const paramMatrixChecks: Record<string, Check> = Object.fromEntries([
  ...CHAT_PARAMS.map((p) => [`${CHAT}[param:${p.name}]`, graded(checkFor(p), "param")] as const),
  ...INVALID_PARAMS.map(
    (p) =>
      [
        `${CHAT}[invalid:${p.name}]`,
        graded(
          invalidCheck(p.notes, (model) => ({ model, max_tokens: 4, ...INVALID_REQUESTS[p.name] })),
          "invalid",
        ),
      ] as const,
  ),
]);
