/**
 * The parameter matrix (src/catalog/params.ts): one row per chat request parameter, graded
 *
 *   accepted  2xx, nothing to verify about the effect (metadata, user, penalties …): PASS;
 *   honoured  2xx and the bytes prove the effect OpenAI guarantees (no call under tool_choice "none" …): PASS;
 *   ignored   2xx and the bytes prove the effect is missing: a protocol finding by the attribution rule
 *             (GUIDE.md), never "(model behaviour)": FAIL where clients relying on it break, WARN where they cope;
 *   rejected  4xx: FAIL for a `core` parameter (mainstream clients send it unasked, so they break), WARN for an
 *             `optional` one (the user opted in and the SDK raises an API error saying why); the detail says
 *             whether the envelope's `param` names the parameter (the best refusal: clients can drop it);
 *   crashed   5xx: FAIL (openai-node retries 5xx, resending the request that crashed it).
 *
 * Parameters an existing row already judges (`reuses`) send nothing: the row restates that row's evidence.
 * Invalid values (`[invalid:*]`) should be refused with 400 and the envelope; accepting them is WARN.
 */
import { CHAT_PARAMS, findParam, INVALID_PARAMS, type ParamSpec } from "../catalog/params.js";
import { silentWav, TINY_PNG } from "../fixtures/media.js";
import type { Check, Outcome, ProbeContext } from "../probe/types.js";
import type { ParamGrade } from "../report/types.js";
import { STOP_PROMPT } from "./chat-bounds.js";
import {
  type ChatCompletionJson,
  excerpt,
  firstChoice,
  postChat,
  TOOL_PROMPT,
  userMessage,
  WEATHER_TOOL,
} from "./chat-depth.js";
import { asRecord, finding, settle, skipC, startC } from "./depth.js";
import { type Enforcement, enforced, ignored, settleBehaviour } from "./enforcement.js";
import { refusalFindings, sendForRefusal } from "./error-response.js";
import { errorSummary, isErrorEnvelope } from "./expect.js";

type Body = Record<string, unknown>;

/** A behaviour's enforcement as the matrix's grade. */
const ENFORCEMENT_GRADE = { enforced: "honoured", ignored: "ignored", unverified: "unverified" } as const;

/** The grade of a row that sent its own request, from its answer's status and recorded enforcement. */
function gradeOf(outcome: Outcome, kind: "param" | "invalid"): ParamGrade | undefined {
  const status = outcome.httpStatus;
  if (status === null || outcome.skip) return undefined;
  if (status >= 500) return "crashed";
  if (kind === "invalid") return status >= 300 ? "refused" : "accepts invalid";
  if (status >= 300) return "rejected";
  const state = outcome.enforcement?.state;
  return state ? ENFORCEMENT_GRADE[state] : "accepted";
}

/** Records the grade on the outcome unless the check set one itself (the reuse rows do). */
const graded =
  (check: Check, kind: "param" | "invalid"): Check =>
  async (ctx) => {
    const outcome = await check(ctx);
    outcome.paramGrade ??= gradeOf(outcome, kind);
    return outcome;
  };
const CONTENT = "/choices/0/message/content";
const SAY_HI = userMessage("Say hi.");

/** A 1×1 PNG, as a data: URL (what chat UIs send for a pasted image). */
const PNG_DATA_URL = `data:image/png;base64,${Buffer.from(TINY_PNG).toString("base64")}`;

/** 0.05 s of WAV silence, base64 (an input_audio part's `data`). */
const silentWavBase64 = () => Buffer.from(silentWav(0.05)).toString("base64");

/** What a row sends beyond `model` (messages default to "Say hi.", max_tokens to 16), and what it verifies. */
interface OwnRequest {
  body: Body;
  /** The effect's evidence in a usable answer; absent when the effect cannot be seen in the bytes. */
  honour?(answer: ChatCompletionJson): Enforcement | "no-evidence" | undefined;
}

const toolCalls = (answer: ChatCompletionJson): unknown[] => {
  const calls = firstChoice(answer)?.message?.tool_calls;
  return Array.isArray(calls) ? calls : [];
};

