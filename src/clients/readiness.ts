/**
 * Client readiness data: popular clients and what each needs of a server, as row ids. The report's Clients section
 * (report/readiness.ts) grades them from the results. Sources are named as the deviation catalog names them
 * (`<project> issue #N`, `<project> PR #N`, `<project> docs: <page>`, `<package> <file>`); a claim no source
 * supports is not listed. `confidence` says how directly the source states the need: `high` (stated), `medium`
 * (follows from what the source states, e.g. an agent that edits code through tool calls), `low` (inferred).
 *
 * `run` clients are the SDKs aioc executes itself (`client:<sdk>/<call>` rows); `mapped` clients are graded from
 * the protocol rows their requirements name.
 */

export type Confidence = "high" | "medium" | "low";

export interface Requirement {
  /** What the client does with it, in a few words. */
  need: string;
  /** Rows that must not FAIL (nor be absent). */
  rows: string[];
  /** `required`: the client does not work without it (NOT READY); `optional`: a feature is lost (READY WITH LIMITS). */
  level: "required" | "optional";
  sources: string[];
  confidence: Confidence;
  /**
   * Request parameters the client never sends in the form aioc forces (aioc forces a tool call; the client sends
   * tool_choice "auto"): a row that FAILs only because the server did not enforce one of them cannot tell whether
   * this need is met, so the need is "not probed" rather than unmet.
   */
  unaffectedBy?: string[];
  /**
   * The rows are alternatives, best evidence first: the first one that was probed decides (the SDK the client
   * runs on, when aioc could run it; else the protocol row, whose severity follows openai-node).
   */
  firstProbed?: boolean;
}

export interface ClientProfile {
  id: string;
  name: string;
  basis: "run" | "mapped";
  /** How the client reaches the server (which protocol, which library underneath). */
  via: string;
  requirements: Requirement[];
}

const CODEX_RESPONSES = ["openai/codex PR #7897", "openai/codex issue #31083"];
const CODEX_SSE = "openai/codex codex-rs/codex-api/src/sse/responses.rs (process_sse)";
const CODEX_REQUEST =
  "openai/codex codex-rs/codex-api/src/common.rs (ResponsesApiRequest: stream, tool_choice)";
const CODEX_ITEMS = "openai/codex codex-rs/protocol/src/models.rs (ResponseItem, FunctionCallOutput)";
const CODEX_COMPACT = ["Menci/Floway issue #19", "170-carry/codex-tools issue #141", "cc-switch PR #1194"];
const OPENCODE = ["opencode issue #7304", "opencode-models-discovery docs/providers.md"];
const AI_SDK_TOOL_CHOICE =
  "opencode packages/opencode/src/session/llm/request.ts (sets no toolChoice: the AI SDK default, auto)";
const AIDER = [
  "aider docs: llms/openai-compat.md (OpenAI compatible APIs)",
  "litellm litellm/llms/openai/openai.py (OpenAIChatCompletion calls the openai Python SDK)",
];
const CLINE = ["Cline docs: provider-config/openai-compatible"];
const CONTINUE = ["Continue docs: customize/model-providers/top-level/openai"];
const ZED_TOOL_CHOICE =
  "Zed crates/language_models/src/provider/open_ai_compatible.rs (supports_tool_choice: Auto, Any, None)";
const ZED = ["Zed docs: ai/use-api-access.md (OpenAI-compatible endpoints, capabilities)"];
const OPEN_WEBUI = ["Open WebUI docs: getting-started/quick-start/connect-a-provider/starting-with-openai"];
const LLAMAINDEX = [
  "LlamaIndex.TS docs: framework/modules/models/llms",
  "llamaindex 0.0.20 changelog (OpenAI via openai-node)",
];
const LANGCHAIN = ["@langchain/openai 1.5.8 dist/chat_models/base.js (wraps openai-node)"];

