/** Phase B for text-to-speech and speech-to-text. */
import { silentWav, sniffAudio } from "../fixtures/media.js";
import type { Check } from "../probe/types.js";
import { SPEECH_CONTENT_TYPES } from "../shapes/schemas.js";
import { contentTypeProblems, expectJson, fail, judged, requireModel, sendUsable, warn } from "./expect.js";

const SPEECH_FORMAT = "wav";

const speech: Check = async (ctx) => {
  const model = requireModel(ctx);
  if (typeof model !== "string") return model;
  const json = { model, input: "Hi.", voice: "alloy", response_format: SPEECH_FORMAT };
  const sent = await sendUsable(ctx, { method: "POST", path: ctx.row.path, json });
  if (sent.unusable) return sent.unusable;
  const { res, observation } = sent;
  const problems = contentTypeProblems(res.contentType, SPEECH_CONTENT_TYPES[SPEECH_FORMAT]!);
  const sniffed = sniffAudio(res.body);
  observation.facts.audioFormat = sniffed;
  if (res.body.length === 0) problems.push(fail("body", "audio bytes", "empty body"));
  else if (!sniffed)
    problems.push(fail("body", `${SPEECH_FORMAT} audio`, "bytes that are not a known audio format"));
  else if (sniffed !== SPEECH_FORMAT)
    problems.push(warn("body", `${SPEECH_FORMAT} audio (response_format)`, `${sniffed} audio`));
  return {
    ...judged(sent, problems),
    note: `${res.status} · ${res.body.length} bytes of ${sniffed ?? "audio"}`,
  };
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
