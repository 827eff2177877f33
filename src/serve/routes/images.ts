/**
 * Image generation (JSON), edits and variations (multipart only, as on OpenAI). Every image is TINY_PNG,
 * returned inline as b64_json or as a URL this server serves itself (outside /v1, like a pre-signed link).
 */
import { TINY_PNG } from "../../fixtures/media.js";
import type { Ctx, Route } from "../context.js";
import { newId, nowSeconds } from "../generate.js";
import { requestModel } from "../models.js";
import { isObject } from "../params.js";
import { ApiError, badRequest, bytes, invalidUrl, json, missingParam, type Reply } from "../reply.js";

const IMAGE_PATH = "/aioc/images";

type Mode = "generate" | "edit" | "variation";

function images(ctx: Ctx, mode: Mode): Reply {
  const p = ctx.body;
  const jsonEdits = mode === "edit" && ctx.quirks.has("images-edits-json");
  if (jsonEdits && p.multipart) {
    throw new ApiError(415, "Unsupported Media Type: send the edit as application/json.", {
      code: "unsupported_media_type",
    });
  }
  if (mode !== "variation") p.requireString("prompt");
  if (jsonEdits) {
    // The JSON form of an edit (OpenAI's EditImageBodyJsonParam): images: [{image_url} | {file_id}].
    const refs = p.array("images");
    const isRef = (r: unknown) =>
      isObject(r) && (typeof r.image_url === "string" || typeof r.file_id === "string");
    if (!refs || refs.length === 0 || !refs.every(isRef)) throw missingParam("images");
  } else if (mode !== "generate") {
    p.requireFile("image");
    p.files("mask");
  }
  requestModel(p, "aioc-image");
  const n = p.int("n", { min: 1, max: 10 }) ?? 1;
  const format = p.string("response_format", ["url", "b64_json"]) ?? "url";
  const size = p.string("size");
  if (size !== undefined && size !== "auto" && !/^\d+x\d+$/.test(size)) {
    throw badRequest(
      `Invalid value: '${size}'. Expected 'auto' or WIDTHxHEIGHT, e.g. '1024x1024'.`,
      "size",
      "invalid_value",
    );
  }
  const data = Array.from({ length: n }, () =>
    format === "b64_json"
      ? { b64_json: Buffer.from(TINY_PNG).toString("base64") }
      : { url: `${ctx.origin}${IMAGE_PATH}/${newId("img_")}.png` },
  );
  return json({ created: nowSeconds(), data });
}

export const imageRoutes: Route[] = [
  { method: "POST", path: "/v1/images/generations", body: "json", handle: (ctx) => images(ctx, "generate") },
  {
    method: "POST",
    path: "/v1/images/edits",
    body: "multipart",
    quirkBody: (quirks) => (quirks.has("images-edits-json") ? "json-or-multipart" : undefined),
    handle: (ctx) => images(ctx, "edit"),
  },
  {
    method: "POST",
    path: "/v1/images/variations",
    body: "multipart",
    handle: (ctx) => images(ctx, "variation"),
  },
  {
    method: "GET",
    path: `${IMAGE_PATH}/{file}`,
    body: "none",
    handle: (ctx) => {
      if (!/^img_[A-Za-z0-9]+\.png$/.test(ctx.params.file ?? "")) throw invalidUrl(ctx.method, ctx.path);
      return bytes("image/png", TINY_PNG);
    },
  },
];
