/**
 * Phase C tool calling: a forced tool call (plain and streamed) and a follow-up turn carrying the tool result.
 * Whether the model calls the tool is model behaviour; a call without id, type or name is a protocol defect.
 */
import type { Check } from "../probe/types.js";
import {
  excerpt,
  FORCE_TOOL,
  firstChoice,
  postChat,
  TOOL_NAME,
  TOOL_PROMPT,
  tryJson,
  userMessage,
  WEATHER_TOOL,
} from "./chat-depth.js";
import { asRecord, type Finding, finding, modelBehaviour, settle, startC } from "./depth.js";
import { expectSse } from "./expect.js";
import { streamView } from "./stream-frames.js";

const toolRequest = (model: string) => ({
  model,
  messages: userMessage(TOOL_PROMPT),
  tools: [WEATHER_TOOL],
  tool_choice: FORCE_TOOL,
  max_tokens: 128,
});

interface Call {
  name: unknown;
  arguments: unknown;
}

/** What the model put in its first call: the forced tool, with JSON object arguments. */
function callBehaviour(calls: Call[], pointer: string): Finding[] {
  const call = calls[0];
  if (!call)
    return [
      modelBehaviour(
        pointer,
        `a call to ${TOOL_NAME}`,
        "no tool call",
        "the model did not call the forced tool",
      ),
    ];
  if (call.name !== TOOL_NAME) {
    return [
      modelBehaviour(
        `${pointer}/0/function/name`,
        TOOL_NAME,
        excerpt(call.name),
        `the model called ${excerpt(call.name)}`,
      ),
    ];
  }
  const args = tryJson(call.arguments);
  if (!args || !asRecord(args.value)) {
    return [
      modelBehaviour(
        `${pointer}/0/function/arguments`,
        "a JSON object",
        excerpt(call.arguments),
        `tool arguments are not a JSON object: ${excerpt(call.arguments)}`,
      ),
    ];
  }
  return [];
}

const callNote = (status: number | null, calls: Call[], extra = "") =>
  `${status} · called ${String(calls[0]?.name)}(${String(calls[0]?.arguments).slice(0, 40)})${extra}`;

const tools: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const { outcome, body } = await postChat(ctx, toolRequest(start.model));
  if (!body) return settle(outcome, []);
  // id, type and function.name/arguments are required by the ChatCompletion shape: missing ones already FAIL.
  const raw = firstChoice(body)?.message?.tool_calls;
  const calls = (Array.isArray(raw) ? raw : []).map((c) => {
    const fn = asRecord(asRecord(c)?.function);
    return { name: fn?.name, arguments: fn?.arguments };
  });
  return settle(
    outcome,
    callBehaviour(calls, "/choices/0/message/tool_calls"),
    callNote(outcome.httpStatus, calls),
  );
};

interface Assembled extends Call {
  ids: Set<string>;
  /** A delta carried `id: ""` (the tool-call-empty-id deviation: WARN, clients synthesise one). */
  emptyId: boolean;
  type: unknown;
  /** Where the call's first delta was, for pointers. */
  at: string;
}

/**
 * Reassembles streamed tool-call deltas the way openai-node's stream helper does: by `index`, first id and
 * type kept, name overwritten, arguments concatenated.
 */
