/**
 * Attribution (issue #10 §1-§4): a parameter whose effect OpenAI guarantees and the server ignores is a protocol
 * finding naming it, never "(model behaviour)"; streams terminate; usage adds up; nothing the SDK needs comes
 * after [DONE]; client rows and [logprobs] give the real cause; the headline is the most severe finding.
 * Each class against a purpose-built loopback server (test/helpers/fake-openai.ts), status AND reason.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { jsonPrefix } from "../src/checks/json-prefix.js";
import { grade } from "../src/probe/grade.js";
import { runProbe } from "../src/probe/run.js";
import type { Outcome } from "../src/probe/types.js";
import type { Report } from "../src/report/types.js";
import { type Defect, startFake } from "./helpers/fake-openai.js";
import { byId } from "./helpers/results.js";

async function probe(
  defects: Defect[],
  only: RegExp,
  depth: "standard" | "deep" = "standard",
): Promise<Report> {
  const server = await startFake({ defects });
  try {
    return await runProbe({
      baseUrl: server.url,
      only,
      timeoutMs: 5000,
      concurrency: 4,
      depth,
      maxBodyBytes: 1 << 20,
    });
  } finally {
    await server.close();
  }
}

const CHAT = "/v1/chat/completions";
const only = (...ids: string[]) =>
  new RegExp(`^(${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`);

interface Case {
  defects: Defect[];
  row: string;
  status: "PASS" | "WARN" | "FAIL";
  detail: RegExp;
  /** The catalog deviation that names who does it (the row's evidence stays in its problems). */
  deviation?: string;
}

