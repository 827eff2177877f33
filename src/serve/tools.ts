/**
 * Function calling, shared by chat completions and the Responses API (which spell tools differently).
 * The reference "model" calls a tool whenever it may: a named function, "required", or "auto" with tools,
 * unless the conversation already ends in a tool result, which it answers in text.
 */
import { newId } from "./generate.js";
import { isObject, type Params } from "./params.js";
import { badRequest } from "./reply.js";
import { sampleFromSchema } from "./schema-sample.js";

export interface FunctionTool {
  name: string;
  parameters?: unknown;
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

type Dialect = "chat" | "responses";

/** Function tools from `tools`; other tool types (web_search, custom …) are accepted and never called. */
export function functionTools(p: Params, dialect: Dialect): FunctionTool[] {
  const tools = p.array("tools") ?? [];
  return tools.flatMap((tool, i) => {
    if (!isObject(tool) || typeof tool.type !== "string") {
      throw badRequest(`Invalid value for 'tools[${i}]': expected a tool object with a type.`, `tools[${i}]`);
    }
    if (tool.type !== "function") return [];
    const fn = dialect === "chat" ? tool.function : tool;
    const where = dialect === "chat" ? `tools[${i}].function.name` : `tools[${i}].name`;
    if (!isObject(fn) || typeof fn.name !== "string" || fn.name === "") {
      throw badRequest(`Missing required parameter: '${where}'.`, where, "missing_required_parameter");
    }
    return [{ name: fn.name, parameters: fn.parameters }];
  });
}

/** The tool the model calls, or undefined when it should answer in text. */
export function chooseTool(
  p: Params,
  tools: readonly FunctionTool[],
  dialect: Dialect,
  answersToolResult: boolean,
  quirks: ReadonlySet<string> = new Set(),
): FunctionTool | undefined {
  const sent = p.raw("tool_choice") ?? "auto";
  // llama-server reads tool_choice as a string only: an object (the named form) falls back to "auto", and its
  // model answers in text (responses-tool-choice-named-ignored); so does Ollama's, which reads none.
  if (dialect === "responses" && isObject(sent) && quirks.has("responses-tool-choice-named-ignored"))
    return undefined;
  // Ollama reads no tool_choice (tool-choice-ignored): whatever was sent, the model may call a tool.
  const choice = quirks.has("tool-choice-ignored") ? "auto" : sent;
  if (isObject(choice) && choice.type === "function") {
    const name =
      dialect === "chat" ? (isObject(choice.function) ? choice.function.name : undefined) : choice.name;
    if (typeof name !== "string") {
      throw badRequest("Invalid value for 'tool_choice': missing function name.", "tool_choice");
    }
    const tool = tools.find((t) => t.name === name);
    if (!tool) {
      throw badRequest(
        `Tool choice '${name}' not found in 'tools' parameter.`,
        "tool_choice",
        "invalid_value",
      );
    }
    return answersToolResult ? undefined : tool;
  }
  if (typeof choice === "string" && !["auto", "required", "none"].includes(choice)) {
    throw badRequest(
      `Invalid value: '${choice}'. Supported values are: 'none', 'auto' and 'required'.`,
      "tool_choice",
      "invalid_value",
    );
  }
  if (choice === "required" && tools.length === 0) {
    throw badRequest(
      "'tool_choice' is 'required' but no function tools were given.",
      "tool_choice",
      "invalid_value",
    );
  }
  // "auto", "required", or another tool type's choice (allowed_tools, custom …)
  return choice === "none" || answersToolResult ? undefined : tools[0];
}

/** A call with arguments generated to satisfy the function's parameter schema. */
export function callTool(tool: FunctionTool): ToolCall {
  const args = tool.parameters === undefined ? {} : sampleFromSchema(tool.parameters);
  return { id: newId("call_"), name: tool.name, arguments: JSON.stringify(args) };
}

/** Argument text in small pieces, as models stream them. */
export function argumentPieces(args: string, size = 8): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < args.length; i += size) pieces.push(args.slice(i, i + size));
  return pieces;
}
