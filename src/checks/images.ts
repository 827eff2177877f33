/** Phase B for image generation, edits and variations. */
import { TINY_PNG, TINY_PNG_DATA_URL } from "../fixtures/media.js";
import type { Check, Outcome } from "../probe/types.js";
import { expectJson, fail, requireModel } from "./expect.js";
import { imageDefect } from "./media-content.js";

const PROMPT = "a red dot";
const SIZE = "256x256";

/**
 * Every image must be one: `b64_json` (asked for) decoding to PNG, JPEG or WebP (ImagesResponse.data[].b64_json);
 * a `url` instead means response_format was ignored. The findings go in as problems; `decide` names the first.
 */
function checkImages(outcome: Outcome): Outcome {
  const data = (outcome.observation?.json as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data) || outcome.verdict) return outcome;
  const defects = data.map(imageDefect).filter((d) => d !== undefined);
  for (const d of defects) outcome.problems.push(fail(d.pointer, d.expected, d.got, "Image"));
  if (outcome.observation) outcome.observation.facts.imageDefect = defects[0]?.detail;
  return outcome;
}

/** The row's verdict says what is wrong with the image in words, when that is the first failure. */
function decide(outcome: Outcome): Outcome {
  const detail = outcome.observation?.facts.imageDefect;
  if (typeof detail !== "string" || outcome.verdict) return outcome;
  const fails = outcome.problems.filter((p) => p.severity === "fail").length;
  outcome.verdict = { status: "FAIL", detail: fails > 1 ? `${detail} (+${fails - 1} more)` : detail };
  return outcome;
}

function imageForm(model: string, withPrompt: boolean): FormData {
  const form = new FormData();
  form.append("image", new Blob([TINY_PNG], { type: "image/png" }), "probe.png");
  form.append("model", model);
  if (withPrompt) form.append("prompt", PROMPT);
  form.append("n", "1");
  form.append("size", SIZE);
  form.append("response_format", "b64_json");
  return form;
}

const generations: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const json = { model, prompt: PROMPT, n: 1, size: SIZE, response_format: "b64_json" };
  return decide(
    checkImages(await expectJson(ctx, { method: "POST", path: ctx.row.path, json }, "ImagesResponse")),
  );
};

/**
 * OpenAI requires multipart for edits. When multipart is refused, one JSON attempt tells a server that takes
 * JSON only (a known deviation) apart from one that cannot edit at all.
 */
const edits: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const multipart = checkImages(
    await expectJson(
      ctx,
      { method: "POST", path: ctx.row.path, form: imageForm(model, true) },
      "ImagesResponse",
    ),
  );
  const status = multipart.httpStatus ?? 0;
  if (status < 400 || status >= 500) return decide(multipart);
  const json = {
    model,
    prompt: PROMPT,
    images: [{ image_url: TINY_PNG_DATA_URL }],
    n: 1,
    size: SIZE,
    response_format: "b64_json",
  };
  const viaJson = checkImages(
    await expectJson(ctx, { method: "POST", path: ctx.row.path, json }, "ImagesResponse"),
  );
  if (viaJson.verdict || !viaJson.observation) return multipart;
  viaJson.observation.facts.multipartRejected = status;
  viaJson.observation.facts.jsonAccepted = true;
  viaJson.problems.push(
    fail("request", "multipart/form-data accepted", `multipart refused with ${status}; JSON accepted`),
  );
  return decide(viaJson);
};

const variations: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  return decide(
    checkImages(
      await expectJson(
        ctx,
        { method: "POST", path: ctx.row.path, form: imageForm(model, false) },
        "ImagesResponse",
      ),
    ),
  );
};

export const imageChecks: Record<string, Check> = {
  "/v1/images/generations": generations,
  "/v1/images/edits": edits,
  "/v1/images/variations": variations,
};
