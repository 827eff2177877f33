/**
 * Deviations in enforcing a parameter whose effect OpenAI guarantees (see src/checks/enforcement.ts): the rows
 * record `observation.facts.enforcement` (and [json_object] what [json_schema] found, `schemaEnforcement`), and
 * these entries name who is known to leave the gap. Each explains the row's evidence finding; the problem, with
 * the bytes, stays in the report.
 */
import type { Observation } from "../probe/types.js";
import type { Problem } from "../report/types.js";
import type { Deviation } from "./types.js";

interface EnforcementFact {
  param?: unknown;
  state?: unknown;
  severity?: unknown;
}

const fact = (obs: Observation) => (obs.facts.enforcement ?? {}) as EnforcementFact;

const ignoredParam =
  (match: (param: string) => boolean, severity: "fail" | "warn") =>
  (obs: Observation): boolean => {
    const f = fact(obs);
    return f.state === "ignored" && typeof f.param === "string" && match(f.param) && f.severity === severity;
  };

/** The evidence finding of a JSON mode or forced-call row (src/checks/chat-format.ts, chat-tools.ts). */
const contentEvidence = (p: Problem) => p.pointer === "/choices/0/message/content";
const callEvidence = (p: Problem) => /^(\/choices\/0\/message|stream)\/(tool_calls|content)/.test(p.pointer);

const TOOL_ROWS = [
  "/v1/chat/completions[tools]",
  "/v1/chat/completions[tools-stream]",
  "/v1/chat/completions[tools-required]",
];

export const ENFORCEMENT_DEVIATIONS: readonly Deviation[] = [
  {
    id: "json-object-not-enforced",
    rows: ["/v1/chat/completions[json_object]"],
    verdict: "FAIL",
    summary:
      "JSON mode (response_format json_object) is accepted but not enforced (json_schema is): the content is free text",
    implementations: [
      { name: "llama.cpp", versions: "b9272 and later (issue #24096); json_schema is enforced" },
    ],
    docs: "docs/deviations.md#json-object-not-enforced",
    // A server that drops json_schema too is not llama-server but a gateway losing response_format.
    detect: (obs) =>
      ignoredParam((p) => p === "response_format json_object", "fail")(obs) &&
      obs.facts.schemaEnforcement === "enforced",
    explains: contentEvidence,
    why: "OpenAI guarantees valid JSON in JSON mode when finish_reason is stop; clients parse the content with JSON.parse and throw on free text.",
    detection:
      "[json_object] gets content that is not JSON with finish_reason stop (or, cut by length, not even a JSON prefix), while [json_schema] got valid JSON.",
    sources: [
      "llama.cpp issue #24096",
      "llama.cpp tools/server/server-common.cpp (response_format handling)",
    ],
  },
  {
    id: "tool-choice-named-ignored",
    rows: TOOL_ROWS.filter((r) => !r.endsWith("[tools-required]")),
    verdict: "FAIL",
    summary: 'a tool_choice naming a function falls back to "auto": the answer may be text',
    implementations: [
      {
        name: "llama.cpp",
        versions: 'older llama-server builds (issue #26535); "required" is grammar-forced there',
      },
      {
        name: "Ollama",
        versions:
          'v0.17.4, measured in the field lab: the chat request has no tool_choice field (openai/openai.go ChatCompletionRequest, unchanged at v0.33.0-rc2), so a named (and a "required") tool_choice is dropped',
      },
    ],
    docs: "docs/deviations.md#tool-choice-named-ignored",
    detect: ignoredParam((p) => p.startsWith("tool_choice naming"), "fail"),
    explains: callEvidence,
    why: "OpenAI guarantees a call to the named function; agents that force a tool read tool_calls[0] and break on a text answer.",
    detection:
      "[tools] or [tools-stream], forcing get_weather by name, get a plain-text answer or a call to another function.",
    sources: [
      "llama.cpp issue #26535",
      "llama.cpp PR #28806",
      "Ollama openai/openai.go (ChatCompletionRequest: no tool_choice)",
      "measured: Ollama v0.17.4 (field lab) answers a forced get_weather with text",
    ],
  },
  {
    id: "tool-call-after-text",
    rows: TOOL_ROWS,
    verdict: "WARN",
    summary: "a forced tool call comes after free text in content (OpenAI sends content null)",
    implementations: [{ name: "llama.cpp", versions: "current llama-server (issue #27217)" }],
    docs: "docs/deviations.md#tool-call-after-text",
    detect: ignoredParam((p) => p.startsWith("tool_choice"), "warn"),
    explains: callEvidence,
    why: "The call still comes, so openai-node and agent loops get it; clients that show content print the stray text. With a small max_tokens the text can crowd out the call (then the row FAILs).",
    detection: 'A forced call (by name or "required") arrives with non-empty content beside it.',
    sources: ["llama.cpp issue #27217"],
  },
];
