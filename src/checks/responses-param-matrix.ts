/**
 * The Responses parameter matrix (src/catalog/responses-params.ts): what each `/v1/responses[param:*]` and
 * `[invalid:*]` row sends and what it verifies. Grades, reuse and invalid values are param-grading.ts, shared
 * with the chat matrix; only the requests and the evidence in a Response are here.
 */
import type { ParamSpec } from "../catalog/params.js";
import { RESPONSES_INVALID_PARAMS, RESPONSES_PARAMS } from "../catalog/responses-params.js";
import { TINY_PNG_DATA_URL } from "../fixtures/media.js";
import type { Check, Outcome } from "../probe/types.js";
import { excerpt, TOOL_PROMPT, TWO_CITIES } from "./chat-depth.js";
import { messages as JSON_MESSAGES, jsonEnforcement } from "./chat-format.js";
import { asRecord, skipC, startC } from "./depth.js";
import { type Enforcement, enforced, ignored } from "./enforcement.js";
import { expectJson, expectSse } from "./expect.js";
import {
  type Body,
  graded,
  invalidCheck,
  judgeAnswer,
  type OwnRequest,
  ownCheck,
  type ParamEndpoint,
  refused,
  reuseCheck,
  verdict,
  withoutShapeFindings,
} from "./param-grading.js";
import { postResponse, STATE_FACT } from "./responses-state.js";
import { answerOf, RESPONSES_TOOL } from "./responses-tools.js";
import { streamView } from "./stream-frames.js";

const RESPONSES = "/v1/responses";
type ResponseJson = Record<string, unknown>;

const SAY_HI = "Say hi.";

const ENDPOINT: ParamEndpoint<ResponseJson> = {
  base: (model) => ({ model, input: SAY_HI, max_output_tokens: 16 }),
  post: async (ctx, request) => {
    const sent = await postResponse(ctx, request);
    withoutShapeFindings(sent.outcome);
    return sent;
  },
};

const outputItems = (a: ResponseJson): Record<string, unknown>[] =>
  (Array.isArray(a.output) ? a.output : []).flatMap((i) => (asRecord(i) ? [asRecord(i)!] : []));
const calls = (a: ResponseJson) => outputItems(a).filter((i) => i.type === "function_call");

/** The output's output_text parts (where logprobs live). */
const textParts = (a: ResponseJson) =>
  outputItems(a)
    .filter((i) => i.type === "message")
    .flatMap((i) => (Array.isArray(i.content) ? i.content : []))
    .flatMap((c) => (asRecord(c)?.type === "output_text" ? [asRecord(c)!] : []));

const tools = { tools: [RESPONSES_TOOL], max_output_tokens: 128 };