function reassembleToolCalls(frames: { i: number; data: unknown }[]): {
  calls: Assembled[];
  findings: Finding[];
} {
  const byIndex = new Map<number, Assembled>();
  const findings: Finding[] = [];
  for (const { i, data } of frames) {
    const choices = asRecord(data)?.choices;
    if (!Array.isArray(choices)) continue;
    choices.forEach((choice, c) => {
      const deltas = asRecord(asRecord(choice)?.delta)?.tool_calls;
      if (!Array.isArray(deltas)) return;
      deltas.forEach((d, k) => {
        const delta = asRecord(d) ?? {};
        const at = `stream/${i}/choices/${c}/delta/tool_calls/${k}`;
        if (typeof delta.index !== "number") {
          if (!findings.length) {
            findings.push(
              finding(
                "fail",
                `${at}/index`,
                "integer",
                "missing",
                "a tool-call delta has no index: clients cannot tell which call it continues",
              ),
            );
          }
          return;
        }
        let call = byIndex.get(delta.index);
        if (!call) {
          call = { ids: new Set(), emptyId: false, type: undefined, name: "", arguments: "", at };
          byIndex.set(delta.index, call);
        }
        if (typeof delta.id === "string" && delta.id) call.ids.add(delta.id);
        if (delta.id === "") call.emptyId = true;
        if (delta.type !== undefined && delta.type !== null) call.type ??= delta.type;
        const fn = asRecord(delta.function);
        if (typeof fn?.name === "string" && fn.name) call.name = fn.name;
        if (typeof fn?.arguments === "string") call.arguments = `${call.arguments}${fn.arguments}`;
      });
    });
  }
  const calls = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  for (const call of calls) {
    if (call.ids.size === 0 && call.emptyId) {
      findings.push(
        finding(
          "warn",
          `${call.at}/id`,
          "a tool-call id",
          "empty string",
          "the streamed tool call's id is empty",
        ),
      );
    } else if (call.ids.size === 0) {
      findings.push(
        finding(
          "fail",
          `${call.at}/id`,
          "a tool-call id",
          "missing",
          "the streamed tool call has no id: a tool result cannot reference it",
        ),
      );
    } else if (call.ids.size > 1) {
      findings.push(
        finding(
          "warn",
          `${call.at}/id`,
          "one id per call",
          `${call.ids.size} ids`,
          `the streamed tool call's deltas carry ${call.ids.size} different ids`,
        ),
      );
    }
    if (call.type !== "function") {
      findings.push(
        finding(
          "fail",
          `${call.at}/type`,
          "function",
          call.type === undefined ? "missing" : excerpt(call.type),
          'the streamed tool call has no type "function" (openai-node\'s stream helper throws)',
        ),
      );
    }
    if (!call.name) {
      findings.push(
        finding(
          "fail",
          `${call.at}/function/name`,
          "a function name",
          "missing",
          "the streamed tool call has no function.name (openai-node's stream helper throws)",
        ),
      );
    }
  }
  return { calls, findings };
}

const toolsStream: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = { ...toolRequest(start.model), stream: true };
  // [DONE] and the rest of the framing are the stream-forensics row's business; this row is about the call.
  const outcome = await expectSse(
    ctx,
    { method: "POST", path: ctx.row.path, json },
    { frame: "ChatCompletionChunk", requireDone: false },
  );
  if (outcome.verdict || !outcome.observation) return settle(outcome, []);
  const { calls, findings } = reassembleToolCalls(streamView(outcome.observation).frames);
  const behaviour = findings.some((f) => f.problem.severity === "fail")
    ? []
    : callBehaviour(calls, "stream/tool_calls");
  const extra = calls.length > 1 ? ` (+${calls.length - 1} more calls)` : "";
  return settle(
    outcome,
    [...findings, ...behaviour],
    callNote(outcome.httpStatus, calls, `${extra}, reassembled from the stream`),
  );
};

const CALL_ID = "call_aioc_probe_1";

/** A whole tool round trip as agents send it: the assistant's call, then the tool's answer. */
const toolResult: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = {
    model: start.model,
    messages: [
      ...userMessage(TOOL_PROMPT),
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: CALL_ID, type: "function", function: { name: TOOL_NAME, arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: "tool", tool_call_id: CALL_ID, content: '{"temperature_c":21,"sky":"clear"}' },
    ],
    tools: [WEATHER_TOOL],
    max_tokens: 64,
  };
  const { outcome } = await postChat(ctx, json);
  return settle(outcome, [], `${outcome.httpStatus} · tool result accepted`);
};

export const toolChecks: Record<string, Check> = {
  "/v1/chat/completions[tools]": tools,
  "/v1/chat/completions[tools-stream]": toolsStream,
  "/v1/chat/completions[tool-result]": toolResult,
};
