/**
 * Phase C for the Responses API's guaranteed mechanisms: a forced function tool (plain and streamed), a tool
 * result turn, strict `text.format` json_schema and max_output_tokens' `status: "incomplete"`. Enforcement is
 * decided from the bytes first (enforcement.ts); only then are the arguments or the JSON's content the model's.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Check } from "../probe/types.js";
import { validateShape } from "../shapes/validate.js";
import { excerpt, TOOL_NAME, TOOL_PROMPT, WEATHER_TOOL } from "./chat-depth.js";
import { GREETING_SCHEMA, jsonEnforcement, messages } from "./chat-format.js";
import { type Answer, type Forcing, forcedCall } from "./chat-tools.js";
import {
  asRecord,
  type Finding,
  finding,
  INCONCLUSIVE,
  modelBehaviour,
  refusedOptional,
  settle,
  startC,
} from "./depth.js";
import { type Enforcement, ignored, settleBehaviour } from "./enforcement.js";
import { expectSse } from "./expect.js";
import {
  eventsOf,
  failedFindings,
  reasoningFindings,
  streamedCalls,
  streamFailedFindings,
} from "./responses-events.js";
import { postResponse } from "./responses-state.js";
import { streamView } from "./stream-frames.js";

/** The probe's tool in the Responses spelling (FunctionTool: name and parameters at the top level). */
export const RESPONSES_TOOL = { type: "function", ...WEATHER_TOOL.function, strict: true } as const;
export const RESPONSES_FORCE = { type: "function", name: TOOL_NAME } as const;
const FORCED: Forcing = { param: `tool_choice naming ${TOOL_NAME}`, choice: RESPONSES_FORCE };

export const toolRequest = (model: string) => ({
  model,
  input: TOOL_PROMPT,
  tools: [RESPONSES_TOOL],
  tool_choice: RESPONSES_FORCE,
  max_output_tokens: 128,
});

/** Text of the output's message items, joined. */
export function outputText(output: unknown): string {
  return (Array.isArray(output) ? output : [])
    .flatMap((item) => {
      const content = asRecord(item)?.content;
      return asRecord(item)?.type === "message" && Array.isArray(content) ? content : [];
    })
    .map((part) => asRecord(part)?.text)
    .filter((t): t is string => typeof t === "string")
    .join("");
}

const parts = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const reasoningText = (output: unknown) =>
  parts(output)
    .filter((item) => asRecord(item)?.type === "reasoning")
    .flatMap((item) => [...parts(asRecord(item)?.summary), ...parts(asRecord(item)?.content)])
    .map((part) => asRecord(part)?.text)
    .join("");

/** A Response as the chat attribution reads it: calls, text, reasoning, and "length" when cut. */
export function answerOf(response: Record<string, unknown>, calls?: Answer["calls"]): Answer {
  const output = response.output;
  const items = (Array.isArray(output) ? output : []).filter((i) => asRecord(i)?.type === "function_call");
  const reasoning = reasoningText(output);
  return {
    calls: calls ?? items.map((i) => ({ name: asRecord(i)?.name, arguments: asRecord(i)?.arguments })),
    content: outputText(output),
    reasoning,
    finish: response.status === "incomplete" ? "length" : "stop",
  };
}

/** Each function_call item against FunctionToolCall (call_id and name are what a tool result needs). */
function callShapeFindings(output: unknown): Finding[] {
  return (Array.isArray(output) ? output : []).flatMap((item, k) =>
    asRecord(item)?.type !== "function_call"
      ? []
      : validateShape("FunctionToolCall", item).map((p) =>
          finding(
            p.severity,
            `/output/${k}${p.pointer}`,
            p.expected,
            p.got,
            p.pointer === "/arguments"
              ? `the function_call item's arguments is ${p.got}, not a JSON string (clients JSON.parse it)`
              : `the function_call item's ${p.pointer.slice(1)} is ${p.got} (a tool result cannot be matched to it)`,
          ),
        ),
  );
}

/** A failed response says nothing about the parameter: neither enforced nor ignored, and no model finding. */
const unjudged = (param: string): { e: Enforcement; model: Finding[] } => ({
  e: { param, state: "unverified" },
  model: [],
});