const CASES: Case[] = [
  // §1 stop
  {
    defects: ["ignore-stop"],
    row: `${CHAT}[stop]`,
    status: "FAIL",
    detail: /^stop not enforced: the output contains the stop sequence "3": "1 2 3 4 5 6 7 8 9 10"$/,
  },
  // §1 JSON modes: json_schema enforced but not json_object (llama-server), or response_format dropped (a gateway)
  {
    defects: ["ignore-json-object"],
    row: `${CHAT}[json_object]`,
    status: "FAIL",
    detail:
      /^JSON mode \(response_format json_object\) is accepted but not enforced \(json_schema is\): the content is free text — known: llama\.cpp$/,
    deviation: "json-object-not-enforced",
  },
  { defects: ["ignore-json-object"], row: `${CHAT}[json_schema]`, status: "PASS", detail: /validates/ },
  {
    defects: ["ignore-json-object", "ignore-json-schema"],
    row: `${CHAT}[json_object]`,
    status: "FAIL",
    detail:
      /^response_format json_object not enforced: content is not JSON: .*\(json_schema is not enforced either: response_format is dropped on the way, as by a gateway that does not forward it\)$/,
  },
  {
    defects: ["ignore-json-object", "ignore-json-schema"],
    row: `${CHAT}[json_schema]`,
    status: "FAIL",
    detail: /^response_format json_schema not enforced: content is not JSON: "Sure! /,
  },
  {
    defects: ["json-schema-mismatch"],
    row: `${CHAT}[json_schema]`,
    status: "FAIL",
    detail:
      /^response_format json_schema not enforced: content does not match the strict schema \(content must have required property 'greeting'\)/,
  },
  {
    defects: ["json-cut-valid"],
    row: `${CHAT}[json_object]`,
    status: "WARN",
    detail:
      /^inconclusive whether response_format json_object is enforced: cut by max_tokens inside valid JSON$/,
  },
  {
    defects: ["json-cut-invalid"],
    row: `${CHAT}[json_object]`,
    status: "FAIL",
    detail:
      /^response_format json_object not enforced: content is not JSON, not even the start of JSON \(cut by max_tokens\): "Sure! \{"/,
  },
  {
    defects: ["reasoning-only"],
    row: `${CHAT}[json_object]`,
    status: "WARN",
    detail:
      /^inconclusive whether response_format json_object is enforced: the budget went to reasoning_content \(23 characters\) before any content \(\+1 more\)$/,
  },
  // §1 tool_choice, both forms: an older llama-server ignores the named form but forces "required"
  {
    defects: ["ignore-tool-choice-named"],
    row: `${CHAT}[tools]`,
    status: "FAIL",
    detail:
      /^a tool_choice naming a function falls back to "auto": the answer may be text — known: llama\.cpp, Ollama$/,
    deviation: "tool-choice-named-ignored",
  },
  {
    defects: ["ignore-tool-choice-named"],
    row: `${CHAT}[tools-required]`,
    status: "PASS",
    detail: /called get_weather.* \(tool_choice naming get_weather is not enforced\)$/,
  },
  {
    defects: ["ignore-tool-choice-named"],
    row: `${CHAT}[tools-stream]`,
    status: "FAIL",
    detail: /^a tool_choice naming a function falls back to "auto"/,
    deviation: "tool-choice-named-ignored",
  },
  {
    defects: ["ignore-tool-choice-named"],
    row: "client:openai-node/tools",
    status: "FAIL",
    detail: /^tool_choice naming get_weather not enforced: a plain-text answer, no tool call/,
  },
  {
    defects: ["ignore-tool-choice"],
    row: `${CHAT}[tools-required]`,
    status: "FAIL",
    detail:
      /^tool_choice "required" not enforced: a plain-text answer, no tool call: .*\(nor is tool_choice naming get_weather\)$/,
  },
  {
    // The current llama-server lets free text precede the forced call: clients still get the call.
    defects: ["text-before-call"],
    row: `${CHAT}[tools]`,
    status: "WARN",
    detail:
      /^a forced tool call comes after free text in content \(OpenAI sends content null\) — known: llama\.cpp$/,
    deviation: "tool-call-after-text",
  },
  {
    defects: ["reasoning-only"],
    row: `${CHAT}[tools]`,
    status: "WARN",
    detail:
      /^inconclusive whether tool_choice naming get_weather is enforced: the budget went to reasoning_content/,
  },
  // §3 [tools-stream] terminates like the plain stream
  {
    defects: ["stream-no-finish"],
    row: `${CHAT}[tools-stream]`,
    status: "FAIL",
    detail: /^no stream chunk carries a finish_reason — known: /,
  },
  {
    defects: ["stream-no-done"],
    row: `${CHAT}[tools-stream]`,
    status: "WARN",
    detail: /\[DONE\]/,
  },
  // §3 frames after [DONE] that carry what the SDK needs
  {
    defects: ["usage-after-done"],
    row: `${CHAT}[stream]`,
    status: "FAIL",
    detail: /1 frame\(s\) after \[DONE\] carry usage/,
  },
  {
    defects: ["usage-after-done"],
    row: `${CHAT}[stream-forensics]`,
    status: "FAIL",
    detail: /^1 frame\(s\) after \[DONE\] carry usage, which openai-node never sees \(it stops at \[DONE\]\)/,
  },
  // §3 usage arithmetic
  {
    defects: ["usage-total-mismatch"],
    row: CHAT,
    status: "WARN",
    detail: /^`usage\.total_tokens` is 9, expected 8 \(prompt_tokens \+ completion_tokens\)$/,
  },
  {
    defects: ["usage-total-mismatch"],
    row: `${CHAT}[stream]`,
    status: "WARN",
    detail: /^`stream\/\d+\/usage\/total_tokens` is 9, expected 8/,
  },
  // §4 the real cause
  {
    defects: ["choices-empty"],
    row: "client:openai-node/tools",
    status: "FAIL",
    detail: /^returned choices: \[\] \(no answer\)$/,
  },
  {
    defects: ["choices-empty"],
    row: "client:openai-node/chat",
    status: "FAIL",
    detail: /^returned choices: \[\] \(no answer\)$/,
  },
  {
    defects: ["choices-empty"],
    row: `${CHAT}[logprobs]`,
    status: "FAIL",
    detail: /^200 with choices \[\]: no answer to judge$/,
  },
  {
    defects: ["html-body"],
    row: "client:openai-node/tools",
    status: "FAIL",
    detail: /^returned the body as text \(it is not JSON\): "<html>/,
  },
  {
    defects: ["html-body"],
    row: `${CHAT}[logprobs]`,
    status: "FAIL",
    detail: /^body is HTML, not JSON/,
  },
  // §2 null content because the budget went to reasoning, or every delta empty: the model's doing
  {
    defects: ["reasoning-only"],
    row: "client:openai-node/chat",
    status: "WARN",
    detail:
      /^choices\[0\]\.message\.content is null: the budget went to reasoning_content \(23 characters\) \(model behaviour\)$/,
  },
  {
    defects: ["reasoning-only"],
    row: "client:openai-node/chat.stream",
    status: "WARN",
    detail:
      /^streamed no content: the budget went to reasoning_content \(12 characters\) \(model behaviour\)$/,
  },
  {
    defects: ["stream-empty-deltas"],
    row: "client:openai-node/chat.stream",
    status: "WARN",
    detail: /^streamed no content \(model behaviour\)$/,
  },
];

