/** Phase B for text-to-speech and speech-to-text. */
import { silentWav } from "../fixtures/media.js";
import type { Check, Outcome } from "../probe/types.js";
import type { Problem } from "../report/types.js";
import { SPEECH_CONTENT_TYPES } from "../shapes/schemas.js";
import { contentTypeProblems, expectJson, fail, judged, requireModel, sendUsable, warn } from "./expect.js";
import { contentTypesOf, judgeSpeech } from "./media-content.js";

const SPEECH_FORMAT = "wav";

const speech: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const json = { model, input: "Hi.", voice: "alloy", response_format: SPEECH_FORMAT };
  const sent = await sendUsable(ctx, { method: "POST", path: ctx.row.path, json });
  if (sent.unusable) return sent.unusable;
  const { res, observation } = sent;
  const heard = judgeSpeech(res.body, res.contentType, SPEECH_FORMAT);
  observation.facts.audioFormat = heard.format;
  const problems: Problem[] = [];
  const bad = heard.broken ?? heard.formatIgnored;
  if (bad) {
    const severity = heard.broken ? fail : warn;
    problems.push(severity(bad.pointer, bad.expected, bad.got));
  }
  if (heard.contentTypeWrong) {
    // The Content-Type should name what was sent: the asked format, or the format that actually came.
    const types = heard.format ? contentTypesOf(heard.format) : SPEECH_CONTENT_TYPES[SPEECH_FORMAT]!;
    problems.push(...contentTypeProblems(res.contentType, types));
  }
  const outcome: Outcome = {
    ...judged(sent, problems),
    note: `${res.status} · ${res.body.length} bytes of ${heard.format ?? "audio"}`,
  };
  if (bad && !heard.contentTypeWrong)
    outcome.verdict = { status: heard.broken ? "FAIL" : "WARN", detail: bad.detail };
  return outcome;
};

function sttForm(model: string): FormData {
  const form = new FormData();
  form.append("file", new Blob([silentWav()], { type: "audio/wav" }), "probe.wav");
  form.append("model", model);
  form.append("response_format", "json");
  return form;
}

const transcription: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  return expectJson(ctx, { method: "POST", path: ctx.row.path, form: sttForm(model) }, "Transcription");
};

const translation: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  return expectJson(ctx, { method: "POST", path: ctx.row.path, form: sttForm(model) }, "Translation");
};

export const audioChecks: Record<string, Check> = {
  "/v1/audio/speech": speech,
  "/v1/audio/transcriptions": transcription,
  "/v1/audio/translations": translation,
};
