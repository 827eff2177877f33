/** Phase C output bounds: max_tokens / max_completion_tokens, and stop sequences. */
import type { Check, Outcome } from "../probe/types.js";
import type { Problem } from "../report/types.js";
import {
  type ChatCompletionJson,
  excerpt,
  firstChoice,
  postChat,
  reasoningOf,
  userMessage,
} from "./chat-depth.js";
import { asRecord, type Finding, finding, settle, startC } from "./depth.js";
import { enforced, ignored, settleBehaviour, unverified } from "./enforcement.js";
import { limitTag, STOP_WHEN_CUT } from "./token-limit.js";

const COUNT_PROMPT = "Count from 1 to 20, separated by spaces.";
/** One token cannot plausibly carry more characters than this, so longer content means the bound was ignored. */
const ONE_TOKEN_CHARS = 24;

/** A request that could not be used, as a fail finding named after the request. */
function failedRequest(outcome: Outcome, label: string): Finding {
  const problem = outcome.problems[0] ?? {
    pointer: "http",
    expected: "2xx",
    got: "no answer",
    severity: "fail" as const,
  };
  return {
    problem: { ...problem, severity: "fail" },
    detail: `${label}: ${outcome.verdict?.detail ?? "no usable answer"}`,
  };
}

/**
 * One token of "Count from 1 to 20" is never a whole answer: non-empty content cut at the bound must say
 * finish_reason "length" (an end-of-text token as the one token leaves the content empty). "stop" tells clients
 * the cut answer is complete; they cope, but truncation goes unnoticed.
 */
function finishFindings(body: ChatCompletionJson, param: string): Finding[] {
  const choice = firstChoice(body);
  const content = choice?.message?.content;
  if (choice?.finish_reason !== "stop" || typeof content !== "string" || content === "") return [];
  return [
    finding(
      "warn",
      "/choices/0/finish_reason",
      `"length" (cut by ${param}: 1)`,
      STOP_WHEN_CUT,
      `${param}: 1 honoured, but the cut answer ${excerpt(content)} says finish_reason "stop", not "length": clients cannot tell it was truncated`,
    ),
  ];
}

/** Does the answer respect a bound of one completion token? */
function boundFindings(body: ChatCompletionJson, param: string): Finding[] {
  const used = asRecord(body.usage)?.completion_tokens;
  if (typeof used === "number") {
    if (used <= 1) return finishFindings(body, param);
    return [
      finding(
        "fail",
        "/usage/completion_tokens",
        `≤ 1 ${limitTag(param)}`,
        String(used),
        `${param}: 1 not honoured: usage.completion_tokens is ${used}`,
      ),
    ];
  }
  const content = firstChoice(body)?.message?.content;
  const length = typeof content === "string" ? content.length : 0;
  if (length > ONE_TOKEN_CHARS) {
    return [
      finding(
        "fail",
        "/choices/0/message/content",
        `one token ${limitTag(param)}`,
        `${length} characters`,
        `${param}: 1 not honoured: ${length} characters came back`,
      ),
    ];
  }
  return [
    ...finishFindings(body, param),
    finding(
      "warn",
      "/usage/completion_tokens",
      "a number",
      "missing",
      `no usage.completion_tokens: the ${param} bound cannot be verified`,
    ),
  ];
}

/** Two requests: the legacy `max_tokens` and its successor `max_completion_tokens` (required by newer models). */
const maxTokens: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const findings: Finding[] = [];
  const problems: Problem[] = [];
  let first: Outcome | undefined;
  let latency = 0;
  for (const param of ["max_tokens", "max_completion_tokens"]) {
    const { outcome, body } = await postChat(ctx, {
      model: start.model,
      messages: userMessage(COUNT_PROMPT),
      [param]: 1,
    });
    latency += outcome.latencyMs ?? 0;
    first ??= outcome;
    if (!body) {
      findings.push(failedRequest(outcome, param));
      continue;
    }
    findings.push(...boundFindings(body, param));
    // Shape findings of the two answers: the same defect twice is one problem.
    for (const p of outcome.problems) {
      if (!problems.some((q) => q.pointer === p.pointer && q.expected === p.expected)) problems.push(p);
    }
  }
  const outcome: Outcome = {
    phase: "C",
    httpStatus: first?.httpStatus ?? null,
    latencyMs: latency,
    problems,
    observation: first?.observation,
  };
  return settle(
    outcome,
    findings,
    `${outcome.httpStatus} · max_tokens and max_completion_tokens both bound the output`,
  );
};

export const STOP_PROMPT = "Count from 1 to 10, separated by spaces.";
const STOP = "stop";

/** A word from early in the unstopped answer: cutting there leaves a non-empty prefix to compare. */
function pickStop(text: string): string | undefined {
  const words = text.split(/\s+/).filter((w) => /^[\p{L}\p{N}]+$/u.test(w));
  return words[Math.min(2, words.length - 1)];
}

/**
 * Two requests at temperature 0: the answer without `stop`, then with a word of that answer as the stop sequence.
 * A fixed stop string would pass vacuously whenever the model never says it; this one is certain to come up.
 * OpenAI guarantees the returned text never contains a stop sequence, so one in the output is the server's fault
 * wherever it appears; an answer that merely changed between the two requests proves nothing.
 */
const stop: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const base = { model: start.model, messages: userMessage(STOP_PROMPT), max_tokens: 48, temperature: 0 };
  const free = await postChat(ctx, base);
  if (!free.body) return settle(free.outcome, []);
  const freeChoice = firstChoice(free.body);
  const text = freeChoice?.message?.content;
  const word = typeof text === "string" ? pickStop(text) : undefined;
  if (typeof text !== "string" || !word) {
    const reasoning = reasoningOf(freeChoice);
    const why = reasoning
      ? `the answer without stop has no content to pick a stop word from (the budget went to reasoning_content)`
      : `the answer without stop has no word to use as a stop sequence: ${excerpt(text)}`;
    return settleBehaviour(
      free.outcome,
      unverified(STOP, "/choices/0/message/content", "an answer with words to stop at", excerpt(text), why),
    );
  }
  const { outcome, body } = await postChat(ctx, { ...base, stop: [word] });
  if (!body) return settle(outcome, []);
  const choice = firstChoice(body);
  const content = choice?.message?.content;
  const expected = text.slice(0, text.indexOf(word));
  const pointer = "/choices/0/message/content";
  if (typeof content === "string" && content.includes(word)) {
    const why = `the output contains the stop sequence "${word}": ${excerpt(content)}`;
    return settleBehaviour(
      outcome,
      ignored(STOP, pointer, `no "${word}" (stop sequence)`, excerpt(content), why),
    );
  }
  if (typeof content !== "string" || content.trim() !== expected.trim()) {
    const why = `the answer changed between two temperature-0 requests (${excerpt(content)}, expected ${excerpt(expected)})`;
    return settleBehaviour(outcome, unverified(STOP, pointer, excerpt(expected), excerpt(content), why));
  }
  return settleBehaviour(outcome, enforced(STOP), {
    passNote: `${outcome.httpStatus} · output cut before "${word}" (finish_reason ${String(choice?.finish_reason)})`,
  });
};

export const boundChecks: Record<string, Check> = {
  "/v1/chat/completions[max_tokens]": maxTokens,
  "/v1/chat/completions[stop]": stop,
};
