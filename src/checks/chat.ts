/** Phase B for chat completions, legacy completions and the Responses API (plain and streamed). */

import type { Check, Outcome } from "../probe/types.js";
import type { Problem } from "../report/types.js";
import { validateShape } from "../shapes/validate.js";
import type { Finding } from "./depth.js";
import { expectJson, expectSse, fail, requireModel, warn } from "./expect.js";
import { eventsOf, failedFindings, streamFailedFindings } from "./responses-events.js";
import { streamView } from "./stream-frames.js";
import { streamUsageProblems, usageProblems } from "./usage.js";

export const PROMPT = "Say hi.";

const chatBody = (model: string) => ({
  model,
  messages: [{ role: "user", content: PROMPT }],
  max_tokens: 16,
});

/** Streamed chat: usage requested, exactly the framing OpenAI documents. */
function chatStreamFindings(frames: unknown[]): Problem[] {
  const chunks = frames.filter((f): f is Record<string, unknown> => !!f && typeof f === "object");
  const problems: Problem[] = [];
  const usageChunk = chunks.find((c) => c.usage && typeof c.usage === "object");
  if (!usageChunk) {
    problems.push(
      warn("stream", "a final chunk with usage (stream_options.include_usage)", "no usage chunk"),
    );
  }
  const finishes = chunks.filter((c) =>
    (c.choices as { finish_reason?: unknown }[] | undefined)?.some((ch) => ch?.finish_reason),
  );
  if (finishes.length === 0) problems.push(warn("stream", "a chunk carrying finish_reason", "none"));
  return problems;
}

/** The base rows judge usage arithmetic once; the Phase C rows built on them do not repeat it. */
function withUsage(outcome: Outcome): Outcome {
  const obs = outcome.observation;
  if (outcome.verdict || !obs) return outcome;
  outcome.problems.push(
    ...(obs.events ? streamUsageProblems(streamView(obs).frames) : usageProblems(obs.json)),
  );
  return outcome;
}

const chat: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  return withUsage(
    await expectJson(ctx, { method: "POST", path: ctx.row.path, json: chatBody(model) }, "ChatCompletion"),
  );
};

const chatStream: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const json = { ...chatBody(model), stream: true, stream_options: { include_usage: true } };
  const outcome = await expectSse(
    ctx,
    { method: "POST", path: ctx.row.path, json },
    { frame: "ChatCompletionChunk", requireDone: true },
  );
  return withUsage(withStreamFindings(outcome, chatStreamFindings));
};

const completions: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const json = { model, prompt: PROMPT, max_tokens: 16 };
  return withUsage(await expectJson(ctx, { method: "POST", path: ctx.row.path, json }, "TextCompletion"));
};

const completionsStream: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const json = { model, prompt: PROMPT, max_tokens: 16, stream: true };
  return withUsage(
    await expectSse(
      ctx,
      { method: "POST", path: ctx.row.path, json },
      { frame: "TextCompletion", requireDone: true },
    ),
  );
};

const responses: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const json = { model, input: PROMPT, max_output_tokens: 16 };
  const outcome = await expectJson(ctx, { method: "POST", path: ctx.row.path, json }, "Response");
  const output = (outcome.observation?.json as { output?: unknown[] } | undefined)?.output;
  if (Array.isArray(output)) {
    output.forEach((item, i) => {
      if ((item as { type?: unknown })?.type !== "message") return;
      for (const p of validateShape("ResponseOutputMessage", item)) {
        outcome.problems.push({ ...p, pointer: `/output/${i}${p.pointer}` });
      }
    });
  }
  const body = outcome.observation?.json as Record<string, unknown> | undefined;
  return withUsage(leading(outcome, failedFindings(body)));
};

/** Findings that name the real cause, ahead of the problems they cause (a failed response has no text …). */
function leading(outcome: Outcome, findings: readonly Finding[]): Outcome {
  if (outcome.verdict || findings.length === 0) return outcome;
  outcome.problems.unshift(...findings.map((f) => f.problem));
  outcome.details ??= new Map();
  for (const f of findings) outcome.details.set(f.problem, f.detail);
  return outcome;
}

/** Responses streams are typed events in order with increasing sequence numbers, and no `[DONE]`. */
function responsesStreamFindings(frames: unknown[]): Problem[] {
  const events = frames.filter(
    (f): f is { type?: unknown; sequence_number?: unknown } => !!f && typeof f === "object",
  );
  const problems: Problem[] = [];
  const types = events.map((e) => e.type);
  if (types[0] !== "response.created") {
    problems.push(fail("stream/0/type", "response.created first", String(types[0] ?? "no events")));
  } else if (!Array.isArray((events[0] as { response?: { output?: unknown } }).response?.output)) {
    // openai-node's responses.stream() builds its snapshot from this response and iterates its output.
    problems.push(
      fail("stream/0/response/output", "an array (the snapshot openai-node's helper extends)", "missing"),
    );
  }
  const terminal = ["response.completed", "response.incomplete", "response.failed"];
  if (!terminal.includes(String(types.at(-1)))) {
    problems.push(fail("stream", "a final response.completed event", String(types.at(-1) ?? "none")));
  }
  let last = -1;
  for (const [i, e] of events.entries()) {
    if (typeof e.sequence_number !== "number") continue;
    if (e.sequence_number <= last) {
      // openai-node ignores sequence numbers while streaming (they matter for resumption): WARN.
      problems.push(warn(`stream/${i}/sequence_number`, `greater than ${last}`, String(e.sequence_number)));
      break;
    }
    last = e.sequence_number;
  }
  for (const [i, e] of events.entries()) {
    if (e.type === "response.output_text.delta") {
      for (const p of validateShape("ResponseTextDeltaEvent", e))
        problems.push({ ...p, pointer: `stream/${i}${p.pointer}` });
      break;
    }
  }
  return problems;
}

const responsesStream: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const json = { model, input: PROMPT, max_output_tokens: 16, stream: true };
  const outcome = await expectSse(
    ctx,
    { method: "POST", path: ctx.row.path, json },
    { frame: "ResponseStreamEvent", requireDone: false },
  );
  const obs = outcome.observation;
  const failed = obs?.events ? streamFailedFindings(eventsOf(streamView(obs).frames)) : [];
  return withUsage(leading(withStreamFindings(outcome, responsesStreamFindings), failed));
};

function withStreamFindings(outcome: Outcome, findings: (frames: unknown[]) => Problem[]): Outcome {
  const frames = outcome.observation?.frames;
  if (!outcome.verdict && frames && frames.length > 0) outcome.problems.push(...findings(frames));
  return outcome;
}

export const chatChecks: Record<string, Check> = {
  "/v1/chat/completions": chat,
  "/v1/chat/completions[stream]": chatStream,
  "/v1/completions": completions,
  "/v1/completions[stream]": completionsStream,
  "/v1/responses": responses,
  "/v1/responses[stream]": responsesStream,
};
