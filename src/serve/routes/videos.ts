/** Video jobs mirroring OpenAI's VideoResource: created queued, completed on the first poll, then downloadable. */
import { TINY_PNG, tinyMp4 } from "../../fixtures/media.js";
import type { Ctx, Route } from "../context.js";
import { newId, nowSeconds } from "../generate.js";
import { requestModel } from "../models.js";
import { ApiError, badRequest, bytes, json, type Reply } from "../reply.js";
import type { Video } from "../video-store.js";

const notFound = (id: string) =>
  new ApiError(404, `Video with id '${id}' not found.`, { param: "video_id", code: "video_not_found" });

function create(ctx: Ctx): Reply {
  const p = ctx.body;
  const prompt = p.requireString("prompt");
  const model = requestModel(p, "aioc-video");
  // JSON clients may send seconds as a number; the resource always says it as a string.
  const seconds = String(p.multipart ? (p.string("seconds") ?? "4") : (p.raw("seconds") ?? "4"));
  if (!/^[1-9]\d*$/.test(seconds)) {
    throw badRequest(`Invalid value: '${seconds}' for 'seconds'.`, "seconds", "invalid_value");
  }
  const size = p.string("size") ?? "720x1280";
  if (!/^\d+x\d+$/.test(size)) {
    throw badRequest(`Invalid value: '${size}' for 'size'.`, "size", "invalid_value");
  }
  p.files("input_reference");
  const video: Video = {
    id: newId("video_", 32),
    object: "video",
    model,
    status: "queued",
    progress: 0,
    created_at: nowSeconds(),
    completed_at: null,
    expires_at: null,
    prompt,
    size,
    seconds,
    remixed_from_video_id: null,
    error: null,
  };
  ctx.videos.add(video);
  return json(video);
}

function retrieve(ctx: Ctx): Reply {
  const id = ctx.params.id ?? "";
  const video = ctx.videos.poll(id, nowSeconds());
  if (!video) throw notFound(id);
  return json(video);
}

function content(ctx: Ctx): Reply {
  const id = ctx.params.id ?? "";
  const video = ctx.videos.get(id);
  if (!video) throw notFound(id);
  const variant = ctx.query.get("variant") ?? "video";
  if (!["video", "thumbnail", "spritesheet"].includes(variant)) {
    throw badRequest(
      `Invalid value: '${variant}'. Supported values are: 'video', 'thumbnail' and 'spritesheet'.`,
      "variant",
    );
  }
  if (video.status !== "completed") {
    throw new ApiError(
      409,
      `Video '${id}' is not ready yet (status ${video.status}); poll it until completed.`,
      {
        code: "video_not_ready",
      },
    );
  }
  // Previews (thumbnail, spritesheet) are a still image.
  return variant === "video" ? bytes("video/mp4", tinyMp4()) : bytes("image/png", TINY_PNG);
}

export const videoRoutes: Route[] = [
  { method: "POST", path: "/v1/videos", body: "json-or-multipart", handle: create },
  { method: "GET", path: "/v1/videos/{id}", body: "none", handle: retrieve },
  { method: "GET", path: "/v1/videos/{id}/content", body: "none", handle: content },
];
