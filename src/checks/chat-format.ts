/**
 * Phase C response formats: JSON mode and structured outputs. The server must accept the request and answer
 * a valid completion; whether the text is the JSON asked for is model behaviour (WARN, never FAIL).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Check } from "../probe/types.js";
import { excerpt, firstChoice, postChat, tryJson } from "./chat-depth.js";
import { asRecord, type Finding, modelBehaviour, refusedOptional, settle, startC } from "./depth.js";

const CONTENT = "/choices/0/message/content";

const GREETING_SCHEMA = {
  type: "object",
  properties: { greeting: { type: "string" } },
  required: ["greeting"],
  additionalProperties: false,
} as const;

const messages = [
  { role: "system", content: "You answer in JSON only." },
  {
    role: "user",
    content: 'Return a JSON object with one key, "greeting", whose value is a short greeting.',
  },
];

/** The content as a JSON object, or the finding that says why it is not one. */
function jsonObjectContent(content: unknown): { value: Record<string, unknown> } | { finding: Finding } {
  if (typeof content !== "string" || content.trim() === "") {
    return {
      finding: modelBehaviour(CONTENT, "a JSON object", excerpt(content), "the model returned no content"),
    };
  }
  const parsed = tryJson(content);
  const object = parsed ? asRecord(parsed.value) : undefined;
  if (object) return { value: object };
  const fenced = /^\s*```/.test(content) && tryJson(content.replace(/^\s*```\w*\s*|\s*```\s*$/g, ""));
  const why = fenced
    ? "content is JSON wrapped in a Markdown code fence"
    : parsed
      ? "content is JSON but not an object"
      : `content is not JSON: ${excerpt(content)}`;
  return { finding: modelBehaviour(CONTENT, "a JSON object", excerpt(content), why) };
}

const jsonObject: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = { model: start.model, messages, response_format: { type: "json_object" }, max_tokens: 64 };
  const { outcome, body } = await postChat(ctx, json);
  if (!body) return settle(refusedOptional(outcome, ctx.row, "response_format json_object"), []);
  const content = jsonObjectContent(firstChoice(body)?.message?.content);
  if ("finding" in content) return settle(outcome, [content.finding]);
  return settle(
    outcome,
    [],
    `${outcome.httpStatus} · JSON object with keys ${Object.keys(content.value).join(", ") || "(none)"}`,
  );
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
  if (!body) return settle(refusedOptional(outcome, ctx.row, "response_format json_schema"), []);
  const content = jsonObjectContent(firstChoice(body)?.message?.content);
  if ("finding" in content) return settle(outcome, [content.finding]);
  validateGreeting ??= new Ajv2020({ strict: false, validateSchema: false }).compile(GREETING_SCHEMA);
  if (!validateGreeting(content.value)) {
    const err = validateGreeting.errors?.[0];
    const why = `${err?.instancePath || "content"} ${err?.message ?? "does not match"}`;
    return settle(outcome, [
      modelBehaviour(
        CONTENT,
        "JSON matching the json_schema",
        excerpt(JSON.stringify(content.value)),
        `content does not match the schema: ${why}`,
      ),
    ]);
  }
  return settle(outcome, [], `${outcome.httpStatus} · content validates against the json_schema`);
};

export const formatChecks: Record<string, Check> = {
  "/v1/chat/completions[json_object]": jsonObject,
  "/v1/chat/completions[json_schema]": jsonSchema,
};
