/** Phase B for image generation, edits and variations. */
import { TINY_PNG } from "../fixtures/media.js";
import type { Check, Outcome } from "../probe/types.js";
import { expectJson, fail, requireModel } from "./expect.js";

const PROMPT = "a red dot";
const SIZE = "256x256";

/** Every image must carry `url` or `b64_json` (ImagesResponse.data[].url | b64_json). */
function checkImages(outcome: Outcome): Outcome {
  const data = (outcome.observation?.json as { data?: unknown } | undefined)?.data;
  if (Array.isArray(data)) {
    data.forEach((img, i) => {
      const { url, b64_json } = (img ?? {}) as { url?: unknown; b64_json?: unknown };
      if (typeof url !== "string" && typeof b64_json !== "string") {
        outcome.problems.push(fail(`/data/${i}`, "url or b64_json", "neither", "Image"));
      }
    });
  }
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
  return checkImages(await expectJson(ctx, { method: "POST", path: ctx.row.path, json }, "ImagesResponse"));
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
  if (status < 400 || status >= 500) return multipart;
  const json = {
    model,
    prompt: PROMPT,
    images: [{ image_url: `data:image/png;base64,${Buffer.from(TINY_PNG).toString("base64")}` }],
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
  return viaJson;
};

const variations: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  return checkImages(
    await expectJson(
      ctx,
      { method: "POST", path: ctx.row.path, form: imageForm(model, false) },
      "ImagesResponse",
    ),
  );
};

export const imageChecks: Record<string, Check> = {
  "/v1/images/generations": generations,
  "/v1/images/edits": edits,
  "/v1/images/variations": variations,
};
