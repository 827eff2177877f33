/** Phase C request parameters: n, seed and unknown extra fields. */
import type { Check } from "../probe/types.js";
import { excerpt, firstChoice, postChat, userMessage } from "./chat-depth.js";
import { finding, modelBehaviour, refusedOptional, settle, startC } from "./depth.js";

const n: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const { outcome, body } = await postChat(ctx, {
    model: start.model,
    messages: userMessage("Say hi."),
    n: 2,
    max_tokens: 16,
  });
  if (!body) return settle(refusedOptional(outcome, ctx.row, "n > 1"), []);
  const choices = Array.isArray(body.choices) ? body.choices : [];
  if (choices.length !== 2) {
    return settle(outcome, [
      finding(
        "fail",
        "/choices",
        "2 choices (n: 2)",
        `${choices.length}`,
        `n: 2 gave ${choices.length} choice(s): clients reading choices[1] break`,
      ),
    ]);
  }
  // A choice without `index` is ordered by its position (deviation missing-index: the shapes WARN about it).
  const indexes = choices.map((c) => c?.index);
  if (indexes.some((index, position) => index !== undefined && index !== position)) {
    return settle(outcome, [
      finding(
        "fail",
        "/choices",
        "index 0 and 1",
        JSON.stringify(indexes),
        `n: 2 choices carry indexes ${JSON.stringify(indexes)}, expected [0,1]`,
      ),
    ]);
  }
  return settle(outcome, [], `${outcome.httpStatus} · 2 choices`);
};

/** Deep only: the same seeded, greedy request twice should give the same text. */
const seed: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = {
    model: start.model,
    messages: userMessage("Write one short sentence about the sea."),
    seed: 42,
    temperature: 0,
    max_tokens: 24,
  };
  const first = await postChat(ctx, json);
  if (!first.body) return settle(refusedOptional(first.outcome, ctx.row, "seed"), []);
  const second = await postChat(ctx, json);
  if (!second.body) return settle(refusedOptional(second.outcome, ctx.row, "seed"), []);
  const outcome = second.outcome;
  outcome.problems.push(
    ...first.outcome.problems.filter((p) => !outcome.problems.some((q) => q.pointer === p.pointer)),
  );
  const a = firstChoice(first.body)?.message?.content;
  const b = firstChoice(second.body)?.message?.content;
  if (a !== b) {
    const fp = [first.body.system_fingerprint, second.body.system_fingerprint];
    const why = fp[0] !== fp[1] ? ` (system_fingerprint changed: ${String(fp[0])} → ${String(fp[1])})` : "";
    return settle(outcome, [
      modelBehaviour(
        "/choices/0/message/content",
        excerpt(a),
        excerpt(b),
        `same seed and temperature 0 gave different outputs${why}`,
      ),
    ]);
  }
  return settle(outcome, [], `${outcome.httpStatus} · same output twice (seed 42, temperature 0)`);
};

/** Vendor extensions ride along as extra fields (openai-node's extra_body, the AI SDK's providerOptions). */
const extraFields: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = {
    model: start.model,
    messages: userMessage("Say hi."),
    max_tokens: 16,
    aioc_vendor_extension: { probe: true },
  };
  const { outcome } = await postChat(ctx, json);
  // OpenAI itself answers 400 "Unrecognized request argument", so a clean 4xx is WARN: clients that pass
  // vendor fields break, but the server is not wrong by OpenAI's standard.
  return settle(
    refusedOptional(outcome, ctx.row, "unknown request fields (vendor extensions)"),
    [],
    `${outcome.httpStatus} · unknown field ignored`,
  );
};

export const paramChecks: Record<string, Check> = {
  "/v1/chat/completions[n]": n,
  "/v1/chat/completions[seed]": seed,
  "/v1/chat/completions[extra-fields]": extraFields,
};
