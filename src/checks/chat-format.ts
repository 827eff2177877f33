/**
 * Phase C response formats: JSON mode and structured outputs. OpenAI guarantees valid JSON (matching the schema,
 * for a strict json_schema) when finish_reason is "stop", so an answer that is not is the server's fault: the
 * format was not enforced. Cut by "length", the content must still be a valid JSON prefix.
 * [json_object] runs after [json_schema] and reads its enforcement, to tell a server that constrains schemas
 * but not json_object (llama-server) from one that drops response_format altogether (a gateway).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Check, Outcome } from "../probe/types.js";
import { type ChatChoiceJson, excerpt, firstChoice, postChat, reasoningOf, tryJson } from "./chat-depth.js";
import { asRecord, refusedOptional, settle, startC } from "./depth.js";
import { type Enforcement, enforced, ignored, settleBehaviour, unverified } from "./enforcement.js";
import { jsonPrefix } from "./json-prefix.js";

const CONTENT = "/choices/0/message/content";
const JSON_OBJECT = "response_format json_object";
const JSON_SCHEMA = "response_format json_schema";

export const GREETING_SCHEMA = {
  type: "object",
  properties: { greeting: { type: "string" } },
  required: ["greeting"],
  additionalProperties: false,
} as const;

export const messages = [
  { role: "system", content: "You answer in JSON only." },
  {
    role: "user",
    content: 'Return a JSON object with one key, "greeting", whose value is a short greeting.',
  },
];

const jsonType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`);

/** OpenAI's guarantee applied to one choice: the parsed JSON when the format held, else why not. */
export function jsonEnforcement(
  param: string,
  choice: ChatChoiceJson | undefined,
  /** The token limit's name in the detail (Responses: max_output_tokens). */
  limit = "max_tokens",
): { e: Enforcement; value?: unknown } {
  const content = choice?.message?.content;
  const finish = choice?.finish_reason;
  const cut = finish === "length";
  if (typeof content !== "string" || content.trim() === "") {
    const reasoning = reasoningOf(choice);
    if (reasoning && finish !== "stop") {
      const why = `the budget went to reasoning_content (${reasoning.length} characters) before any content`;
      return { e: unverified(param, CONTENT, "JSON", excerpt(content), why) };
    }
    if (cut || finish === "content_filter") {
      const why = `finish_reason ${finish} before any content`;
      return { e: unverified(param, CONTENT, "JSON", excerpt(content), why) };
    }
    const why = `finish_reason ${String(finish)} with ${content === "" ? "empty" : "no"} content, which is not JSON`;
    return { e: ignored(param, CONTENT, "JSON", excerpt(content), why) };
  }
  const parsed = tryJson(content);
  if (parsed) return { e: enforced(param), value: parsed.value };
  if (cut) {
    const prefix = jsonPrefix(content);
    if (prefix.state !== "invalid") {
      const why = `cut by ${limit} inside valid JSON`;
      return { e: unverified(param, CONTENT, "complete JSON", excerpt(content), why) };
    }
    const why = `content is not JSON, not even the start of JSON (cut by ${limit}): ${excerpt(content)}`;
    return { e: ignored(param, CONTENT, "a valid JSON prefix", excerpt(content), why) };
  }
  if (finish !== "stop" && finish !== undefined && finish !== null) {
    const why = `finish_reason ${excerpt(finish)}: OpenAI guarantees JSON when it is "stop"`;
    return { e: unverified(param, CONTENT, "JSON", excerpt(content), why) };
  }
  const fenced = /^\s*```/.test(content) && tryJson(content.replace(/^\s*```\w*\s*|\s*```\s*$/g, ""));
  const why = fenced
    ? `content is JSON wrapped in a Markdown code fence: ${excerpt(content)}`
    : `content is not JSON: ${excerpt(content)}`;
  return { e: ignored(param, CONTENT, "JSON", excerpt(content), why) };
}

/** What [json_schema] found, said on [json_object] when json_object is not enforced. */
function siblingNote(schemaRow: Outcome): string {
  const state = schemaRow.enforcement?.state;
  if (state === "enforced")
    return " (json_schema is enforced: the server constrains schemas but not json_object)";
  if (state === "ignored")
    return " (json_schema is not enforced either: response_format is dropped on the way, as by a gateway that does not forward it)";
  return "";
}

const jsonObject: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = { model: start.model, messages, response_format: { type: "json_object" }, max_tokens: 64 };
  const { outcome, body } = await postChat(ctx, json);
  if (!body) return settle(refusedOptional(outcome, ctx.row, JSON_OBJECT), []);
  const { e, value } = jsonEnforcement(JSON_OBJECT, firstChoice(body));
  const object = asRecord(value);
  const result =
    e.state === "enforced" && !object
      ? ignored(
          JSON_OBJECT,
          CONTENT,
          "a JSON object",
          jsonType(value),
          `content is JSON but ${jsonType(value)}, not an object`,
          "warn",
        )
      : e;
  if (outcome.observation) outcome.observation.facts.schemaEnforcement = start.base.enforcement?.state;
  return settleBehaviour(outcome, result, {
    note: siblingNote(start.base),
    passNote: `${outcome.httpStatus} · JSON object with keys ${Object.keys(object ?? {}).join(", ") || "(none)"}`,
  });
};

let validateGreeting: ReturnType<Ajv2020["compile"]> | undefined;

const jsonSchema: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = {
    model: start.model,
    messages,
    response_format: {
      type: "json_schema",
      json_schema: { name: "greeting", strict: true, schema: GREETING_SCHEMA },
    },
    max_tokens: 64,
  };
  const { outcome, body } = await postChat(ctx, json);
  if (!body) return settle(refusedOptional(outcome, ctx.row, JSON_SCHEMA), []);
  const { e, value } = jsonEnforcement(JSON_SCHEMA, firstChoice(body));
  validateGreeting ??= new Ajv2020({ strict: false, validateSchema: false }).compile(GREETING_SCHEMA);
  if (e.state === "enforced" && !validateGreeting(value)) {
    // strict: true makes the schema itself the guarantee, not a wish.
    const err = validateGreeting.errors?.[0];
    const why = `${err?.instancePath || "content"} ${err?.message ?? "does not match"}`;
    return settleBehaviour(
      outcome,
      ignored(
        JSON_SCHEMA,
        CONTENT,
        "JSON matching the strict json_schema",
        excerpt(JSON.stringify(value)),
        `content does not match the strict schema (${why}): ${excerpt(JSON.stringify(value))}`,
      ),
    );
  }
  return settleBehaviour(outcome, e, {
    passNote: `${outcome.httpStatus} · content validates against the json_schema`,
  });
};

export const formatChecks: Record<string, Check> = {
  "/v1/chat/completions[json_object]": jsonObject,
  "/v1/chat/completions[json_schema]": jsonSchema,
};
