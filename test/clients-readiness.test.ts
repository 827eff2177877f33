/**
 * Client readiness (issue #14): the data is sourced and maps to real rows; the grader gives READY, READY WITH
 * LIMITS, NOT READY and NOT PROBED from the rows alone; every report format shows the Clients section.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { CLIENTS, type ClientProfile } from "../src/clients/readiness.js";
import { renderHtml } from "../src/render/html.js";
import { renderJunit } from "../src/render/junit.js";
import { renderMarkdown } from "../src/render/markdown.js";
import { renderTable } from "../src/render/table.js";
import { gradeClient, gradeClients, verdictLine } from "../src/report/readiness.js";
import type { Report, Result, Status } from "../src/report/types.js";
import { report as sampleReport, result as sampleResult } from "./helpers/sample-report.js";

/** Mapped ids not (yet) in the catalog: none since every branch of the session was merged. */
const PENDING_IDS = new Set<string>([]);

/** A catalog row's result (sample-report's builder), detail defaulting to the status. */
const result = (
  id: string,
  status: Status,
  detail = `${status} detail`,
  extra: Partial<Result> = {},
): Result => sampleResult(id, status, detail, extra);

const byId = (results: Result[]) => new Map(results.map((r) => [r.id, r]));

const DEMO: ClientProfile = {
  id: "demo",
  name: "Demo",
  basis: "mapped",
  via: "test",
  requirements: [
    {
      need: "chat",
      rows: ["/v1/chat/completions"],
      level: "required",
      sources: ["s1"],
      confidence: "high",
    },
    {
      need: "stream",
      rows: ["/v1/chat/completions[stream]"],
      level: "required",
      sources: ["s1"],
      confidence: "high",
    },
    {
      need: "tools",
      rows: ["/v1/chat/completions[tools]"],
      level: "optional",
      sources: ["s2"],
      confidence: "low",
    },
  ],
};