const OWN: Record<string, OwnRequest<ResponseJson>> = {
  instructions: { body: { instructions: "Answer briefly." } },
  temperature: { body: { temperature: 2 } },
  top_p: { body: { top_p: 0 } },
  "tool_choice-none": {
    body: { input: TOOL_PROMPT, ...tools, tool_choice: "none" },
    // A client that says "none" reads the text; a function_call item instead leaves it without an answer.
    honour: (a) => {
      const n = calls(a).length;
      return n === 0
        ? enforced('tool_choice "none"')
        : ignored(
            'tool_choice "none"',
            "/output",
            "no function_call item",
            `${n} function_call item(s)`,
            `${n} function_call item(s) came back although tool_choice was "none"`,
          );
    },
  },
  "tool_choice-auto": { body: { input: TOOL_PROMPT, ...tools, tool_choice: "auto" } },
  "tool_choice-required": {
    body: { input: TOOL_PROMPT, ...tools, tool_choice: "required" },
    // "required" is a guarantee: an agent loop waiting for a call gets text instead. A cut answer proves nothing.
    honour: (a) => {
      if (calls(a).length > 0) return enforced('tool_choice "required"');
      if (a.status === "incomplete") return "no-evidence";
      return ignored(
        'tool_choice "required"',
        "/output",
        "a function_call item",
        `${outputItems(a).length} item(s), none a function_call`,
        'no function_call item came back although tool_choice was "required"',
      );
    },
  },
  parallel_tool_calls: {
    body: { input: TWO_CITIES, ...tools, tool_choice: "auto", parallel_tool_calls: false },
    // Clients set false to run one call per turn: a second call in the same response runs out of order: FAIL.
    honour: (a) => {
      const n = calls(a).length;
      if (n === 0) return "no-evidence";
      return n === 1
        ? enforced("parallel_tool_calls false")
        : ignored(
            "parallel_tool_calls false",
            "/output",
            "at most 1 function_call item",
            `${n} items`,
            `${n} function_call items in one response although parallel_tool_calls was false`,
          );
    },
  },
  max_tool_calls: { body: { input: TOOL_PROMPT, ...tools, max_tool_calls: 1 } },
  "text-format-text": { body: { text: { format: { type: "text" } } } },
  "text-json_object": {
    body: { input: JSON_MESSAGES, text: { format: { type: "json_object" } }, max_output_tokens: 64 },
    honour: (a) => jsonObject(a),
  },
  "text-verbosity": { body: { text: { verbosity: "low" } } },
  reasoning: { body: { reasoning: { effort: "low", summary: "auto" } } },
  // Alone, without the store: false Codex sends beside it (store-false judges that), so a refusal names include.
  include: { body: { include: ["reasoning.encrypted_content"] } },
  top_logprobs: {
    body: { include: ["message.output_text.logprobs"], top_logprobs: 2 },
    // Clients asked for logprobs read output_text.logprobs; an empty list where text came back is a dropped
    // parameter. The text still works: WARN.
    honour: (a) => {
      const parts = textParts(a).filter((p) => typeof p.text === "string" && p.text !== "");
      if (parts.length === 0) return "no-evidence";
      const lp = parts[0]!.logprobs;
      return Array.isArray(lp) && lp.length > 0
        ? enforced('include "message.output_text.logprobs"')
        : ignored(
            'include "message.output_text.logprobs"',
            "/output/0/content/0/logprobs",
            "one entry per token",
            lp === undefined ? "missing" : excerpt(lp),
            "output_text carries no logprobs although include asked for them",
            "warn",
          );
    },
  },
  metadata: { body: { metadata: { probe: "aioc" } } },
  user: { body: { user: "aioc-probe" } },
  safety_identifier: { body: { safety_identifier: "aioc-probe" } },
  prompt_cache_key: { body: { prompt_cache_key: "aioc-probe" } },
  prompt_cache_retention: { body: { prompt_cache_retention: "in_memory" } },
  prompt_cache_options: { body: { prompt_cache_options: { mode: "implicit", ttl: "30m" } } },
  service_tier: { body: { service_tier: "auto" } },
  truncation: { body: { truncation: "auto" } },
  background: {
    body: { background: true, store: true },
    // OpenAI answers at once with status "queued"; a server that ran it to the end answers the same request,
    // which a polling client also reads correctly.
    honour: (a) =>
      a.status === "queued" || a.status === "in_progress"
        ? enforced(`background (status ${a.status})`)
        : "no-evidence",
  },
  context_management: { body: { context_management: [{ type: "compaction", compact_threshold: 1000 }] } },
  moderation: { body: { moderation: { model: "omni-moderation-latest" } } },
  "developer-role": {
    body: {
      input: [
        { role: "developer", content: "Answer briefly." },
        { role: "user", content: SAY_HI },
      ],
    },
  },
  input_text: {
    body: {
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "Say" },
            { type: "input_text", text: "hi." },
          ],
        },
      ],
    },
  },
  input_image: {
    body: {
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "What colour is this image?" },
            { type: "input_image", image_url: TINY_PNG_DATA_URL, detail: "auto" },
          ],
        },
      ],
    },
  },
};

const OUTPUT_TEXT = "/output/0/content/0/text";

/** text.format json_object: the chat verdict on the output text (cut, reasoning-only and fenced cases included). */
function jsonObject(a: ResponseJson): Enforcement {
  const param = "text.format json_object";
  const answer = answerOf(a);
  const choice = {
    message: { content: answer.content, reasoning_content: answer.reasoning },
    finish_reason: answer.finish,
  };
  const { e, value } = jsonEnforcement(param, choice);
  const repointed: Enforcement = e.evidence
    ? { ...e, evidence: { ...e.evidence, problem: { ...e.evidence.problem, pointer: OUTPUT_TEXT } } }
    : e;
  if (e.state !== "enforced" || asRecord(value)) return repointed;
  return ignored(
    param,
    OUTPUT_TEXT,
    "a JSON object",
    excerpt(answer.content),
    "the text is JSON but not an object",
  );
}

/**
 * conversation: a conversation created for it (POST /v1/conversations), then a Response in it. The row needs the
 * Responses base row, so a server without /v1/responses shows it as that route's absence, not as a refusal.
 */
const conversation: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const spec = spec_("conversation");
  const conv = { method: "POST", path: "/v1/conversations", json: { metadata: { probe: "aioc" } } } as const;
  const made = await expectJson(ctx, conv, "Conversation");
  const id = made.verdict ? undefined : asRecord(made.observation?.json)?.id;
  if (typeof id !== "string") {
    return skipC(`POST /v1/conversations gave ${made.httpStatus ?? "no answer"} and no conversation id`);
  }
  const { outcome, body } = await ENDPOINT.post(ctx, { ...ENDPOINT.base(start.model), conversation: id });
  if (!body) return refused(outcome, spec);
  return judgeAnswer(outcome, undefined);
};