const TWO_CITIES = "What is the weather in Paris and in Tokyo? Call the tool once for each city.";

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
            { type: "image_url", image_url: { url: PNG_DATA_URL } },
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

/**
 * A param row judges one parameter: the answer's shape findings (a missing `refusal`, a float `created` …) are
 * the base row's news, found there on the same kind of answer, and would otherwise lead every one of these rows.
 * An answer without choices still fails (postChat's own verdict), and the row's parameter findings come after.
 */
async function postParam(ctx: ProbeContext, request: Body) {
  const sent = await postChat(ctx, request);
  const o = sent.outcome;
  o.problems = o.problems.filter((p) => !p.pointer.startsWith("/"));
  return sent;
}

/** Does the error envelope name the parameter (its `param`, else its message)? */
function namesParam(json: unknown, spec: ParamSpec): "param" | "message" | undefined {
  const err = asRecord(asRecord(json)?.error);
  const names = spec.properties;
  const param = err?.param;
  if (typeof param === "string" && names.some((n) => param === n || param.startsWith(n))) return "param";
  const message = err?.message;
  if (typeof message === "string" && names.some((n) => message.includes(n))) return "message";
  return undefined;
}

/** The verdict of a non-2xx answer to a valid parameter (see the grades above). */
function refused(outcome: Outcome, spec: ParamSpec): Outcome {
  const status = outcome.httpStatus;
  if (status === null || status < 300) return outcome;
  const body = outcome.observation?.body;
  const summary = errorSummary(body);
  if (status >= 500) {
    outcome.verdict = {
      status: "FAIL",
      detail: `crashed: ${status} for a valid ${spec.name} (openai-node retries 5xx, resending it): ${summary}`,
    };
    return outcome;
  }
  let json: unknown;
  try {
    json = body ? JSON.parse(new TextDecoder().decode(body)) : undefined;
  } catch {
    json = undefined;
  }
  const named = isErrorEnvelope(json) ? namesParam(json, spec) : undefined;
  const how = !isErrorEnvelope(json)
    ? "no error envelope"
    : named === "param"
      ? `param: ${String(asRecord(asRecord(json)?.error)?.param)}`
      : named === "message"
        ? "the message names it, param does not"
        : "the envelope does not name the parameter";
  const cost =
    spec.tier === "core"
      ? "clients that send it by default break"
      : "the SDK raises an API error; callers must drop it";
  outcome.verdict = {
    status: spec.tier === "core" ? "FAIL" : "WARN",
    detail: `rejected: ${status} (${how}) — ${cost}: ${summary}`,
  };
  for (const p of outcome.problems) if (p.pointer === "status" && spec.tier !== "core") p.severity = "warn";
  return outcome;
}

function ownCheck(spec: ParamSpec, own: OwnRequest): Check {
  return async (ctx) => {
    const start = await startC(ctx);
    if (start.skip) return start.skip;
    const { outcome, body } = await postParam(ctx, {
      model: start.model,
      messages: SAY_HI,
      max_tokens: 16,
      ...own.body,
    });
    if (!body) return refused(outcome, spec);
    const e = own.honour?.(body);
    if (e === undefined || e === "no-evidence") {
      const why =
        e === "no-evidence" ? "nothing in the answer to verify it by" : "effect not visible in the bytes";
      return settle(outcome, [], `accepted · ${outcome.httpStatus} (${why})`);
    }
    return settleBehaviour(outcome, e, { passNote: `honoured · ${outcome.httpStatus} · ${e.param}` });
  };
}

/** The stop word the [stop] row used (it sent `stop: [word]`), if it got that far. */
function stopWord(dep: Outcome | undefined): string | undefined {
  const sent = asRecord(dep?.observation?.sent)?.stop;
  return Array.isArray(sent) && typeof sent[0] === "string" ? sent[0] : undefined;
}