describe("the readiness data", () => {
  test("every mapped row is in the catalog (or pending from another branch), every requirement is sourced", () => {
    const ids = new Set(ENDPOINTS.map((e) => e.id));
    for (const c of CLIENTS) {
      assert.ok(
        c.requirements.some((r) => r.level === "required"),
        `${c.name} has a required need`,
      );
      for (const r of c.requirements) {
        assert.ok(
          r.sources.length > 0 && r.sources.every((s) => s.trim() !== ""),
          `${c.name}: ${r.need} sourced`,
        );
        assert.ok(!r.sources.some((s) => /https?:\/\//.test(s)), "sources are named, not linked");
        for (const id of r.rows) assert.ok(ids.has(id) || PENDING_IDS.has(id), `${c.name}: ${id} is a row`);
      }
    }
    // The pending list tolerates exactly ids that do not exist yet: a merged one must leave it.
    for (const id of PENDING_IDS) assert.ok(!ids.has(id), `${id} exists now: remove it from PENDING_IDS`);
  });

  test("every client row of an SDK aioc runs is one of that client's requirements", () => {
    const mapped = new Set(
      CLIENTS.filter((c) => c.basis === "run").flatMap((c) => c.requirements.flatMap((r) => r.rows)),
    );
    const clientRows = ENDPOINTS.filter((e) => e.id.startsWith("client:")).map((e) => e.id);
    assert.ok(clientRows.length > 0);
    assert.deepEqual(
      clientRows.filter((id) => !mapped.has(id)),
      [],
      "client rows no Clients line grades",
    );
  });

  test("the clients the issue names are there, the SDKs aioc runs are labelled run", () => {
    const names = CLIENTS.map((c) => c.name);
    for (const n of [
      "Codex CLI",
      "OpenCode",
      "Aider",
      "Cline",
      "Continue",
      "Zed",
      "Open WebUI",
      "LangChain JS",
    ])
      assert.ok(names.includes(n), n);
    assert.ok(names.includes("LlamaIndex.TS"));
    for (const c of CLIENTS.filter((c) => c.basis === "run"))
      assert.ok(
        c.requirements.every((r) => r.rows.every((id) => id.startsWith("client:"))),
        c.name,
      );
  });
});

describe("grading", () => {
  test("READY: every requirement's row passes or warns", () => {
    const g = gradeClient(
      DEMO,
      byId([
        result("/v1/chat/completions", "PASS"),
        result("/v1/chat/completions[stream]", "WARN"),
        result("/v1/chat/completions[tools]", "PASS"),
      ]),
    );
    assert.equal(g.verdict, "READY");
    assert.deepEqual(g.gaps, []);
    assert.equal(g.judged, 3);
    assert.equal(verdictLine(g), "READY");
  });

  test("READY WITH LIMITS: an optional row fails, and the limit names it", () => {
    const g = gradeClient(
      DEMO,
      byId([
        result("/v1/chat/completions", "PASS"),
        result("/v1/chat/completions[stream]", "PASS"),
        result("/v1/chat/completions[tools]", "FAIL", "no tool call"),
      ]),
    );
    assert.equal(g.verdict, "READY WITH LIMITS");
    assert.deepEqual(
      g.gaps.map((x) => [x.row, x.level, x.status, x.detail]),
      [["/v1/chat/completions[tools]", "optional", "FAIL", "no tool call"]],
    );
    assert.equal(verdictLine(g), "READY WITH LIMITS (/v1/chat/completions[tools])");
  });

  test("NOT READY: a required row fails, or its route is absent (404 WARN of an extension, not-offered SKIP)", () => {
    const failing = gradeClient(
      DEMO,
      byId([
        result("/v1/chat/completions", "PASS"),
        result("/v1/chat/completions[stream]", "FAIL", "stream cut"),
        result("/v1/chat/completions[tools]", "FAIL"),
      ]),
    );
    assert.equal(failing.verdict, "NOT READY");
    assert.deepEqual(
      failing.gaps.map((x) => x.row),
      ["/v1/chat/completions[stream]"],
      "only what breaks it",
    );

    const codex = CLIENTS.find((c) => c.id === "codex-cli")!;
    const absent = gradeClient(
      codex,
      byId([
        result("/v1/responses", "WARN", "404 — endpoint absent", {
          httpStatus: 404,
          phase: "A",
          kind: "ext",
        }),
        result("/v1/responses[stream]", "SKIP", "base row /v1/responses absent (404)"),
        result(
          "/v1/responses[codex-stream]",
          "SKIP",
          "base row /v1/responses[stream] skipped: base row /v1/responses absent (404)",
        ),
      ]),
    );
    assert.equal(absent.verdict, "NOT READY");
    assert.match(absent.gaps[0]!.detail, /^endpoint absent: .*absent \(404\)$/);

    // A base row that answers like a path that cannot exist is absent too (probe/calibrate.ts).
    const likeNoRoute = gradeClient(
      codex,
      byId([
        result(
          "/v1/responses[codex-stream]",
          "SKIP",
          "base row /v1/responses[stream] skipped: base row /v1/responses answers like a path that cannot exist (405)",
        ),
      ]),
    );
    assert.equal(likeNoRoute.verdict, "NOT READY");

    const notOffered = gradeClient(
      DEMO,
      byId([
        result("/v1/chat/completions", "SKIP", "not offered (404); outside --expect"),
        result("/v1/chat/completions[stream]", "PASS"),
      ]),
    );
    assert.equal(notOffered.verdict, "NOT READY");
  });

  test("Codex is graded on the rows that read the stream as Codex does, not on openai-node's helper", () => {
    const codex = CLIENTS.find((c) => c.id === "codex-cli")!;
    const graded = gradeClient(
      codex,
      byId([
        // llama-server's bytes: openai-node's helper throws on response.created without output; Codex never reads it
        result(
          "/v1/responses[stream]",
          "FAIL",
          "the Responses stream's `response.created` carries no output",
        ),
        result("/v1/responses[codex-stream]", "PASS"),
        result("/v1/responses[codex-tools]", "WARN", "inconclusive: no function call"),
        result("/v1/responses[tool-result]", "PASS"),
        result("/v1/responses/compact", "WARN", "404 — not implemented", { httpStatus: 404, phase: "A" }),
      ]),
    );
    assert.equal(graded.verdict, "READY WITH LIMITS");
    assert.deepEqual(
      graded.gaps.map((g) => g.row),
      ["/v1/responses/compact"],
    );
  });

  test("a row that fails only because a forced tool_choice was not enforced cannot judge a client that never forces one", () => {
    const opencode = CLIENTS.find((c) => c.id === "opencode")!;
    const forced = (param?: string) => ({
      problems: [
        {
          pointer: "/choices/0/message/tool_calls",
          expected: "a call to get_weather",
          got: "no tool call",
          severity: "fail" as const,
          ...(param ? { param } : {}),
        },
      ],
    });
    const rows = (param?: string) =>
      byId([
        result("client:ai-sdk/streamText", "PASS"),
        result("/v1/chat/completions[stream]", "PASS"),
        result("/v1/chat/completions[tools]", "FAIL", "tool_choice not enforced", forced(param)),
        result("/v1/chat/completions[tools-stream]", "FAIL", "tool_choice not enforced", forced(param)),
      ]);
    const unsent = gradeClient(opencode, rows("tool_choice naming get_weather"));
    assert.equal(unsent.verdict, "NOT PROBED");
    assert.match(
      unsent.notProbed[0]!.detail,
      /did not enforce tool_choice naming get_weather, which this client does not send/,
    );
    // Any other failure of the row still counts.
    assert.equal(gradeClient(opencode, rows()).verdict, "NOT READY");
  });

  test("alternatives: the SDK row the client runs on decides when it ran, the protocol row when it did not", () => {
    const aider = CLIENTS.find((c) => c.id === "aider")!;
    const rows = (python: Status | undefined) =>
      byId([
        result("/v1/chat/completions", "PASS"),
        // a stream openai-node rejects (no role in any chunk) but the Python SDK reads
        result("/v1/chat/completions[stream]", "FAIL", "no chunk carries a role"),
        ...(python
          ? [result("client:openai-python/chat", "PASS"), result("client:openai-python/chat.stream", python)]
          : []),
      ]);
    assert.equal(gradeClient(aider, rows("PASS")).verdict, "READY");
    assert.equal(gradeClient(aider, rows("FAIL")).verdict, "NOT READY");
    const noPython = gradeClient(aider, rows(undefined));
    assert.equal(noPython.verdict, "NOT READY");
    assert.equal(noPython.gaps[0]!.row, "/v1/chat/completions[stream]");
  });

  test("NOT PROBED: a required row missing from the report or skipped for want of a model is not a failure", () => {
    const missing = gradeClient(DEMO, byId([result("/v1/chat/completions", "PASS")]));
    assert.equal(missing.verdict, "NOT PROBED");
    assert.deepEqual(
      missing.notProbed.map((x) => [x.row, x.status]),
      [
        ["/v1/chat/completions[stream]", null],
        ["/v1/chat/completions[tools]", null],
      ],
    );
    assert.equal(verdictLine(missing), "NOT PROBED (/v1/chat/completions[stream])");

    const noModel = gradeClient(
      DEMO,
      byId([
        result("/v1/chat/completions", "PASS"),
        result("/v1/chat/completions[stream]", "SKIP", "no chat model (--model)"),
        result("/v1/chat/completions[tools]", "PASS"),
      ]),
    );
    assert.equal(noModel.verdict, "NOT PROBED");

    // An optional row not probed leaves the verdict alone.
    const optionalMissing = gradeClient(
      DEMO,
      byId([result("/v1/chat/completions", "PASS"), result("/v1/chat/completions[stream]", "PASS")]),
    );
    assert.equal(optionalMissing.verdict, "READY");
    assert.equal(optionalMissing.notProbed.length, 1);
  });

  test("a run that probed none of the clients' rows has no clients field", () => {
    assert.equal(gradeClients([result("/v1/moderations", "PASS")]), undefined);
    const all = gradeClients([result("/v1/chat/completions[stream]", "PASS")]);
    assert.equal(all?.length, CLIENTS.length);
  });
});

const report = (results: Result[]): Report =>
  sampleReport(results, {
    target: { url: "http://127.0.0.1:1/v1", name: "t" },
    clients: gradeClients(results),
  });

describe("the Clients section in every format", () => {
  const r = report([
    result("/v1/models", "PASS"),
    result("/v1/chat/completions", "PASS"),
    result("/v1/chat/completions[stream]", "FAIL", "the stream <b>broke</b>"),
  ]);

  test("Markdown: a table with verdict, why and basis", () => {
    const md = renderMarkdown(r);
    assert.match(md, /## Clients/);
    assert.match(
      md,
      /\| Aider \| \*\*NOT READY\*\* \| streamed chat \(on by default\): `\/v1\/chat\/completions\[stream\]`/,
    );
    assert.match(md, /\| mapped from requirements \|/);
    assert.match(md, /Not probed \(none of their rows ran\): .*LangChain JS/);
    assert.match(md, /Sources: .*aider docs/);
  });

  test("HTML: a section linking the breaking row, escaped", () => {
    const html = renderHtml(r);
    assert.match(html, /<section class="clients" id="clients">/);
    assert.match(
      html,
      /<tr data-client="aider"><td>Aider<\/td><td class="verdict not-ready">NOT READY<\/td>/,
    );
    assert.match(
      html,
      /<a href="#r-v1-chat-completions-stream"><code>\/v1\/chat\/completions\[stream\]<\/code><\/a>/,
    );
    assert.ok(!html.includes("<b>broke</b>"), "server text is escaped");
  });

  test("terminal (JUnit keeps one case per row, so no clients suite)", () => {
    const text = renderTable(r, { color: false });
    assert.match(text, /\nClients\n/);
    assert.match(
      text,
      / {2}Aider +NOT READY \(mapped from requirements\)\n {4}\/v1\/chat\/completions\[stream\]: the stream <b>broke<\/b>/,
    );
    assert.ok(!renderJunit(r).includes("aioc.clients"));
  });

  test("JSON: the structured field, and a report without it is graded when rendered", () => {
    const aider = r.clients?.find((c) => c.id === "aider");
    assert.equal(aider?.verdict, "NOT READY");
    assert.equal(aider?.basis, "mapped");
    const { clients: _, ...old } = r;
    assert.match(renderMarkdown(old as Report), /\| Aider \| \*\*NOT READY\*\*/);
  });
});