describe("enforcement, termination and real causes: status and reason", () => {
  for (const c of CASES) {
    test(`${c.defects.join("+")} → ${c.row} ${c.status}`, async () => {
      const report = await probe(c.defects, only(c.row));
      const r = byId(report, c.row);
      assert.equal(r.status, c.status, `${c.row}: ${r.status} ${r.detail}`);
      assert.match(r.detail, c.detail);
      assert.ok(!/\(model behaviour\)/.test(r.detail) || c.status === "WARN", r.detail);
      if (c.deviation) {
        assert.deepEqual(
          r.deviations.map((d) => d.id),
          [c.deviation],
        );
      }
    });
  }

  test("an ignored parameter is a FAIL even at deep depth, where behaviour rows run three times", async () => {
    const report = await probe(["ignore-stop"], only(`${CHAT}[stop]`), "deep");
    const r = byId(report, `${CHAT}[stop]`);
    assert.equal(r.status, "FAIL");
    assert.match(r.detail, /^stop not enforced: the output contains the stop sequence "3": "[^"]*"$/);
    assert.equal(r.requests, 2, "a protocol verdict is not paid for again");
  });

  test("json_object runs after json_schema and tools-required after tools", () => {
    const find = (id: string) => ENDPOINTS.find((e) => e.id === id);
    assert.equal(find(`${CHAT}[json_object]`)?.needs, `${CHAT}[json_schema]`);
    assert.equal(find(`${CHAT}[tools-required]`)?.needs, `${CHAT}[tools]`);
  });
});

describe("jsonPrefix: what a JSON grammar cut by max_tokens can leave", () => {
  const cases: [string, "complete" | "prefix" | "invalid"][] = [
    ['{"a":1}', "complete"],
    ['{"a":[1,{"b":null}]}', "complete"],
    ["12", "complete"],
    ['"abc"', "complete"],
    ["-0.5e10", "complete"],
    ["", "prefix"],
    ['{"greeting": "hel', "prefix"],
    ['{"a":', "prefix"],
    ['{"a":1,', "prefix"],
    ["[1,2", "prefix"],
    ["tru", "prefix"],
    ["1e+", "prefix"],
    ['{"a":"\\u12', "prefix"],
    ["Sure! {", "invalid"],
    ["```json\n{}", "invalid"],
    ['{"a":1}}', "invalid"],
    ['{"a":1} and more', "invalid"],
    ['{"a":01}', "invalid"],
    ["[1,]", "invalid"],
    ['{"a":1,}', "invalid"],
    ['{"a":"x\ny"}', "invalid"],
    ["trux", "invalid"],
  ];
  for (const [text, state] of cases) {
    test(`${JSON.stringify(text)} is ${state}`, () => assert.equal(jsonPrefix(text).state, state));
  }

  test("reads at most `limit` characters: a long valid prefix stays a prefix", () => {
    assert.equal(jsonPrefix(`{"a":"${"x".repeat(1000)}"}`, 100).state, "prefix");
    assert.deepEqual(jsonPrefix("xx", 1), { state: "invalid", at: 0 });
  });
});

