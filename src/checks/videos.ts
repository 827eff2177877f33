/**
 * Phase B for async video jobs (aioc's extension, mirroring OpenAI's Sora VideoResource).
 * The job is created once; status polling is bounded; content is fetched only for a completed job.
 */

import { isMp4 } from "../fixtures/media.js";
import { pathSegment } from "../http/path-segment.js";
import type { Check, Outcome, VideoJob } from "../probe/types.js";
import { expectJson, fail, judged, requireModel, sendUsable, skipped } from "./expect.js";

const MAX_POLLS = 3;
const POLL_INTERVAL_MS = 500;
const DONE = new Set(["completed", "failed"]);

const create: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const json = { model, prompt: "a slow zoom on a red dot", seconds: "4", size: "720x1280" };
  return expectJson(ctx, { method: "POST", path: ctx.row.path, json }, "Video");
};

/** The job a `/v1/videos` or `/v1/videos/{id}` answer describes, if it names one. */
function videoJobOf(outcome: Outcome): VideoJob | undefined {
  const job = outcome.observation?.json as { id?: unknown; status?: unknown } | undefined;
  if (typeof job?.id !== "string") return undefined;
  return { id: job.id, status: typeof job.status === "string" ? job.status : "unknown" };
}

const status: Check = async (ctx) => {
  const created = await ctx.dependency();
  const job = created && videoJobOf(created);
  if (!job) return skipped("no video job to poll (POST /v1/videos created none)");
  let outcome: Outcome | undefined;
  for (let poll = 1; poll <= MAX_POLLS; poll++) {
    if (poll > 1) await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    outcome = await expectJson(ctx, { method: "GET", path: `/v1/videos/${pathSegment(job.id)}` }, "Video");
    const state = videoJobOf(outcome)?.status;
    if (outcome.verdict || (state && DONE.has(state))) break;
  }
  const final = outcome!;
  const state = videoJobOf(final)?.status;
  if (!final.verdict)
    final.note = `${final.httpStatus} · ${state ?? "no status"}${state && !DONE.has(state) ? ` after ${MAX_POLLS} polls` : ""}`;
  return final;
};

const content: Check = async (ctx) => {
  const polled = await ctx.dependency();
  const job = polled && videoJobOf(polled);
  if (!job) return skipped("no video job to download");
  if (job.status !== "completed")
    return skipped(`job is ${job.status} after ${MAX_POLLS} polls; content not fetched`);
  const sent = await sendUsable(ctx, {
    method: "GET",
    path: `/v1/videos/${pathSegment(job.id)}/content`,
  });
  if (sent.unusable) return sent.unusable;
  const { res } = sent;
  const problems = [];
  if (!/^video\//i.test(res.contentType))
    problems.push(fail("header:content-type", "video/mp4", res.contentType || "(none)"));
  if (res.body.length === 0) problems.push(fail("body", "video bytes", "empty body"));
  else if (!isMp4(res.body)) problems.push(fail("body", "an MP4 container", "unrecognised bytes"));
  return { ...judged(sent, problems), note: `${res.status} · ${res.body.length} bytes` };
};

export const videoChecks: Record<string, Check> = {
  "/v1/videos": create,
  "/v1/videos/{id}": status,
  "/v1/videos/{id}/content": content,
};
