/** Canonical OpenAI payloads shared by the tests' purpose-built servers. */
export const MODEL = "tiny-chat";
export const CREATED = 1_700_000_000;

/** A spec-complete `chat.completion`; `over` replaces top-level fields. */
export const chatCompletion = (over: Record<string, unknown> = {}) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: CREATED,
  model: MODEL,
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "hi", refusal: null },
      finish_reason: "stop",
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
  ...over,
});
