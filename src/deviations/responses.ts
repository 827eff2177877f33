/**
 * Deviations of the Responses API in depth (issue #14): state the server does not keep, and request fields it
 * reads in the Chat Completions spelling only. Measured against the real llama-server (build 80fb11a, the field
 * lab's) and read in its source: tools/server/server-chat.cpp (server_chat_convert_responses_to_chatcmpl).
 */
import type { Problem } from "../report/types.js";
import type { Deviation } from "./types.js";

interface EnforcementFact {
  param?: unknown;
  state?: unknown;
}

const ignored = (param: string) => (obs: { facts: Record<string, unknown> }) => {
  const f = (obs.facts.enforcement ?? {}) as EnforcementFact;
  return f.state === "ignored" && f.param === param;
};

/** The [previous_response_id] finding that the chained turn's input does not include the first turn. */
const droppedChain = (p: Problem) =>
  p.severity === "fail" &&
  p.pointer === "/usage/input_tokens" &&
  String(p.expected).includes("the first turn");

export const RESPONSES_DEVIATIONS: readonly Deviation[] = [
  {
    id: "responses-no-state",
    rows: ["/v1/responses[store]", "/v1/responses[previous_response_id]"],
    verdict: "WARN",
    summary:
      "the Responses API is stateless: `store: true` is accepted but nothing is retrievable, and previous_response_id is refused",
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "current llama-server: GET /v1/responses/{id} is not routed (404); previous_response_id → 400 \"llama.cpp does not support 'previous_response_id'.\"",
      },
      {
        name: "Ollama",
        versions:
          "v0.17.4, measured in the field lab: nothing is stored (GET /v1/responses/{id} is not routed: plain-text 404), and previous_response_id is not refused but dropped (openai/responses.go, unchanged at v0.33.0-rc2): that is previous-response-id-dropped",
      },
    ],
    docs: "docs/deviations.md#responses-no-state",
    detect: (obs) => obs.facts.responsesState === "absent",
    explains: (p) => p.pointer === "status",
    why: "Clients that send the whole conversation each turn (Codex CLI with `store: false`, most agents) are unaffected. Clients that rely on OpenAI's default `store: true` to chain turns with previous_response_id (openai-node's and openai-python's `responses.create({previous_response_id})`, the Agents SDK's server-managed conversations) get a 400 or a 404 and must fall back to resending the input.",
    detection:
      "[store]: the create call succeeded but GET /v1/responses/{id} answered 404; or [previous_response_id]: the chained turn was refused with 400/422.",
    sources: [
      "llama.cpp tools/server/server-chat.cpp (server_chat_convert_responses_to_chatcmpl: previous_response_id refused)",
      "llama.cpp tools/server/server.cpp (route table: POST /v1/responses only)",
      "OpenAI API reference: Responses (retrieve, previous_response_id)",
      "measured: Ollama v0.17.4 (field lab)",
    ],
  },
  {
    id: "previous-response-id-dropped",
    rows: ["/v1/responses[previous_response_id]"],
    verdict: "FAIL",
    summary:
      "Responses previous_response_id is accepted and silently dropped: the chained turn is answered without the first turn (input_tokens exclude it)",
    implementations: [
      {
        name: "Ollama",
        versions:
          'v0.17.4 (field lab: 200, the body says `"previous_response_id": null`, input_tokens 12 where the first turn alone was 27) and the v0.33.0-rc2 source',
      },
    ],
    docs: "docs/deviations.md#previous-response-id-dropped",
    detect: (_obs, problems) => problems.some(droppedChain),
    explains: droppedChain,
    why: "A client chaining turns with previous_response_id (openai-node's and openai-python's `responses.create({previous_response_id})`, the Agents SDK's server-managed conversations) gets a 200 and an answer that has lost the conversation: nothing tells it to resend the input, unlike a 400 refusal, so the agent carries on without its context.",
    detection:
      "[previous_response_id]: the chained turn is a 2xx whose usage.input_tokens do not exceed the first turn's input and output.",
    sources: [
      'Ollama openai/responses.go ResponsesRequest (previous_response_id: "Not supported"; v0.17.4 and v0.33.0-rc2)',
      "measured: Ollama v0.17.4 (field lab, docs/field-reports.md)",
    ],
  },
  {
    id: "responses-text-format-ignored",
    rows: ["/v1/responses[json_schema]"],
    verdict: "FAIL",
    summary: "Responses `text.format` (json_schema) is accepted but not enforced: the text is free",
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "current llama-server: text.format is not translated to response_format, so no grammar applies (chat's response_format json_schema is enforced)",
      },
    ],
    docs: "docs/deviations.md#responses-text-format-ignored",
    detect: ignored("text.format json_schema"),
    explains: (p) => p.pointer === "/output/0/content/0/text",
    why: "OpenAI guarantees text matching a strict schema; clients JSON.parse `output_text` (openai-node's `responses.parse()` throws) and break on free text.",
    detection:
      "[json_schema] got text that is not JSON, or JSON not matching the strict schema, with status completed.",
    sources: [
      "llama.cpp tools/server/server-chat.cpp (server_chat_convert_responses_to_chatcmpl copies `text` untranslated)",
      "OpenAI API reference: Responses (text.format)",
    ],
  },
  {
    id: "responses-tool-choice-named-ignored",
    rows: ["/v1/responses[tools]", "/v1/responses[tools-stream]"],
    verdict: "FAIL",
    summary:
      'a Responses tool_choice naming a function ({type: "function", name}) is ignored: the answer is text',
    implementations: [
      {
        name: "llama.cpp",
        versions:
          "current llama-server: tool_choice is read as a string only; the object form logs \"Wrong type supplied for parameter 'tool_choice', using default value\" and falls back to auto",
      },
      {
        name: "Ollama",
        versions:
          'v0.17.4, measured in the field lab: tool_choice is not read and the Response echoes "auto" (openai/responses.go, unchanged at v0.33.0-rc2)',
      },
    ],
    docs: "docs/deviations.md#responses-tool-choice-named-ignored",
    detect: ignored("tool_choice naming get_weather"),
    explains: (p) => /^(\/output|stream\/output)/.test(p.pointer),
    why: "OpenAI guarantees a call to the named function; agents that force a tool (Codex CLI's apply_patch flows, structured extraction through a tool) get text and stall.",
    detection: "[tools] or [tools-stream] forced get_weather by name and got a plain-text answer or no call.",
    sources: [
      'llama.cpp tools/server/server-common.cpp (oaicompat_chat_params_parse: json_value(body, "tool_choice", std::string("auto")))',
      "llama.cpp common/chat.cpp (common_chat_tool_choice_parse_oaicompat)",
      'Ollama openai/responses.go (ToolChoice: "auto")',
      "measured: Ollama v0.17.4 (field lab) answers a forced Responses tool with text",
    ],
  },
];
