/**
 * Structured-output requests: chat's `response_format` ({type, json_schema: {name, schema}}) and the
 * Responses API's `text.format` ({type, name, schema}) both come down to a ReplyFormat.
 */
import type { ReplyFormat } from "./generate.js";
import { isObject } from "./params.js";
import { badRequest, missingParam } from "./reply.js";

const TYPES = ["text", "json_object", "json_schema"];

/** `where` names the parameter in errors (`response_format` or `text.format`). */
export function readReplyFormat(value: unknown, where: string, dialect: "chat" | "responses"): ReplyFormat {
  if (value === undefined || value === null) return { type: "text" };
  if (!isObject(value)) {
    throw badRequest(`Invalid type for '${where}': expected an object.`, where, "invalid_type");
  }
  const type = value.type;
  if (typeof type !== "string" || !TYPES.includes(type)) {
    throw badRequest(
      `Invalid value: '${String(type)}'. Supported values are: 'text', 'json_object' and 'json_schema'.`,
      `${where}.type`,
      "invalid_value",
    );
  }
  if (type !== "json_schema") return { type: type as "text" | "json_object" };
  const spec = dialect === "chat" ? value.json_schema : value;
  const prefix = dialect === "chat" ? `${where}.json_schema` : where;
  if (!isObject(spec)) throw missingParam(prefix);
  if (typeof spec.name !== "string" || spec.name === "") throw missingParam(`${prefix}.name`);
  return { type: "json_schema", schema: spec.schema };
}