describe("the headline is the most severe finding", () => {
  const row = ENDPOINTS.find((e) => e.id === `${CHAT}[tools]`)!;
  const base = (): Outcome => ({
    phase: "C",
    httpStatus: 200,
    latencyMs: 1,
    problems: [],
    observation: { status: 200, headers: {}, contentType: "application/json", facts: {} },
  });
  const missingCreated = {
    pointer: "/created",
    expected: "present (spec-required)",
    got: "missing",
    severity: "warn" as const,
  };

  test("the check's own WARN leads over a deviation that only accounts for a shape warning", () => {
    const outcome = base();
    const own = {
      pointer: "/choices/0/message/content",
      expected: "null",
      got: '"x"',
      severity: "warn" as const,
    };
    outcome.problems.push(own, missingCreated);
    outcome.details = new Map([
      [own, "tool_choice naming get_weather not enforced: free text precedes the call"],
    ]);
    outcome.verdict = { status: "WARN", detail: "…" };
    outcome.decisive = own;
    const g = grade(row, outcome);
    assert.equal(g.status, "WARN");
    assert.equal(
      g.detail,
      "tool_choice naming get_weather not enforced: free text precedes the call (+1 more)",
    );
    assert.deepEqual(
      g.deviations.map((d) => d.id),
      ["missing-created"],
    );
  });

  test("a WARN verdict beside an unexplained failure is a FAIL headed by the failure", () => {
    const outcome = base();
    const warn = {
      pointer: "/choices/0/message/content",
      expected: "null",
      got: '"x"',
      severity: "warn" as const,
    };
    const broken = {
      pointer: "/choices/0/message/role",
      expected: "assistant",
      got: "missing",
      severity: "fail" as const,
    };
    outcome.problems.push(warn, broken);
    outcome.verdict = { status: "WARN", detail: "free text precedes the call" };
    const g = grade(row, outcome);
    assert.equal(g.status, "FAIL");
    assert.doesNotMatch(g.detail, /free text/);
    assert.match(g.detail, /role/);
    assert.match(g.detail, /\(\+1 more\)$/);
  });
  test("a FAIL decided by a finding a WARN deviation explains is headed by the unexplained failure", () => {
    const stream = ENDPOINTS.find((e) => e.id === `${CHAT}[tools-stream]`)!;
    const outcome = base();
    outcome.observation = {
      ...outcome.observation!,
      events: [{ data: "{}", atMs: 1 }] as never,
      frames: [{ choices: [] }],
    };
    const contentType = {
      pointer: "header:content-type",
      expected: "text/event-stream",
      got: "application/json",
      severity: "fail" as const,
    };
    const noName = {
      pointer: "stream/0/choices/0/delta/tool_calls/0/function/name",
      expected: "a function name",
      got: "missing",
      severity: "fail" as const,
    };
    outcome.problems.push(contentType, noName);
    outcome.details = new Map([[noName, "the streamed tool call has no function.name"]]);
    outcome.verdict = { status: "FAIL", detail: "served as application/json (+1 more)" };
    outcome.decisive = contentType;
    const g = grade(stream, outcome);
    assert.deepEqual(
      g.deviations.map((d) => d.id),
      ["sse-wrong-content-type"],
    );
    assert.equal(g.status, "FAIL");
    assert.equal(g.detail, "the streamed tool call has no function.name");
  });
});
