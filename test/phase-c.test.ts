/**
 * Phase C checks against purpose-built servers: a compliant fake PASSes every row within its request budget;
 * each defect gets its documented verdict and detail; a disobedient model never makes a behaviour row FAIL.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { selectRows } from "../src/probe/plan.js";
import { BEHAVIOUR_REPEATS, runProbe } from "../src/probe/run.js";
import type { Report } from "../src/report/types.js";
import { type Defect, type FakeOptions, startFake } from "./helpers/fake-openai.js";
import { byId } from "./helpers/results.js";
import { json, startScripted } from "./helpers/scripted-server.js";

const KEY = "sk-phase-c-test-key-42";
/**
 * The fake (helpers/fake-openai.ts) answers the Responses API statelessly and without function tools, so the
 * responses group's rows are judged against `aioc serve` and their own defects in responses-depth.test.ts and
 * responses-codex.test.ts.
 * The python SDK rows are tested against these fakes in clients-sdks.test.ts (they need the test virtualenv).
 */
const RESPONSES_GROUP =
  /^\/v1\/responses\[(store|previous_response_id|input_items|delete|no-store|tools|tool-result|tools-stream|json_schema|incomplete|codex-stream|codex-tools)\]$|^client:openai-node\/responses\.tools$/;
// The parameter matrix (deep includes it) is judged in param-matrix.test.ts.
const MATRIX = /\[(param|invalid):|^openapi:declared$/;
const PHASE_C = ENDPOINTS.filter(
  (e) =>
    e.phase === "C" &&
    !RESPONSES_GROUP.test(e.id) &&
    !e.id.startsWith("client:openai-python/") &&
    !MATRIX.test(e.id),
);

async function probe(options: FakeOptions, only: RegExp, apiKey?: string): Promise<Report> {
  const server = await startFake(options);
  try {
    return await runProbe({
      baseUrl: server.url,
      apiKey,
      only,
      skip: /^client:openai-python\/|\[(param|invalid):/,
      timeoutMs: 5000,
      concurrency: 4,
      depth: "deep",
      maxBodyBytes: 1 << 20,
    });
  } finally {
    await server.close();
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const only = (id: string) => new RegExp(`^${escapeRegExp(id)}$`);

/** Requests each row may make: the budget of the brief. */
function budget(id: string): number {
  // These rows read their base row's stream and send nothing.
  if (/\[(stream-forensics|codex-stream|codex-tools)\]$/.test(id)) return 0;
  if (/\[(max_tokens|seed|stop)\]$/.test(id) || id === "client:openai-node/chat.stream") return 2;
  return 1;
}

describe("a compliant server", () => {
  test("every Phase C and client row PASSes within its request budget", async () => {
    const report = await probe({ apiKey: KEY }, /\[|^client:/, KEY);
    for (const e of PHASE_C) {
      const r = byId(report, e.id);
      assert.equal(r.status, "PASS", `${e.id}: ${r.status} ${r.detail}`);
      assert.equal(r.phase, "C", e.id);
      // At deep depth a behaviour row that passes runs BEHAVIOUR_REPEATS times.
      const runs = e.label === "behaviour" && !e.id.endsWith("[seed]") ? BEHAVIOUR_REPEATS : 1;
      assert.equal(r.requests, budget(e.id) * runs, `${e.id} made ${r.requests} requests`);
    }
    assert.ok(!JSON.stringify(report).includes(KEY), "the key never reaches the report");
  });

  test("client rows go through the transport: counted, recorded and redacted", async () => {
    const report = await probe({ apiKey: KEY }, /^client:openai-node\/chat$/, KEY);
    const r = byId(report, "client:openai-node/chat");
    assert.equal(r.requests, 1);
    const exchange = r.exchanges?.[0];
    assert.ok(exchange);
    assert.match(exchange.request.url, /\/v1\/chat\/completions$/);
    assert.equal(exchange.request.headers.authorization, "Bearer [REDACTED]");
    assert.equal(exchange.response?.status, 200);
  });

  test("stream forensics measure TTFT and tokens per second on a paced stream", async () => {
    const report = await probe(
      { defects: ["stream-chunked"] },
      only("/v1/chat/completions[stream-forensics]"),
    );
    const r = byId(report, "/v1/chat/completions[stream-forensics]");
    assert.equal(r.status, "PASS", r.detail);
    assert.equal(r.requests, 0);
    assert.ok(r.metrics?.ttftMs !== undefined && r.metrics.ttftMs >= 20, JSON.stringify(r.metrics));
    assert.ok(r.metrics?.ttfbMs !== undefined);
    // usage says 3 completion tokens: 2 tokens after the first over ≥ 40 ms of stream.
    assert.ok(
      r.metrics?.tokensPerSecond !== undefined && r.metrics.tokensPerSecond > 0,
      JSON.stringify(r.metrics),
    );
    assert.match(r.detail, /TTFT \d+ ms · [\d.]+ tok\/s/);
  });

  test("without --api-key the auth rows SKIP", async () => {
    const report = await probe({}, /\[auth-/);
    for (const id of ["/v1/models[auth-no-key]", "/v1/models[auth-wrong-key]"]) {
      assert.equal(byId(report, id).status, "SKIP");
      assert.equal(byId(report, id).detail, "pass --api-key to check auth");
      assert.equal(byId(report, id).requests, 0);
    }
  });

  test("clients: false drops the client rows", () => {
    const rows = selectRows({ depth: "deep", clients: false });
    assert.ok(rows.length > 0 && rows.every((r) => !r.id.startsWith("client:")));
    assert.ok(selectRows({ depth: "deep" }).some((r) => r.id.startsWith("client:")));
  });
});

interface Case {
  defect: Defect;
  row: string;
  status: "WARN" | "FAIL" | "SKIP";
  detail: RegExp;
  apiKey?: boolean;
}

const CASES: Case[] = [
  {
    defect: "tool-call-no-id",
    row: "/v1/chat/completions[tools]",
    status: "FAIL",
    detail: /tool_calls\[0\]\.id` missing/,
  },
  {
    defect: "tools-stream-no-index",
    row: "/v1/chat/completions[tools-stream]",
    status: "FAIL",
    detail: /index/,
  },
  {
    defect: "tool-result-500",
    row: "/v1/chat/completions[tool-result]",
    status: "FAIL",
    detail: /^500 — tool messages/,
  },
  {
    defect: "json-schema-400",
    row: "/v1/chat/completions[json_schema]",
    status: "WARN",
    detail: /^400 — response_format json_schema not supported/,
  },
  {
    defect: "ignore-max-tokens",
    row: "/v1/chat/completions[max_tokens]",
    status: "FAIL",
    detail: /max_tokens: 1 not honoured: usage\.completion_tokens is 20 \(\+1 more\)/,
  },
  {
    defect: "reject-max-completion-tokens",
    row: "/v1/chat/completions[max_tokens]",
    status: "FAIL",
    detail: /^max_completion_tokens: 400 — Unsupported parameter/,
  },
  { defect: "ignore-n", row: "/v1/chat/completions[n]", status: "FAIL", detail: /n 2 gives one choice/ },
  {
    defect: "ignore-logprobs",
    row: "/v1/chat/completions[logprobs]",
    status: "FAIL",
    detail: /logprobs: true was ignored/,
  },
  {
    defect: "reject-extra-fields",
    row: "/v1/chat/completions[extra-fields]",
    status: "WARN",
    detail: /^400 — unknown request fields \(vendor extensions\) not supported/,
  },
  {
    defect: "invalid-json-500",
    row: "/v1/chat/completions[error-invalid-json]",
    status: "FAIL",
    detail: /500 instead of 400|500 for malformed JSON/,
  },
  {
    defect: "error-not-envelope",
    row: "/v1/chat/completions[error-invalid-json]",
    status: "WARN",
    detail: /envelope/,
  },
  {
    defect: "missing-field-200",
    row: "/v1/chat/completions[error-missing-field]",
    status: "FAIL",
    detail: /^200 for a request without messages: the request was accepted/,
  },
  {
    defect: "unknown-model-fallback",
    row: "/v1/chat/completions[error-unknown-model]",
    status: "WARN",
    // The deviation (src/deviations/catalog.ts model-fallback) names who does it; the finding keeps who answered.
    detail:
      /^a request for an unknown model is answered 200 by whatever model the server has loaded — known: llama\.cpp$/,
  },
  {
    defect: "unknown-model-400",
    row: "/v1/chat/completions[error-unknown-model]",
    status: "WARN",
    detail: /^400 for an unknown model; OpenAI answers 404 model_not_found/,
  },
  {
    defect: "wrong-method-500",
    row: "/v1/chat/completions[error-wrong-method]",
    status: "FAIL",
    detail: /^500 for GET on a POST route/,
  },
  {
    defect: "stream-no-role",
    row: "/v1/chat/completions[stream-forensics]",
    status: "FAIL",
    detail: /no delta carries a role/,
  },
  {
    defect: "stream-late-role",
    row: "/v1/chat/completions[stream-forensics]",
    status: "WARN",
    detail: /the first delta carries no role; it comes at event 1/,
  },
  {
    defect: "stream-two-ids",
    row: "/v1/chat/completions[stream-forensics]",
    status: "FAIL",
    detail: /the chunk at event 1 has id "chatcmpl-s2"/,
  },
  {
    defect: "stream-no-finish",
    row: "/v1/chat/completions[stream-forensics]",
    status: "FAIL",
    // The no-finish-reason deviation explains the finding and names known implementations.
    detail: /no stream chunk carries a finish_reason — known:/,
  },
  {
    defect: "stream-usage-no-choices",
    row: "/v1/chat/completions[stream-forensics]",
    status: "FAIL",
    detail: /has no choices array/,
  },
  {
    defect: "stream-usage-with-choices",
    row: "/v1/chat/completions[stream-forensics]",
    status: "WARN",
    // Named by the catalog entry that accounts for the forensics finding.
    detail: /^the include_usage chunk carries a non-empty `choices` array .* — known: LiteLLM/,
  },
  {
    defect: "stream-no-done",
    row: "/v1/chat/completions[stream-forensics]",
    status: "WARN",
    detail: /no data: \[DONE\]/,
  },
  {
    defect: "completions-no-finish",
    row: "/v1/completions[stream-forensics]",
    status: "WARN",
    detail: /no chunk carries finish_reason for choice 0/,
  },
  {
    defect: "responses-no-created",
    row: "/v1/responses[stream-forensics]",
    status: "FAIL",
    detail: /not response\.created/,
  },
  {
    defect: "responses-delta-mismatch",
    row: "/v1/responses[stream-forensics]",
    status: "FAIL",
    detail: /response\.completed's text is "Hello world\." but the deltas add up to "Hello there\."/,
  },
  {
    defect: "responses-sequence",
    row: "/v1/responses[stream-forensics]",
    status: "WARN",
    detail: /sequence_number 1 after 2/,
  },
  {
    defect: "responses-delta-before-item",
    row: "/v1/responses[stream-forensics]",
    status: "FAIL",
    detail: /before response\.output_item\.added/,
  },
  {
    defect: "auth-open",
    row: "/v1/models[auth-no-key]",
    status: "WARN",
    detail: /^200 without a key: the server does not require a key/,
    apiKey: true,
  },
  {
    defect: "auth-open",
    row: "/v1/models[auth-wrong-key]",
    status: "WARN",
    detail: /^200 for a wrong key: the server does not require a key/,
    apiKey: true,
  },
  {
    defect: "auth-presence-only",
    row: "/v1/models[auth-wrong-key]",
    status: "FAIL",
    detail: /^200 for a wrong key while no key gets 401: the key is not verified/,
    apiKey: true,
  },
  {
    defect: "auth-403",
    row: "/v1/models[auth-no-key]",
    status: "WARN",
    detail: /^403 for a request without a key; OpenAI answers 401/,
    apiKey: true,
  },
  {
    defect: "tool-args-cut",
    row: "/v1/chat/completions[tools]",
    status: "WARN",
    detail:
      /^the tool arguments end mid-JSON at the max_tokens limit \(completion_tokens 128\) but finish_reason is "tool_calls"/,
  },
  {
    defect: "models-500",
    row: "/v1/models[auth-no-key]",
    status: "SKIP",
    detail: /^inconclusive: 500 with the key too, so 500 for a request without a key says nothing about auth/,
    apiKey: true,
  },
  {
    defect: "models-500",
    row: "/v1/models[auth-wrong-key]",
    status: "SKIP",
    detail: /^inconclusive: 500 with the key too, so 500 for a wrong key says nothing about authentication/,
    apiKey: true,
  },
  {
    defect: "base64-ignored",
    row: "/v1/embeddings[base64]",
    status: "FAIL",
    detail: /encoding_format base64 ignored, floats came back: openai-node .* garbage vector of 4 dimensions/,
  },
  {
    defect: "base64-big-endian",
    row: "/v1/embeddings[base64]",
    status: "FAIL",
    detail: /big-endian/,
  },
  {
    defect: "base64-ignored",
    row: "client:openai-node/embeddings",
    status: "FAIL",
    detail:
      /^encoding_format base64 ignored: the server sent 16 floats, which the SDK decoded as base64 into garbage/,
  },
  {
    defect: "dimensions-ignored",
    row: "/v1/embeddings[dimensions]",
    status: "WARN",
    detail: /^dimensions not honoured: 16 dimensions came back \(asked for 8\)/,
  },
  {
    defect: "dimensions-400",
    row: "/v1/embeddings[dimensions]",
    status: "WARN",
    detail: /^400 — dimensions not supported/,
  },
  {
    defect: "batch-reversed",
    row: "/v1/embeddings[batch]",
    status: "FAIL",
    detail: /data is not in input order/,
  },
  {
    defect: "batch-first-only",
    row: "/v1/embeddings[batch]",
    status: "FAIL",
    detail: /1 embedding\(s\) for 2 inputs/,
  },
  {
    defect: "stream-no-role",
    row: "client:openai-node/chat.stream",
    status: "FAIL",
    detail: /^openai-node threw: OpenAIError: missing role for choice 0 \(in chat\.completions\.stream\(\)/,
  },
  {
    defect: "stream-usage-no-choices",
    row: "client:openai-node/chat.stream",
    status: "FAIL",
    detail:
      /^openai-node threw: OpenAIError: chunk\.choices is not iterable \(in chat\.completions\.stream\(\)/,
  },
];

describe("defects get their documented verdicts", () => {
  for (const c of CASES) {
    test(`${c.defect} → ${c.row} ${c.status}`, async () => {
      const apiKey = c.apiKey ? KEY : undefined;
      const report = await probe({ defects: [c.defect], apiKey }, only(c.row), apiKey);
      const r = byId(report, c.row);
      assert.equal(r.status, c.status, `${c.row}: ${r.status} ${r.detail}`);
      assert.match(r.detail, c.detail);
      assert.ok(
        r.requests <= budget(c.row) + (c.row.endsWith("[auth-wrong-key]") ? 1 : 0),
        `${r.requests} requests`,
      );
    });
  }

  test("error rows keep status and parsed body for deviation predicates", async () => {
    const report = await probe(
      { defects: ["invalid-json-500"] },
      only("/v1/chat/completions[error-invalid-json]"),
    );
    const r = byId(report, "/v1/chat/completions[error-invalid-json]");
    assert.ok(r.problems.some((p) => p.pointer === "status" && p.got === "500" && p.severity === "fail"));
    assert.ok(
      r.problems.some((p) => p.pointer === "body" && p.severity === "warn"),
      "the {detail} body is not the envelope",
    );
  });
});

// The chat fake does not speak the Responses API's function tools; those rows' defects are in responses-depth.test.ts.
const BEHAVIOUR_ROWS = PHASE_C.filter((e) => e.label === "behaviour" && e.id.startsWith("/v1/chat/")).map(
  (e) => e.id,
);

describe("a disobedient model on a protocol-correct server", () => {
  test("behaviour rows PASS, or WARN with '(model behaviour)' or 'inconclusive' (or SKIP), never FAIL", async () => {
    const report = await probe({ disobedient: true }, /\[|^client:/);
    assert.deepEqual(BEHAVIOUR_ROWS.sort(), [
      "/v1/chat/completions[json_object]",
      "/v1/chat/completions[json_schema]",
      "/v1/chat/completions[seed]",
      "/v1/chat/completions[stop]",
      "/v1/chat/completions[tools-required]",
      "/v1/chat/completions[tools-stream]",
      "/v1/chat/completions[tools]",
    ]);
    for (const id of BEHAVIOUR_ROWS) {
      const r = byId(report, id);
      assert.ok(r.status !== "FAIL", `${id}: ${r.status} ${r.detail}`);
      if (r.status === "WARN") assert.match(r.detail, /\(model behaviour\)|^inconclusive/, id);
    }
    for (const id of ["[tools]", "[tools-required]", "[tools-stream]"]) {
      assert.match(
        byId(report, `/v1/chat/completions${id}`).detail,
        /^tool arguments are not a JSON object: .*\(model behaviour\)/,
      );
    }
    assert.match(
      byId(report, "/v1/chat/completions[stop]").detail,
      /^inconclusive whether stop is enforced: the answer changed between two temperature-0 requests/,
    );
    assert.match(
      byId(report, "/v1/chat/completions[seed]").detail,
      /same seed and temperature 0 gave different outputs/,
    );
    assert.equal(byId(report, "/v1/chat/completions[json_object]").status, "PASS");
    // The client's forced tool call is model behaviour too; every other row is unaffected.
    assert.equal(byId(report, "client:openai-node/tools").status, "WARN");
    const failing = report.results
      .filter((r) => r.status === "FAIL" && !RESPONSES_GROUP.test(r.id))
      .map((r) => `${r.id}: ${r.detail}`);
    assert.deepEqual(failing, []);
  });
});

describe("the base row gates Phase C", () => {
  test("an absent base route SKIPs its Phase C rows with the reason", async () => {
    const server = await startScripted({
      "GET /v1/models": (_q, res) =>
        json(res, 200, {
          object: "list",
          data: [{ id: "tiny-embed", object: "model", created: 1, owned_by: "me" }],
        }),
    });
    try {
      const report = await runProbe({
        baseUrl: server.url,
        only: /^\/v1\/embeddings\[|^client:openai-node\/embeddings$/,
        timeoutMs: 3000,
        concurrency: 2,
        depth: "standard",
        maxBodyBytes: 1 << 20,
      });
      for (const id of [
        "/v1/embeddings[batch]",
        "/v1/embeddings[base64]",
        "/v1/embeddings[dimensions]",
        "client:openai-node/embeddings",
      ]) {
        const r = byId(report, id);
        assert.equal(r.status, "SKIP", `${id}: ${r.detail}`);
        assert.equal(r.detail, "base row /v1/embeddings absent (404)");
        assert.equal(r.requests, 0);
      }
    } finally {
      await server.close();
    }
  });

  test("a base row skipped for want of a model SKIPs its Phase C rows too", async () => {
    const server = await startScripted({
      "GET /v1/models": (_q, res) => json(res, 200, { object: "list", data: [] }),
    });
    try {
      const report = await runProbe({
        baseUrl: server.url,
        only: /^\/v1\/chat\/completions\[tools\]$/,
        timeoutMs: 3000,
        concurrency: 2,
        depth: "standard",
        maxBodyBytes: 1 << 20,
      });
      const r = byId(report, "/v1/chat/completions[tools]");
      assert.equal(r.status, "SKIP");
      assert.match(r.detail, /^base row \/v1\/chat\/completions /);
    } finally {
      await server.close();
    }
  });
});
