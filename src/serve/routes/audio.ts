/** Text to speech (JSON in, audio bytes out) and speech to text (multipart in, text in five formats out). */
import { sniffAudio } from "../../fixtures/media.js";
import { SPEECH_FORMATS, wavDuration } from "../audio-formats.js";
import type { Ctx, Route } from "../context.js";
import { TRANSCRIPT, tokenize } from "../generate.js";
import { requestModel } from "../models.js";
import { badRequest, bytes, json, missingParam, type Reply } from "../reply.js";

const MAX_SPEECH_INPUT = 4096;
const AUDIO_EXTENSIONS = ["flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "opus", "wav", "webm"];
const TEXT_FORMATS = ["json", "text", "srt", "verbose_json", "vtt"];

function speech(ctx: Ctx): Reply {
  const p = ctx.body;
  requestModel(p);
  const input = p.requireString("input");
  if (input.length > MAX_SPEECH_INPUT) {
    throw badRequest(
      `Invalid 'input': string too long. Expected a maximum length of ${MAX_SPEECH_INPUT}.`,
      "input",
    );
  }
  const voice = p.raw("voice");
  if (voice === undefined || voice === "") throw missingParam("voice");
  if (typeof voice !== "string" && !(typeof voice === "object" && voice && "id" in voice)) {
    throw badRequest("Invalid 'voice': expected a voice name or {id}.", "voice", "invalid_type");
  }
  const format = p.string("response_format", Object.keys(SPEECH_FORMATS)) ?? "mp3";
  p.number("speed", { min: 0.25, max: 4 });
  const out = SPEECH_FORMATS[format]!;
  if (ctx.quirks.has("speech-octet-stream")) return bytes("application/octet-stream", out.bytes());
  // LiteLLM labelled every format audio/mpeg (issue #4332).
  if (ctx.quirks.has("speech-wrong-audio-type")) return bytes("audio/mpeg", out.bytes());
  return bytes(out.contentType, out.bytes());
}

const clock = (seconds: number, sep: "," | ".") => {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${sep}${pad(ms % 1000, 3)}`;
};

/** Transcriptions and translations share everything but the task name (the canned text is English). */
async function speechToText(ctx: Ctx, task: "transcribe" | "translate"): Promise<Reply> {
  const p = ctx.body;
  const file = p.requireFile("file");
  requestModel(p);
  const format = p.string("response_format", TEXT_FORMATS) ?? "json";
  p.number("temperature", { min: 0, max: 1 });
  const audio = new Uint8Array(await file.arrayBuffer());
  const ext = file.name.split(".").pop()?.toLowerCase() ?? "";
  if (audio.length === 0 || (!AUDIO_EXTENSIONS.includes(ext) && !sniffAudio(audio))) {
    throw badRequest(
      `Invalid file format. Supported formats: ${JSON.stringify(AUDIO_EXTENSIONS)}`,
      "file",
      "invalid_value",
    );
  }
  const duration = Math.round((wavDuration(audio) ?? 1) * 100) / 100;
  const text = TRANSCRIPT;
  const usage = { type: "duration", seconds: Math.max(1, Math.ceil(duration)) };
  switch (format) {
    case "text":
      return bytes("text/plain; charset=utf-8", `${text}\n`);
    case "srt":
      return bytes(
        "text/plain; charset=utf-8",
        `1\n${clock(0, ",")} --> ${clock(duration, ",")}\n${text}\n\n`,
      );
    case "vtt":
      return bytes(
        "text/plain; charset=utf-8",
        `WEBVTT\n\n${clock(0, ".")} --> ${clock(duration, ".")}\n${text}\n\n`,
      );
    case "verbose_json":
      return json({
        task,
        language: "english",
        duration,
        text,
        ...granularities(ctx, text, duration),
        usage,
      });
    default:
      return json(task === "transcribe" ? { text, usage } : { text });
  }
}

/** Segments by default; words too (or only) when `timestamp_granularities[]` asks for them. */
function granularities(ctx: Ctx, text: string, duration: number) {
  const raw = ctx.body.raw("timestamp_granularities[]") ??
    ctx.body.raw("timestamp_granularities") ?? ["segment"];
  const wanted = [raw].flat().map(String);
  const words = text.split(/\s+/).filter(Boolean);
  const step = duration / Math.max(1, words.length);
  const segment = {
    id: 0,
    seek: 0,
    start: 0,
    end: duration,
    text: ` ${text}`,
    tokens: tokenize(text).map((_, i) => 50364 + i),
    temperature: 0,
    avg_logprob: -0.2,
    compression_ratio: 1,
    no_speech_prob: 0.01,
  };
  return {
    ...(wanted.includes("segment") ? { segments: [segment] } : {}),
    ...(wanted.includes("word")
      ? { words: words.map((word, i) => ({ word, start: round2(i * step), end: round2((i + 1) * step) })) }
      : {}),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export const audioRoutes: Route[] = [
  { method: "POST", path: "/v1/audio/speech", body: "json", handle: speech },
  {
    method: "POST",
    path: "/v1/audio/transcriptions",
    body: "multipart",
    handle: (ctx) => speechToText(ctx, "transcribe"),
  },
  {
    method: "POST",
    path: "/v1/audio/translations",
    body: "multipart",
    handle: (ctx) => speechToText(ctx, "translate"),
  },
];