/** `stop` as a plain string: the word [stop] proved the model says, sent as a string this time. */
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
  const e =
    typeof content === "string" && content.includes(word)
      ? ignored(
          "stop (string)",
          CONTENT,
          `no "${word}"`,
          excerpt(content),
          `the output contains the stop string "${word}"`,
        )
      : enforced("stop (string)");
  return settleBehaviour(outcome, e, { passNote: `honoured · ${outcome.httpStatus} · cut before "${word}"` });
};

/** A token id from a logprobs entry: llama.cpp's `id`, or vLLM's `token_id:N` (return_tokens_as_token_ids). */
function tokenId(entry: Record<string, unknown> | undefined): number | undefined {
  if (typeof entry?.id === "number" && Number.isInteger(entry.id)) return entry.id;
  const m = typeof entry?.token === "string" ? /^token_id:(\d+)$/.exec(entry.token) : null;
  return m ? Number(m[1]) : undefined;
}

/** The first token of a temperature-0 answer, its text and id (when the server tells ids). */
async function firstToken(ctx: ProbeContext, request: Body) {
  const attempts: Body[] = [{ logprobs: true }, { logprobs: true, return_tokens_as_token_ids: true }];
  let token: string | undefined;
  for (const extra of attempts) {
    const { body } = await postChat(ctx, { ...request, ...extra });
    const content = asRecord(firstChoice(body)?.logprobs)?.content;
    const entry = Array.isArray(content) ? asRecord(content[0]) : undefined;
    const text = firstChoice(body)?.message?.content;
    if (typeof entry?.token === "string" && !entry.token.startsWith("token_id:")) token = entry.token;
    const id = tokenId(entry);
    if (id !== undefined && typeof text === "string") return { id, token: token ?? text.slice(0, 1) };
    if (!body) break;
  }
  return undefined;
}

/**
 * logit_bias keys are token ids, which only the server's tokenizer knows: the unbiased answer's logprobs give
 * the first token's id where the server reports ids (llama.cpp always, vLLM on request). Then the same request
 * with -100 on that id must not start with that token. Without an id the row checks acceptance only (with a
 * neutral bias), and says so. Ignoring the bias is WARN: the answer is still usable text, but token bans and
 * biased classifiers silently stop working.
 */
const logitBias: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const spec = findParam("logit_bias")!;
  const request = { model: start.model, messages: SAY_HI, max_tokens: 4, temperature: 0 };
  const first = await firstToken(ctx, request);
  const bias = first ? { [String(first.id)]: -100 } : { "0": 0 };
  const { outcome, body } = await postParam(ctx, { ...request, logit_bias: bias });
  if (!body) return refused(outcome, spec);
  if (!first || first.token.trim() === "") {
    return settle(outcome, [], `accepted · ${outcome.httpStatus} (no token id to bias: logprobs carry none)`);
  }
  const content = firstChoice(body)?.message?.content;
  const param = `logit_bias {${first.id}: -100}`;
  const e =
    typeof content === "string" && content.startsWith(first.token)
      ? ignored(
          param,
          CONTENT,
          `not starting with ${excerpt(first.token)}`,
          excerpt(content),
          `the answer still starts with the banned token ${excerpt(first.token)} (id ${first.id})`,
          "warn",
        )
      : enforced(param);
  return settleBehaviour(outcome, e, {
    passNote: `honoured · ${outcome.httpStatus} · token ${excerpt(first.token)} (id ${first.id}) gone`,
  });
};