/** stream_options {include_obfuscation: false}: the events carry no `obfuscation` padding. */
const streamOptions: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const spec = spec_("stream_options");
  const json = {
    ...ENDPOINT.base(start.model),
    stream: true,
    stream_options: { include_obfuscation: false },
  };
  const outcome = await expectSse(
    ctx,
    { method: "POST", path: RESPONSES, json },
    { frame: "ResponseStreamEvent", requireDone: false },
  );
  outcome.phase = "C";
  // The events' shape and the stream's headers are [stream]'s news (the same stream); this row judges the option.
  outcome.problems = outcome.problems.filter(
    (p) => !p.pointer.startsWith("stream") && !p.pointer.startsWith("header:"),
  );
  if (outcome.verdict || !outcome.observation) return refused(outcome, spec);
  const frames = streamView(outcome.observation).frames;
  // No event at all (a JSON body to stream: true): stream itself was not honoured, and there is no event to
  // judge the option on; clients that asked for a stream break.
  if (frames.length === 0) {
    const type = outcome.observation.contentType || "no content type";
    return verdict(
      outcome,
      "FAIL",
      `ignored: stream true gave no event stream (${outcome.httpStatus}, ${type}; see [stream])`,
      "ignored",
    );
  }
  const padded = frames.filter((f) => asRecord(f.data)?.obfuscation !== undefined).length;
  // Obfuscation is padding clients skip; sending it anyway costs bandwidth only: WARN.
  const e =
    padded === 0
      ? enforced("stream_options include_obfuscation false")
      : ignored(
          "stream_options include_obfuscation false",
          "stream/obfuscation",
          "no obfuscation field",
          `${padded} event(s) with obfuscation`,
          `${padded} event(s) carry obfuscation although include_obfuscation was false`,
          "warn",
        );
  return judgeAnswer(outcome, e);
};

/** [store] WARNs when the response is not retrievable: store true was taken but not kept, i.e. ignored. */
function storeState(outcome: Outcome, dep: Outcome): Outcome | undefined {
  if (dep.observation?.facts[STATE_FACT] !== "absent") return undefined;
  return verdict(
    outcome,
    "WARN",
    `ignored ([store]): ${dep.verdict?.detail ?? "not retrievable"}`,
    "ignored",
  );
}

/** [no-store] ends with a GET that must be 404: its status is the GET's, so a 404 that passed is the honour. */
function noStore(outcome: Outcome, dep: Outcome): Outcome | undefined {
  if (dep.httpStatus !== 404 || dep.verdict?.status === "FAIL" || dep.verdict?.status === "WARN")
    return undefined;
  outcome.httpStatus = 200;
  outcome.note = `honoured ([no-store]: ${dep.verdict?.detail ?? dep.note ?? "GET gives 404"})`;
  outcome.paramGrade = "honoured";
  return outcome;
}

const spec_ = (name: string): ParamSpec => RESPONSES_PARAMS.find((p) => p.name === name)!;

function checkFor(spec: ParamSpec): Check {
  if (spec.reuses) {
    const special = spec.name === "store" ? storeState : spec.name === "store-false" ? noStore : undefined;
    return reuseCheck(spec, RESPONSES, special);
  }
  if (spec.name === "conversation") return conversation;
  if (spec.name === "stream_options") return streamOptions;
  const own = OWN[spec.name];
  if (!own) throw new Error(`parameter ${spec.name} has no request in responses-param-matrix.ts`);
  return ownCheck(spec, own, ENDPOINT);
}

const INVALID_REQUESTS: Record<string, (model: string) => Body> = {
  temperature: (model) => ({ ...ENDPOINT.base(model), temperature: 5 }),
  max_output_tokens: (model) => ({ ...ENDPOINT.base(model), max_output_tokens: 8 }),
  "input-item": (model) => ({
    ...ENDPOINT.base(model),
    input: [{ type: "wizard_call", id: "wz_aioc_probe", call_id: "call_aioc_probe" }],
  }),
};

export const responsesParamMatrixChecks: Record<string, Check> = Object.fromEntries([
  ...RESPONSES_PARAMS.map((p) => [`${RESPONSES}[param:${p.name}]`, graded(checkFor(p), "param")] as const),
  ...RESPONSES_INVALID_PARAMS.map((p) => {
    const request = INVALID_REQUESTS[p.name];
    if (!request) throw new Error(`invalid value ${p.name} has no request in responses-param-matrix.ts`);
    return [`${RESPONSES}[invalid:${p.name}]`, graded(invalidCheck(p.notes, request), "invalid")] as const;
  }),
]);
