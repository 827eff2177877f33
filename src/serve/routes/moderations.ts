/** POST /v1/moderations: one result per input with all omni-moderation categories, flagged by keywords. */
import type { Route } from "../context.js";
import { newId } from "../generate.js";
import { requestModel } from "../models.js";
import { isObject, type Params } from "../params.js";
import { badRequest, json, missingParam } from "../reply.js";

/** Category → whether it also applies to images (as on omni-moderation). */
const CATEGORIES: Record<string, boolean> = {
  harassment: false,
  "harassment/threatening": false,
  hate: false,
  "hate/threatening": false,
  illicit: false,
  "illicit/violent": false,
  "self-harm": true,
  "self-harm/intent": true,
  "self-harm/instructions": true,
  sexual: true,
  "sexual/minors": false,
  violence: true,
  "violence/graphic": true,
};

/** Deterministic "classifier": a few unmistakable words flag their category. */
const KEYWORDS: [RegExp, string][] = [
  [/\b(kill|murder|stab)\b/i, "violence"],
  [/\b(hate you|subhuman)\b/i, "harassment"],
  [/\b(suicide|self-harm)\b/i, "self-harm"],
];

interface Input {
  text: string;
  types: Set<"text" | "image">;
}

/** A string, strings, or one multimodal array of {type: "text"|"image_url"} parts. */
function readInputs(p: Params): Input[] {
  const raw = p.raw("input");
  if (raw === undefined) throw missingParam("input");
  if (typeof raw === "string") return [{ text: raw, types: new Set(["text"]) }];
  if (!Array.isArray(raw) || raw.length === 0) {
    throw badRequest("Invalid 'input': expected a string or a non-empty array.", "input");
  }
  if (raw.every((s) => typeof s === "string")) return raw.map((text) => ({ text, types: new Set(["text"]) }));
  const input: Input = { text: "", types: new Set() };
  for (const part of raw) {
    if (isObject(part) && part.type === "text" && typeof part.text === "string") {
      input.text += ` ${part.text}`;
      input.types.add("text");
    } else if (isObject(part) && part.type === "image_url") {
      input.types.add("image");
    } else {
      throw badRequest(
        "Invalid 'input': multimodal parts must be {type: 'text'} or {type: 'image_url'}.",
        "input",
      );
    }
  }
  return [input];
}

function result(input: Input) {
  const hits = new Set(KEYWORDS.filter(([re]) => re.test(input.text)).map(([, category]) => category));
  const entries = Object.entries(CATEGORIES);
  return {
    flagged: hits.size > 0,
    categories: Object.fromEntries(entries.map(([c]) => [c, hits.has(c)])),
    category_scores: Object.fromEntries(entries.map(([c]) => [c, hits.has(c) ? 0.9 : 0.0001])),
    category_applied_input_types: Object.fromEntries(
      entries.map(([c, images]) => [c, [...input.types].filter((t) => t === "text" || images)]),
    ),
  };
}

export const moderationRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/moderations",
    body: "json",
    handle: (ctx) => {
      const p = ctx.body;
      const model = requestModel(p, "aioc-moderation");
      return json({ id: newId("modr-"), model, results: readInputs(p).map(result) });
    },
  },
];