const callNote = (status: number | null, a: Answer, extra = "") =>
  `${status} · called ${String(a.calls[0]?.name)}(${String(a.calls[0]?.arguments).slice(0, 40)})${extra}`;

const tools: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const { outcome, body } = await postResponse(ctx, toolRequest(start.model));
  if (!body) return settle(outcome, []);
  const answer = answerOf(body);
  const failed = failedFindings(body);
  const { e, model } = failed.length ? unjudged(FORCED.param) : forcedCall(FORCED, answer, "/output");
  const shape = callShapeFindings(body.output);
  const protocol = [...failed, ...shape, ...reasoningFindings(body.output, "/output")];
  // The shape already names arguments that are not a string; the forced-call reading would say it again.
  const argumentsNamed = shape.some((f) => f.problem.pointer.endsWith("/arguments"));
  const own = argumentsNamed ? model.filter((f) => !f.problem.pointer.endsWith("/arguments")) : model;
  return settleBehaviour(outcome, e, {
    model: own,
    protocol,
    passNote: callNote(outcome.httpStatus, answer),
  });
};

const CALL_ID = "call_aioc_probe_1";

/** The round trip as agents send it: the call item, then its function_call_output. */
const toolResult: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const { outcome, body } = await postResponse(ctx, {
    model: start.model,
    input: [
      { role: "user", content: TOOL_PROMPT },
      { type: "function_call", call_id: CALL_ID, name: TOOL_NAME, arguments: '{"city":"Paris"}' },
      { type: "function_call_output", call_id: CALL_ID, output: '{"temperature_c":21,"sky":"clear"}' },
    ],
    tools: [RESPONSES_TOOL],
    max_output_tokens: 64,
  });
  return settle(outcome, failedFindings(body), `${outcome.httpStatus} · function_call_output accepted`);
};

const toolsStream: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = { ...toolRequest(start.model), stream: true };
  const outcome = await expectSse(
    ctx,
    { method: "POST", path: "/v1/responses", json },
    { frame: "ResponseStreamEvent", requireDone: false },
  );
  outcome.phase = "C";
  if (outcome.verdict || !outcome.observation) return settle(outcome, []);
  const events = eventsOf(streamView(outcome.observation).frames);
  const { calls, findings } = streamedCalls(events);
  const final = asRecord(events.findLast((e) => e.type === "response.completed")?.data.response) ?? {};
  const assembled = calls.map((c) => ({ name: c.done?.name ?? c.name, arguments: c.deltas }));
  const answer = answerOf(final, assembled);
  if (!answer.content) {
    // No text in the final response: the deltas are what a client saw.
    answer.content = events
      .filter((e) => e.type === "response.output_text.delta")
      .map((e) => String(e.data.delta ?? ""))
      .join("");
  }
  const failed = streamFailedFindings(events);
  const structural = findings.some((f) => f.problem.severity === "fail");
  const { e, model } = failed.length
    ? unjudged(FORCED.param)
    : structural
      ? { e: { param: FORCED.param, state: "enforced" } as Enforcement, model: [] }
      : forcedCall(FORCED, answer, "stream/output");
  return settleBehaviour(outcome, e, {
    model,
    protocol: [...failed, ...findings],
    passNote: callNote(outcome.httpStatus, answer, ", reassembled from the stream"),
  });
};

const JSON_SCHEMA = "text.format json_schema";
const JSON_LIMIT = 64;
const TEXT = "/output/0/content/0/text";
let validateGreeting: ReturnType<Ajv2020["compile"]> | undefined;

/** The chat verdict's evidence, pointed at the Response's text. */
const repoint = (e: Enforcement): Enforcement =>
  e.evidence ? { ...e, evidence: { ...e.evidence, problem: { ...e.evidence.problem, pointer: TEXT } } } : e;

