/**
 * The parameter matrix (issue #15): coverage against the pinned spec's CreateChatCompletionRequest, every row
 * PASSes against `aioc serve`, and each grade (accepted, honoured, ignored, rejected with and without an envelope
 * naming `param`, crashed; invalid values refused or accepted) against `aioc serve` behind a loopback proxy
 * that answers the one request under test itself.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { describe, test } from "node:test";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { BASE_PROPERTIES, CHAT_PARAMS, INVALID_PARAMS, isParamRow } from "../src/catalog/params.js";
import { CHECKS } from "../src/checks/index.js";
import { PARAM_BEHAVIOUR, PARAM_DEVIATIONS } from "../src/deviations/params.js";
import { expectedRequests, selectRows } from "../src/probe/plan.js";
import { runProbe } from "../src/probe/run.js";
import { renderReport } from "../src/render/index.js";
import { paramGrade } from "../src/render/params-table.js";
import { PROFILES } from "../src/serve/quirks.js";
import { startServer } from "../src/serve/server.js";
import { assertCoversSpec, locateOpenApi, specProperties } from "./helpers/openapi-spec.js";
import { byId } from "./helpers/results.js";
import { type ProxiedRequest, startServeProxy } from "./helpers/serve-proxy.js";

const CHAT = "/v1/chat/completions";
/** The chat matrix's rows (the Responses matrix is test/param-matrix-responses.test.ts). */
const isChatParamRow = (id: string) => id.startsWith(`${CHAT}[`) && isParamRow(id);
const SPEC = locateOpenApi().path;

type Json = Record<string, unknown>;

describe("each profile's parameter behaviour is sourced", () => {
  test("every profile's implementation has a sourced entry that lists exactly the param deviations naming it", () => {
    for (const profile of Object.values(PROFILES)) {
      const entry = PARAM_BEHAVIOUR.find((b) => b.implementation === profile.implementation);
      assert.ok(entry, `${profile.implementation}: no PARAM_BEHAVIOUR entry`);
      assert.ok(entry.sources.length > 0, `${profile.implementation}: no source`);
      const named = PARAM_DEVIATIONS.filter((d) =>
        d.implementations.some((i) => i.name === profile.implementation),
      ).map((d) => d.id);
      assert.deepEqual([...entry.deviations].sort(), named.sort(), profile.implementation);
    }
    for (const d of PARAM_DEVIATIONS) assert.ok((d.sources ?? []).length > 0, `${d.id} has no source`);
  });
});

describe("parameter list against the pinned spec", () => {
  test("every CreateChatCompletionRequest property has a row (or a base row) and every row names a real one", {
    skip: SPEC ? false : "openapi.json not found (set AIOC_OPENAPI)",
  }, () => {
    const doc = JSON.parse(readFileSync(SPEC!, "utf8")) as Json;
    const spec = specProperties(doc, "CreateChatCompletionRequest");
    assert.ok(spec.size >= 35, `only ${spec.size} properties read from the spec`);
    const covered = new Set([...CHAT_PARAMS.flatMap((p) => p.properties), ...Object.keys(BASE_PROPERTIES)]);
    assertCoversSpec(spec, covered, "CreateChatCompletionRequest");
  });

  test("each parameter is one catalog row with a check; reused rows exist and send nothing", () => {
    for (const p of CHAT_PARAMS) {
      const id = `${CHAT}[param:${p.name}]`;
      const row = ENDPOINTS.find((e) => e.id === id);
      assert.ok(row, `${id} missing from the catalog`);
      assert.equal(row.depth, "deep");
      assert.equal(row.label, "protocol");
      assert.ok(CHECKS[id], `${id} has no check`);
      if (p.reuses) {
        assert.ok(
          ENDPOINTS.some((e) => e.id === p.reuses),
          `${p.reuses} is not a row`,
        );
        assert.equal(row.needs, p.reuses);
        assert.equal(expectedRequests(row), 0);
      }
    }
    for (const p of INVALID_PARAMS) assert.ok(CHECKS[`${CHAT}[invalid:${p.name}]`]);
    assert.equal(new Set(CHAT_PARAMS.map((p) => p.name)).size, CHAT_PARAMS.length, "duplicate names");
  });

  test("--params selects the matrix at standard depth; deep selects it anyway", () => {
    const standard = selectRows({ depth: "standard" }).filter((r) => isParamRow(r.id));
    assert.equal(standard.length, 0);
    const withParams = selectRows({ depth: "standard", params: true }).filter((r) => isChatParamRow(r.id));
    const deep = selectRows({ depth: "deep" }).filter((r) => isChatParamRow(r.id));
    assert.equal(withParams.length, CHAT_PARAMS.length + INVALID_PARAMS.length);
    assert.equal(deep.length, withParams.length);
  });
});