/** Evidence of a `reuses` row, restated: accepted/rejected/crashed from its status, honoured/ignored from its verdict. */
function reuseCheck(spec: ParamSpec): Check {
  return async (ctx) => {
    const dep = await ctx.dependency();
    const source = spec.reuses!;
    const tag = source.replace(/^\/v1\/chat\/completions/, "") || "base row";
    if (!dep) return skipC(`${source} did not complete`);
    if (dep.skip) return skipC(`${source} skipped: ${dep.skip}`);
    const status = dep.httpStatus;
    const outcome: Outcome = { phase: "C", httpStatus: status, latencyMs: null, problems: [] };
    const detail = dep.verdict?.detail ?? dep.note ?? "";
    if (status === null || status >= 300) {
      if (status !== null && status >= 500)
        return verdict(outcome, "FAIL", `crashed: ${status} in ${tag}: ${detail}`, "crashed");
      if (status === null) return verdict(outcome, "FAIL", `no answer in ${tag}: ${detail}`);
      const refusedStatus = spec.tier === "core" ? "FAIL" : "WARN";
      return verdict(outcome, refusedStatus, `rejected: ${status} in ${tag}: ${detail}`, "rejected");
    }
    if (spec.name === "stream_options") return streamUsage(outcome, dep);
    // Only the source row's own verdict speaks about the parameter; its shape findings are about the answer.
    const fails = dep.verdict?.status === "FAIL";
    const state = dep.enforcement?.state;
    if (state === "ignored" || (fails && state !== "enforced")) {
      const severe = fails || dep.enforcement?.severity === "fail";
      const why = `ignored (${tag}): ${detail || "see that row"}`;
      return verdict(outcome, severe ? "FAIL" : "WARN", why, "ignored");
    }
    if (state === "unverified")
      return verdict(outcome, "WARN", `unverified (${tag}): ${detail}`, "unverified");
    if (dep.verdict?.status === "WARN")
      return verdict(outcome, "WARN", `honoured, with warnings (${tag}): ${detail}`, "honoured");
    outcome.note = `honoured · ${status} (${tag}${detail ? `: ${detail}` : ""})`;
    outcome.paramGrade = "honoured";
    return outcome;
  };
}

function verdict(outcome: Outcome, status: "FAIL" | "WARN", detail: string, grade?: ParamGrade): Outcome {
  if (grade) outcome.paramGrade = grade;
  outcome.problems.push(
    finding(status === "FAIL" ? "fail" : "warn", "param", "honoured", "see detail", detail).problem,
  );
  outcome.verdict = { status, detail };
  return outcome;
}

/** The [stream] row sends stream_options.include_usage; a frame carrying usage shows it was honoured. */
function streamUsage(outcome: Outcome, dep: Outcome): Outcome {
  const frames = dep.observation?.frames ?? [];
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

const INVALID_REQUESTS: Record<string, Body> = {
  temperature: { messages: SAY_HI, temperature: 5 },
  n: { messages: SAY_HI, n: 0 },
  role: { messages: [{ role: "wizard", content: "Say hi." }] },
};

/**
 * Out-of-range values: OpenAI answers 400 with the envelope. Accepting them is WARN: nothing breaks, but the
 * caller's mistake goes unnoticed and the server ran something other than what was asked.
 */
function invalidCheck(name: string, notes: string): Check {
  return async (ctx) => {
    const start = await startC(ctx);
    if (start.skip) return start.skip;
    const json = { model: start.model, max_tokens: 4, ...INVALID_REQUESTS[name] };
    const r = await sendForRefusal(ctx, { method: "POST", path: ctx.row.path, json });
    if (r.status === undefined) return r.outcome;
    const findings = refusalFindings(r, 400, notes, (s) =>
      s === 422 ? " (422 is common; clients cope)" : "",
    ) ?? [
      finding("warn", "status", "400", String(r.status), `accepts invalid ${notes}: ${r.status}, not 400`),
    ];
    return settle(
      r.outcome,
      findings,
      `refused · ${r.status} · ${errorSummary(r.outcome.observation?.body)}`,
    );
  };
}

function checkFor(spec: ParamSpec): Check {
  if (spec.reuses) return reuseCheck(spec);
  if (spec.name === "stop") return stopString;
  if (spec.name === "logit_bias") return logitBias;
  const own = OWN[spec.name];
  if (!own) throw new Error(`parameter ${spec.name} has no request in chat-param-matrix.ts`);
  return ownCheck(spec, own);
}

const CHAT = "/v1/chat/completions";

export const paramMatrixChecks: Record<string, Check> = Object.fromEntries([
  ...CHAT_PARAMS.map((p) => [`${CHAT}[param:${p.name}]`, graded(checkFor(p), "param")] as const),
  ...INVALID_PARAMS.map(
    (p) => [`${CHAT}[invalid:${p.name}]`, graded(invalidCheck(p.name, p.notes), "invalid")] as const,
  ),
]);