const jsonSchema: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const { outcome, body } = await postResponse(ctx, {
    model: start.model,
    input: messages,
    text: { format: { type: "json_schema", name: "greeting", strict: true, schema: GREETING_SCHEMA } },
    max_output_tokens: JSON_LIMIT,
  });
  if (!body) return settle(refusedOptional(outcome, ctx.row, JSON_SCHEMA), []);
  const failed = failedFindings(body);
  if (failed.length) return settleBehaviour(outcome, unjudged(JSON_SCHEMA).e, { protocol: failed });
  const a = answerOf(body);
  // A reply that spent the whole budget was cut, even when the server says "completed"
  // (responses-completed-when-cut; Ollama v0.17.4 in the field lab: a grammar-held JSON prefix, 64 tokens).
  const spent = asRecord(body.usage)?.output_tokens;
  const cut = a.finish === "length" || (typeof spent === "number" && spent >= JSON_LIMIT);
  const choice = {
    message: { content: a.content, reasoning_content: a.reasoning },
    finish_reason: cut ? "length" : a.finish,
  };
  const verdict = jsonEnforcement(JSON_SCHEMA, choice, "max_output_tokens");
  const e = repoint(verdict.e);
  validateGreeting ??= new Ajv2020({ strict: false, validateSchema: false }).compile(GREETING_SCHEMA);
  if (e.state === "enforced" && !validateGreeting(verdict.value)) {
    const err = validateGreeting.errors?.[0];
    const text = excerpt(JSON.stringify(verdict.value));
    const why = `the text does not match the strict schema (${err?.instancePath || "text"} ${err?.message ?? "does not match"}): ${text}`;
    return settleBehaviour(
      outcome,
      ignored(JSON_SCHEMA, TEXT, "JSON matching the strict json_schema", text, why),
    );
  }
  return settleBehaviour(outcome, e, {
    passNote: `${outcome.httpStatus} · text validates against the json_schema`,
  });
};

const LIMIT = 16;

/** max_output_tokens is a guaranteed limit: over it is the server's; stopping early is the model's. */
const incomplete: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const { outcome, body } = await postResponse(ctx, {
    model: start.model,
    input: "Count from 1 to 200, one number per word, and say nothing else.",
    max_output_tokens: LIMIT,
  });
  if (!body) return settle(outcome, []);
  return settle(outcome, incompleteFindings(body), `${outcome.httpStatus} · incomplete (max_output_tokens)`);
};

export function incompleteFindings(body: Record<string, unknown>): Finding[] {
  const failed = failedFindings(body);
  if (failed.length) return failed;
  const used = asRecord(body.usage)?.output_tokens;
  const reason = asRecord(body.incomplete_details)?.reason;
  if (typeof used === "number" && used > LIMIT) {
    return [
      finding(
        "fail",
        "/usage/output_tokens",
        `at most ${LIMIT}`,
        String(used),
        `max_output_tokens not enforced: output_tokens ${used} > ${LIMIT}`,
      ),
    ];
  }
  if (body.status === "incomplete") {
    if (reason === "max_output_tokens") return [];
    return [
      finding(
        "warn",
        "/incomplete_details/reason",
        "max_output_tokens",
        excerpt(reason),
        `status "incomplete" but incomplete_details.reason is ${excerpt(reason)}, not "max_output_tokens"`,
      ),
    ];
  }
  if (body.status === "completed" && typeof used === "number" && used >= LIMIT) {
    return [
      finding(
        "warn",
        "/status",
        "incomplete",
        "completed",
        `cut at max_output_tokens (${used} tokens) but status "completed", no incomplete_details`,
      ),
    ];
  }
  if (body.status === "completed" && typeof used !== "number") {
    // Without a token count nothing shows whether the reply stopped before the limit or ran past it.
    return [
      finding(
        "warn",
        "/usage/output_tokens",
        `at most ${LIMIT}`,
        `missing ${INCONCLUSIVE}`,
        'inconclusive whether max_output_tokens is enforced: status "completed" and no usage.output_tokens',
      ),
    ];
  }
  if (body.status === "completed") {
    return [
      modelBehaviour(
        "/usage/output_tokens",
        `${LIMIT} (the limit)`,
        String(used),
        `the answer ended after ${String(used)} tokens, before the limit`,
      ),
    ];
  }
  return [finding("fail", "/status", "incomplete", excerpt(body.status), `status ${excerpt(body.status)}`)];
}

export const responsesToolChecks: Record<string, Check> = {
  "/v1/responses[tools]": tools,
  "/v1/responses[tool-result]": toolResult,
  "/v1/responses[tools-stream]": toolsStream,
  "/v1/responses[json_schema]": jsonSchema,
  "/v1/responses[incomplete]": incomplete,
};