const settings = { timeoutMs: 10_000, concurrency: 4, maxBodyBytes: 1 << 20 } as const;

describe("against aioc serve", () => {
  test("every parameter row is accepted and, where checkable, honoured", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1" });
    try {
      const report = await runProbe({
        baseUrl: server.url,
        depth: "standard",
        params: true,
        only: /^\/v1\/chat\/completions\[(param|invalid):/,
        ...settings,
      });
      const rows = report.results.filter((r) => isChatParamRow(r.id));
      assert.equal(rows.length, CHAT_PARAMS.length + INVALID_PARAMS.length);
      for (const r of rows) assert.equal(r.status, "PASS", `${r.id}: ${r.detail}`);
      const grades = Object.fromEntries(rows.map((r) => [r.id.replace(CHAT, ""), paramGrade(r)]));
      for (const name of [
        "logit_bias",
        "parallel_tool_calls",
        "tool_choice-none",
        "stream_options",
        "modalities",
        "stop",
      ])
        assert.equal(grades[`[param:${name}]`], "honoured", name);
      for (const p of INVALID_PARAMS) assert.equal(grades[`[invalid:${p.name}]`], "refused");
      const md = renderReport(report, "markdown");
      assert.match(md, /## Parameters\n\n\| Parameter \| Grade \| Status \| Detail \|/);
      assert.match(md, /\| `logit_bias` \| honoured \| /);
      assert.match(renderReport(report, "html"), /<section id="parameters">/);
    } finally {
      await server.close();
    }
  });

  test("modalities with audio answers message.audio (or refuses): never text only", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1" });
    try {
      const post = (body: Json) =>
        fetch(`${server.url}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model: "aioc-chat",
            messages: [{ role: "user", content: "hi" }],
            ...body,
          }),
        });
      const ok = await post({ modalities: ["text", "audio"], audio: { voice: "alloy", format: "wav" } });
      assert.equal(ok.status, 200);
      const message = ((await ok.json()) as { choices: { message: Json }[] }).choices[0]!.message;
      const audio = message.audio as Json;
      assert.equal(typeof audio.id, "string");
      assert.equal(typeof audio.expires_at, "number");
      assert.ok(
        Buffer.from(audio.data as string, "base64")
          .subarray(0, 4)
          .toString() === "RIFF",
      );
      assert.equal(audio.transcript, "Hello from the aioc reference server.");
      const noAudio = await post({ modalities: ["text", "audio"] });
      assert.equal(noAudio.status, 400);
      assert.equal(((await noAudio.json()) as { error: Json }).error.param, "audio");
    } finally {
      await server.close();
    }
  });
});

/** Answers a matched request (its JSON body given, for answers that echo what was sent). */
type Answer = (res: ServerResponse, sent: Json) => void;

const send = (res: ServerResponse, status: number, body: unknown, type = "application/json") => {
  res.writeHead(status, { "content-type": type });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};

const envelope = (message: string, param: string | null) => ({
  error: { message, type: "invalid_request_error", param, code: null },
});

/** aioc serve, except that chat requests matching `when` get `answer` (or are rewritten on the way back). */
async function probeWith(
  rows: string[],
  when: (j: Json) => boolean,
  answer: Answer | "strip-audio" | "two-calls",
) {
  const proxy = await startServeProxy(async (req: ProxiedRequest, res) => {
    if (req.path !== CHAT || !req.json || !when(req.json)) return false;
    if (typeof answer === "function") {
      answer(res, req.json);
      return true;
    }
    const { modalities, audio, parallel_tool_calls, ...rest } = req.json;
    const upstream = await fetch(`${proxy.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(rest),
    });
    const body = (await upstream.json()) as { choices: { message: Json }[] };
    const message = body.choices[0]!.message;
    if (answer === "two-calls" && Array.isArray(message.tool_calls)) {
      message.tool_calls = [message.tool_calls[0], { ...message.tool_calls[0], id: "call_second" }];
    }
    send(res, 200, body);
    return true;
  });
  try {
    const only = new RegExp(`^(${rows.map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`);
    return await runProbe({ baseUrl: proxy.url, depth: "standard", params: true, only, ...settings });
  } finally {
    await proxy.close();
  }
}

interface GradeCase {
  name: string;
  row: string;
  when: (j: Json) => boolean;
  answer: Answer | "strip-audio" | "two-calls";
  status: "PASS" | "WARN" | "FAIL";
  grade: string;
  detail: RegExp;
  /** The catalog deviation that names who does it. */
  deviation?: string;
}

const param = (name: string) => `${CHAT}[param:${name}]`;

/** The token id a logit_bias request bans (the row sends one key, -100). */
const bannedId = (sent: Json) => Number(Object.keys(sent.logit_bias as Json)[0]);

/** A chat answer to the biased request; its logprobs name the first token's id as vLLM does (undefined: none). */
function biasedAnswer(content: string, firstId: number | undefined) {
  const logprobs =
    firstId === undefined
      ? null
      : {
          content: [{ token: `token_id:${firstId}`, logprob: -0.1, bytes: null, top_logprobs: [] }],
          refusal: null,
        };
  return {
    id: "chatcmpl-x",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o-mini",
    choices: [
      { index: 0, message: { role: "assistant", content, refusal: null }, logprobs, finish_reason: "length" },
    ],
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  };
}

const GRADES: GradeCase[] = [
  {
    name: "optional parameter rejected, envelope names param: WARN",
    row: param("prediction"),
    when: (j) => "prediction" in j,
    answer: (res) => send(res, 400, envelope("prediction is not supported", "prediction")),
    status: "WARN",
    grade: "rejected",
    detail:
      /^rejected: 400 \(param: prediction\) — the SDK raises an API error; callers must drop it: prediction is not supported$/,
  },
  {
    name: "optional parameter rejected, envelope without param: WARN that says so",
    row: param("prediction"),
    when: (j) => "prediction" in j,
    answer: (res) => send(res, 400, envelope("bad request", null)),
    status: "WARN",
    grade: "rejected",
    detail: /^rejected: 400 \(the envelope does not name the parameter\)/,
  },
  {
    name: "optional parameter rejected without an envelope",
    row: param("metadata"),
    when: (j) => "metadata" in j,
    answer: (res) =>
      send(res, 422, { detail: [{ loc: ["body", "metadata"], msg: "extra fields not permitted" }] }),
    status: "WARN",
    grade: "rejected",
    detail: /^rejected: 422 \(no error envelope\)/,
  },
  {
    name: "core parameter rejected (clients send it unasked): FAIL even with an envelope",
    row: param("developer-role"),
    when: (j) => (j.messages as Json[]).some((m) => m.role === "developer"),
    answer: (res) => send(res, 400, envelope("Unexpected role 'developer'", "messages[0].role")),
    status: "FAIL",
    grade: "rejected",
    detail: /^rejected: 400 \(param: messages\[0\]\.role\) — clients that send it by default break/,
  },
  {
    name: "crash on a valid parameter: FAIL",
    row: param("image_url"),
    when: (j) => JSON.stringify(j.messages).includes("image_url"),
    answer: (res) =>
      send(res, 500, {
        error: { message: "segfault in the image encoder", type: "server_error", code: null },
      }),
    status: "FAIL",
    grade: "crashed",
    detail: /^crashed: 500 for a valid image_url .*segfault in the image encoder$/,
  },
  {
    name: "llama-server's 500 for a media part is named as the known deviation",
    row: param("input_audio"),
    when: (j) => JSON.stringify(j.messages).includes("input_audio"),
    answer: (res) =>
      send(res, 500, {
        error: { message: "audio input is not supported - hint: …mmproj", type: "server_error", code: 500 },
      }),
    status: "FAIL",
    grade: "crashed",
    detail:
      /^an image content part \(chat image_url, Responses input_image\) or input_audio part sent to a text-only model is a 500 server_error/,
    deviation: "multimodal-part-500",
  },
  {
    name: "audio output silently dropped: ignored, FAIL",
    row: param("modalities"),
    when: (j) => "modalities" in j,
    answer: "strip-audio",
    status: "FAIL",
    grade: "ignored",
    detail: /is answered 200 with text only: no `message\.audio` — known: llama\.cpp, vLLM, Ollama$/,
    deviation: "audio-output-ignored",
  },
  {
    name: "parallel_tool_calls false ignored (two calls): FAIL",
    row: param("parallel_tool_calls"),
    when: (j) => j.parallel_tool_calls === false,
    answer: "two-calls",
    status: "FAIL",
    grade: "ignored",
    detail: /^parallel_tool_calls false not enforced: 2 tool calls in one message/,
  },
  {
    name: "tool_choice none ignored (a call comes back): FAIL",
    row: param("tool_choice-none"),
    when: (j) => j.tool_choice === "none",
    answer: (res) =>
      send(res, 200, {
        id: "chatcmpl-x",
        object: "chat.completion",
        created: 1,
        model: "gpt-4o-mini",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: null,
              refusal: null,
              tool_calls: [
                { id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } },
              ],
            },
            logprobs: null,
            finish_reason: "tool_calls",
          },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    status: "FAIL",
    grade: "ignored",
    // The catalog names who does it (src/deviations/params.ts tool-choice-ignored).
    detail:
      /^tool_choice is not read: with tools given, "none" still lets the model call one .* — known: Ollama$/,
    deviation: "tool-choice-ignored",
  },
  {
    name: "logit_bias ignored (the banned token id comes back first): WARN",
    row: param("logit_bias"),
    when: (j) => "logit_bias" in j,
    answer: (res, sent) => send(res, 200, biasedAnswer("Hello from", bannedId(sent))),
    status: "WARN",
    grade: "ignored",
    detail: /^logit_bias \{\d+: -100\} not enforced: the answer still starts with the banned token "Hello"/,
  },
  {
    // A model banned from "Hello" may spell it "Hel" + "lo": the same text, other tokens, the bias at work.
    name: "logit_bias honoured though the text starts alike (another first token id): PASS",
    row: param("logit_bias"),
    when: (j) => "logit_bias" in j,
    answer: (res, sent) => send(res, 200, biasedAnswer("Hello from", bannedId(sent) + 1)),
    status: "PASS",
    grade: "honoured",
    detail: /^honoured · 200 · token "Hello" \(id \d+\) gone$/,
  },
  {
    name: "logit_bias: the banned token's text first, but no token id to compare: inconclusive, not ignored",
    row: param("logit_bias"),
    when: (j) => "logit_bias" in j,
    answer: (res) => send(res, 200, biasedAnswer("Hello from", undefined)),
    status: "WARN",
    grade: "unverified",
    detail:
      /^inconclusive whether logit_bias \{\d+: -100\} is enforced: the answer starts with the text of the banned token "Hello", and its logprobs carry no token id/,
  },
  {
    name: "seed: two different temperature-0 outputs do not prove the seed ignored: unverified, not honoured",
    row: param("seed"),
    when: (j) => j.seed === 42,
    answer: (() => {
      let turn = 0;
      return (res: ServerResponse) => send(res, 200, biasedAnswer(`The sea is wide ${turn++}.`, undefined));
    })(),
    status: "WARN",
    grade: "unverified",
    detail: /^unverified \(\[seed\]\): same seed and temperature 0 gave different outputs/,
  },
  {
    name: "stream true answered with a JSON body: stream itself ignored (FAIL), not a missing usage chunk",
    row: param("stream_options"),
    when: (j) => j.stream === true,
    answer: (res) => send(res, 200, biasedAnswer("hi", undefined)),
    status: "FAIL",
    grade: "ignored",
    detail:
      /^ignored \(\[stream\]\): stream true gave no event stream \(200, application\/json; see \[stream\]\)$/,
  },
  {
    name: "stop string: an answer cut by max_tokens before the word proves nothing: unverified, not honoured",
    row: param("stop"),
    when: (j) => typeof j.stop === "string",
    answer: (res) => send(res, 200, biasedAnswer("Once upon a time", undefined)),
    status: "WARN",
    grade: "unverified",
    detail:
      /^inconclusive whether stop \(string\) is enforced: the answer is not the one \[stop\] got cut before "the" \("Once upon a time", finish_reason length\)/,
  },
  {
    // OpenAI refuses audio output for a model without it the same way: conformant, not a missing feature.
    name: "audio output refused with 400 and the envelope (a text model): PASS",
    row: param("modalities"),
    when: (j) => "modalities" in j,
    answer: (res) => send(res, 400, envelope("This model does not support audio output.", "modalities")),
    status: "PASS",
    grade: "rejected",
    detail:
      /^rejected: 400 \(param: modalities\) — a model without audio output, refused as OpenAI refuses one: This model does not support audio output\.$/,
  },
  {
    name: "an image part refused with 400 and the envelope, param null (a text model): PASS",
    row: param("image_url"),
    when: (j) => JSON.stringify(j.messages).includes("image_url"),
    answer: (res) => send(res, 400, envelope("image input is not supported by this model", null)),
    status: "PASS",
    grade: "rejected",
    detail: /^rejected: 400 \(the envelope does not name the parameter\) — a model without image input/,
  },
  {
    name: "an image part refused without an envelope (FastAPI 422) stays WARN",
    row: param("image_url"),
    when: (j) => JSON.stringify(j.messages).includes("image_url"),
    answer: (res) => send(res, 422, { detail: [{ loc: ["body", "messages"], msg: "bad content part" }] }),
    status: "WARN",
    grade: "rejected",
    detail: /^rejected: 422 \(no error envelope\) — the SDK raises an API error; callers must drop it/,
  },
  {
    name: "invalid value accepted: WARN accepts invalid",
    row: `${CHAT}[invalid:temperature]`,
    when: (j) => j.temperature === 5,
    answer: (res) =>
      send(res, 200, {
        id: "chatcmpl-x",
        object: "chat.completion",
        created: 1,
        model: "gpt-4o-mini",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: "hi", refusal: null },
            logprobs: null,
            finish_reason: "stop",
          },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    status: "WARN",
    grade: "accepts invalid",
    detail:
      /^an out-of-range temperature .* is answered 200 instead of 400 — known: llama\.cpp, Ollama, SGLang, TabbyAPI$/,
    deviation: "invalid-values-accepted",
  },
  {
    name: "invalid value crashing the server: FAIL",
    row: `${CHAT}[invalid:n]`,
    when: (j) => j.n === 0,
    answer: (res) => send(res, 500, "Internal Server Error", "text/plain"),
    status: "FAIL",
    grade: "crashed",
    detail: /^500 for n 0 \(below the minimum 1\): a client error reported as a server fault/,
  },
];

describe("grades against a server with one defect", () => {
  for (const c of GRADES) {
    test(c.name, async () => {
      const report = await probeWith([c.row], c.when, c.answer);
      const r = byId(report, c.row);
      assert.equal(r.status, c.status, r.detail);
      assert.equal(paramGrade(r), c.grade, r.detail);
      assert.match(r.detail, c.detail);
      if (c.deviation)
        assert.ok(
          r.deviations.some((d) => d.id === c.deviation),
          r.detail,
        );
    });
  }

  test("a reused row restates its source: n ignored by the server is ignored here too", async () => {
    const report = await probeWith(
      [param("n")],
      (j) => j.n === 2,
      (res) =>
        send(res, 200, {
          id: "chatcmpl-x",
          object: "chat.completion",
          created: 1,
          model: "gpt-4o-mini",
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: "hi", refusal: null },
              logprobs: null,
              finish_reason: "stop",
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
    );
    const r = byId(report, param("n"));
    assert.equal(r.status, "FAIL");
    assert.equal(r.requests, 0);
    assert.equal(paramGrade(r), "ignored");
    assert.match(r.detail, /^ignored \(\[n\]\): n: 2 gave 1 choice/);
  });
});