const req = (
  need: string,
  rows: string[],
  level: Requirement["level"],
  sources: string[],
  confidence: Confidence,
  unaffectedBy?: string[],
): Requirement => ({ need, rows, level, sources, confidence, ...(unaffectedBy ? { unaffectedBy } : {}) });

/** An SDK aioc runs: every call it makes is a row, so its own rows are the evidence. */
const runCalls = (sdk: string, required: string[], optional: string[], sources: string[]): Requirement[] => [
  ...required.map((c) => req(c, [`client:${sdk}/${c}`], "required", sources, "high")),
  ...optional.map((c) => req(c, [`client:${sdk}/${c}`], "optional", sources, "high")),
];

export const CLIENTS: readonly ClientProfile[] = [
  {
    id: "codex-cli",
    name: "Codex CLI",
    basis: "mapped",
    via: 'Responses API only (`wire_api = "responses"`; Chat Completions support was removed in 2026)',
    requirements: [
      // Codex parses the stream itself, not with openai-node: the [codex-*] rows read the bytes as it does.
      req(
        "streamed Responses, read by Codex's own parser",
        ["/v1/responses[codex-stream]"],
        "required",
        [...CODEX_RESPONSES, CODEX_SSE],
        "high",
      ),
      req(
        'function tools with tool_choice "auto", read by Codex\'s parser',
        ["/v1/responses[codex-tools]"],
        "required",
        [CODEX_REQUEST, CODEX_SSE, CODEX_ITEMS],
        "high",
      ),
      req(
        "tool results (function_call_output input items)",
        ["/v1/responses[tool-result]"],
        "required",
        [CODEX_ITEMS],
        "high",
      ),
      req("remote compaction", ["/v1/responses/compact"], "optional", CODEX_COMPACT, "high"),
    ],
  },
  {
    id: "opencode",
    name: "OpenCode",
    basis: "mapped",
    via: "the AI SDK's @ai-sdk/openai-compatible provider (Chat Completions) for custom providers",
    requirements: [
      req("AI SDK streamText", ["client:ai-sdk/streamText"], "required", OPENCODE, "high"),
      req("streamed chat", ["/v1/chat/completions[stream]"], "required", OPENCODE, "high"),
      req(
        "tool calls (the agent edits through tools)",
        ["/v1/chat/completions[tools]"],
        "required",
        [...OPENCODE, AI_SDK_TOOL_CHOICE],
        "medium",
        ["tool_choice"],
      ),
      req(
        "streamed tool calls",
        ["/v1/chat/completions[tools-stream]"],
        "required",
        [...OPENCODE, AI_SDK_TOOL_CHOICE],
        "medium",
        ["tool_choice"],
      ),
    ],
  },
  {
    id: "aider",
    name: "Aider",
    basis: "mapped",
    via: "LiteLLM's OpenAI client (`--model openai/<name>`, OPENAI_API_BASE)",
    requirements: [
      // LiteLLM's openai provider calls the official Python SDK: its rows, when they ran, are Aider's path.
      {
        ...req("chat", ["client:openai-python/chat", "/v1/chat/completions"], "required", AIDER, "high"),
        firstProbed: true,
      },
      {
        ...req(
          "streamed chat (on by default)",
          ["client:openai-python/chat.stream", "/v1/chat/completions[stream]"],
          "required",
          AIDER,
          "medium",
        ),
        firstProbed: true,
      },
    ],
  },
  {
    id: "cline",
    name: "Cline",
    basis: "mapped",
    via: 'the "OpenAI Compatible" provider (base URL, key, model id)',
    requirements: [
      req("streamed chat", ["/v1/chat/completions[stream]"], "required", CLINE, "medium"),
      req("chat", ["/v1/chat/completions"], "required", CLINE, "high"),
    ],
  },
  {
    id: "continue",
    name: "Continue",
    basis: "mapped",
    via: "the `openai` provider with `apiBase`",
    requirements: [
      req("streamed chat", ["/v1/chat/completions[stream]"], "required", CONTINUE, "medium"),
      req(
        "legacy completions (`useLegacyCompletionsEndpoint`)",
        ["/v1/completions"],
        "optional",
        CONTINUE,
        "high",
      ),
    ],
  },
  {
    id: "zed",
    name: "Zed",
    basis: "mapped",
    via: "`language_models.openai_compatible` (capabilities declared by the user)",
    requirements: [
      req("streamed chat", ["/v1/chat/completions[stream]"], "required", ZED, "medium"),
      req(
        "tool calls (capabilities.tools, the agent)",
        ["/v1/chat/completions[tools-stream]"],
        "optional",
        [...ZED, ZED_TOOL_CHOICE],
        "high",
        // Zed's tool choices are auto, required ("any") and none: it never names a function.
        ["tool_choice naming"],
      ),
      req(
        "parallel tool calls (capabilities.parallel_tool_calls)",
        ["/v1/chat/completions[param:parallel_tool_calls]"],
        "optional",
        ZED,
        "high",
      ),
      req("images (capabilities.images)", ["/v1/chat/completions[param:image_url]"], "optional", ZED, "high"),
    ],
  },
  {
    id: "open-webui",
    name: "Open WebUI",
    basis: "mapped",
    via: "an OpenAI connection (Chat Completions; models listed from the server)",
    requirements: [
      req("model list", ["/v1/models"], "required", OPEN_WEBUI, "high"),
      req("streamed chat", ["/v1/chat/completions[stream]"], "required", OPEN_WEBUI, "high"),
      req("Open Responses (experimental)", ["/v1/responses"], "optional", OPEN_WEBUI, "medium"),
    ],
  },
  {
    id: "llamaindex-ts",
    name: "LlamaIndex.TS",
    basis: "mapped",
    via: "@llamaindex/openai (openai-node underneath)",
    requirements: [
      req("chat", ["/v1/chat/completions", "client:openai-node/chat"], "required", LLAMAINDEX, "high"),
      req("streamed chat", ["/v1/chat/completions[stream]"], "required", LLAMAINDEX, "medium"),
      req("tool calls (agents)", ["/v1/chat/completions[tools]"], "optional", LLAMAINDEX, "medium"),
      req(
        "embeddings (OpenAIEmbedding)",
        ["client:openai-node/embeddings"],
        "optional",
        LLAMAINDEX,
        "medium",
      ),
    ],
  },
  {
    id: "langchain-js",
    name: "LangChain JS",
    basis: "run",
    via: "@langchain/openai 1.5 (ChatOpenAI, OpenAIEmbeddings), run by aioc",
    requirements: runCalls("langchain", ["invoke", "stream"], ["tools", "embeddings"], LANGCHAIN),
  },
  {
    id: "openai-node",
    name: "openai (Node SDK)",
    basis: "run",
    via: "the official Node SDK v6, run by aioc",
    requirements: runCalls(
      "openai-node",
      ["chat", "chat.stream"],
      [
        "tools",
        "responses",
        "responses.stream",
        "responses.tools",
        "embeddings",
        "audio.speech",
        "audio.transcriptions",
        "images.generate",
      ],
      ["openai-node src/lib/ChatCompletionStream.ts"],
    ),
  },
  {
    id: "openai-python",
    name: "openai (Python SDK)",
    basis: "run",
    via: "the official Python SDK, run by aioc as a child process",
    requirements: runCalls(
      "openai-python",
      ["chat", "chat.stream"],
      ["tools", "responses", "embeddings"],
      ["run by aioc: the client:openai-python/* rows"],
    ),
  },
  {
    id: "ai-sdk",
    name: "Vercel AI SDK",
    basis: "run",
    via: "ai v6 with @ai-sdk/openai-compatible v2, run by aioc",
    requirements: runCalls(
      "ai-sdk",
      ["generateText", "streamText"],
      ["embed"],
      ["@ai-sdk/openai-compatible README"],
    ),
  },
];
