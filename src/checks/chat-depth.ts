/** Shared pieces of the chat Phase C rows: the request helper, the probe tool and loose views of the answer. */
import { parseBounded } from "../http/json.js";
import type { Outcome, ProbeContext } from "../probe/types.js";
import { expectJson, fail } from "./expect.js";

export interface ChatMessageJson {
  role?: unknown;
  content?: unknown;
  tool_calls?: unknown;
  /** llama.cpp, vLLM, DeepSeek and others put a reasoning model's thinking here (not OpenAI). */
  reasoning_content?: unknown;
}

export interface ChatChoiceJson {
  index?: unknown;
  message?: ChatMessageJson;
  finish_reason?: unknown;
  logprobs?: unknown;
}

export interface ChatCompletionJson {
  model?: unknown;
  system_fingerprint?: unknown;
  choices?: ChatChoiceJson[];
  usage?: { completion_tokens?: unknown } | null;
}

export const TOOL_NAME = "get_weather";

/** The probe's one tool; strict-mode compatible (all properties required, no extras). */
export const WEATHER_TOOL = {
  type: "function",
  function: {
    name: TOOL_NAME,
    description: "Get the current weather for a city.",
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "City name, e.g. Paris" } },
      required: ["city"],
      additionalProperties: false,
    },
  },
} as const;

export const FORCE_TOOL = { type: "function", function: { name: TOOL_NAME } } as const;

export const TOOL_PROMPT = "What is the weather in Paris right now? Use the tool.";
/** A prompt that invites two calls of the weather tool (the parallel_tool_calls rows). */
export const TWO_CITIES = "What is the weather in Paris and in Tokyo? Call the tool once for each city.";

export const userMessage = (content: string) => [{ role: "user", content }];

/** POSTs a chat request and validates a ChatCompletion; `body` is set only when the answer is usable JSON. */
export async function postChat(
  ctx: ProbeContext,
  request: Record<string, unknown>,
): Promise<{ outcome: Outcome; body?: ChatCompletionJson }> {
  const outcome = await expectJson(
    ctx,
    { method: "POST", path: ctx.row.path, json: request },
    "ChatCompletion",
  );
  outcome.phase = "C";
  if (outcome.verdict) return { outcome };
  const json = outcome.observation?.json;
  const body: ChatCompletionJson = json && typeof json === "object" ? (json as ChatCompletionJson) : {};
  if (!firstChoice(body)) {
    // Nothing to judge: say so, instead of blaming whatever the row looks for in choices[0].
    const got = Array.isArray(body.choices)
      ? "[]"
      : body.choices === undefined
        ? "missing"
        : excerpt(body.choices);
    if (!outcome.problems.some((p) => p.pointer === "/choices"))
      outcome.problems.push(fail("/choices", "at least one choice", got));
    outcome.verdict = {
      status: "FAIL",
      detail: `${outcome.httpStatus} with choices ${got}: no answer to judge`,
    };
    return { outcome };
  }
  return { outcome, body };
}

export const firstChoice = (body: ChatCompletionJson | undefined): ChatChoiceJson | undefined =>
  Array.isArray(body?.choices) ? body.choices[0] : undefined;

/** The reasoning text a choice carries beside its content (`reasoning_content`), or "". */
export function reasoningOf(choice: ChatChoiceJson | undefined): string {
  const r = choice?.message?.reasoning_content;
  return typeof r === "string" ? r : "";
}

/** A short, quoted excerpt of model text for details. */
export function excerpt(value: unknown, max = 40): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** Parses JSON text; undefined when it is not JSON. */
export function tryJson(text: unknown): { value: unknown } | undefined {
  return typeof text === "string" ? parseBounded(text) : undefined;
}
