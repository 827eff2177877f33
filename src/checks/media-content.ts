/**
 * Is the media a server returned real? Shared by the Phase B rows and the SDK rows, so both judge alike.
 * Images: `b64_json` must decode to PNG, JPEG or WebP (ImagesResponse: "The base64-encoded JSON of the generated
 * image"), and a `url` where `b64_json` was asked means response_format was ignored. Speech: a WAV or MP3 that
 * carries no audio samples (a header only) is not audio.
 */
import { type AudioFormat, sniffAudio } from "../fixtures/media.js";
import { parseJson } from "../http/json.js";
import { SPEECH_CONTENT_TYPES } from "../shapes/schemas.js";

export type ImageFormat = "png" | "jpeg" | "webp";

export function sniffImage(bytes: Uint8Array): ImageFormat | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(1, 4) === "PNG") return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  return undefined;
}

export interface MediaFinding {
  pointer: string;
  expected: string;
  got: string;
  /** The row's one-line reason when this finding decides it. */
  detail: string;
}

/** What is wrong with image `i` of an ImagesResponse (b64_json asked), or undefined when it is a real image. */
export function imageDefect(img: unknown, i: number): MediaFinding | undefined {
  const { url, b64_json } = (img ?? {}) as { url?: unknown; b64_json?: unknown };
  const at = `/data/${i}`;
  if (typeof b64_json !== "string") {
    if (typeof url === "string") {
      return {
        pointer: `${at}/b64_json`,
        expected: "b64_json (response_format b64_json)",
        got: "a url",
        detail: `response_format b64_json ignored: data[${i}] has a url and no b64_json`,
      };
    }
    return {
      pointer: at,
      expected: "b64_json",
      got: "neither url nor b64_json",
      detail: `data[${i}] has no image`,
    };
  }
  const clean = b64_json.replace(/^data:image\/[a-z]+;base64,/, "");
  const bytes = /^[A-Za-z0-9+/\r\n]*={0,2}$/.test(clean) ? Buffer.from(clean, "base64") : undefined;
  const format = bytes && sniffImage(bytes);
  if (format) return undefined;
  const got = bytes ? `${bytes.length} bytes that are not PNG, JPEG or WebP` : "not base64";
  return {
    pointer: `${at}/b64_json`,
    expected: "base64 of a PNG, JPEG or WebP image",
    got,
    detail: `data[${i}].b64_json ${bytes ? `decodes to ${got}` : "is not base64"}: not an image`,
  };
}

/** Audio samples in a WAV (its data chunk, or what arrived of it) or MP3 (MPEG frames); undefined for others. */
export function audioSamples(bytes: Uint8Array, format: AudioFormat): number | undefined {
  if (format === "wav") return wavSamples(bytes);
  if (format === "mp3") return mp3Frames(bytes);
  return undefined;
}

function wavSamples(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let blockAlign = 2;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    if (id === "fmt " && at + 22 <= bytes.length) blockAlign = Math.max(view.getUint16(at + 20, true), 1);
    if (id === "data") {
      // Streamed WAVs declare 0xFFFFFFFF (or 0) and send what they have: count what arrived.
      const arrived = bytes.length - (at + 8);
      const declared = size === 0xffffffff || size === 0 ? arrived : Math.min(size, arrived);
      return Math.floor(declared / blockAlign);
    }
    at += 8 + size + (size % 2);
  }
  return 0;
}

/** MPEG audio frame headers after any ID3v2 tag (a frame carries 1152 samples; counting frames is enough). */
function mp3Frames(bytes: Uint8Array): number {
  let at = 0;
  if (bytes.length >= 10 && String.fromCharCode(...bytes.subarray(0, 3)) === "ID3") {
    const size =
      ((bytes[6]! & 0x7f) << 21) |
      ((bytes[7]! & 0x7f) << 14) |
      ((bytes[8]! & 0x7f) << 7) |
      (bytes[9]! & 0x7f);
    at = 10 + size;
  }
  for (; at + 4 <= bytes.length; at++) {
    if (bytes[at] === 0xff && (bytes[at + 1]! & 0xe0) === 0xe0 && (bytes[at + 2]! & 0xf0) !== 0xf0) return 1;
  }
  return 0;
}

export interface SpeechJudgement {
  format?: AudioFormat;
  /** A defect that breaks the row (no audio). */
  broken?: MediaFinding;
  /** The format came back other than asked, and the Content-Type says so truthfully. */
  formatIgnored?: MediaFinding;
  /** The bytes are audio, but the Content-Type is not the asked format's and does not describe them either. */
  contentTypeWrong: boolean;
}

/** The response_format a sniffed container answers (Opus comes in Ogg). */
export const responseFormatOf = (format: AudioFormat): string => (format === "ogg" ? "opus" : format);

/** The Content-Types that truthfully describe audio of this format. */
export const contentTypesOf = (format: AudioFormat): readonly string[] =>
  SPEECH_CONTENT_TYPES[responseFormatOf(format)] ?? [];

function mediaType(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}

/** Speech bytes against the `response_format` asked for. */
export function judgeSpeech(bytes: Uint8Array, contentType: string, asked: string): SpeechJudgement {
  const type = mediaType(contentType);
  const wanted = SPEECH_CONTENT_TYPES[asked] ?? [];
  if (bytes.length === 0)
    return {
      broken: { pointer: "body", expected: "audio bytes", got: "empty body", detail: "empty body: no audio" },
      contentTypeWrong: false,
    };
  const format = sniffAudio(bytes);
  if (!format && parseJson(bytes).ok) {
    // A JSON body (an error served with 200, or audio wrapped in JSON) is no audio file, whatever it holds.
    const text = new TextDecoder().decode(bytes.subarray(0, 60)).replace(/\s+/g, " ");
    return {
      broken: {
        pointer: "body",
        expected: `${asked} audio bytes`,
        got: "a JSON body",
        detail: `a JSON body instead of ${asked} audio: ${JSON.stringify(bytes.length > 60 ? `${text}…` : text)}`,
      },
      contentTypeWrong: false,
    };
  }
  if (!format) {
    return {
      broken: {
        pointer: "body",
        expected: `${asked} audio`,
        got: "bytes that are not a known audio format",
        detail: `${bytes.length} bytes that are not audio`,
      },
      contentTypeWrong: false,
    };
  }
  if (audioSamples(bytes, format) === 0) {
    return {
      format,
      broken: {
        pointer: "body",
        expected: `${format} with audio samples`,
        got: `a ${format} header with no audio samples`,
        detail: `a ${bytes.length}-byte ${format} with no audio samples: not audio`,
      },
      contentTypeWrong: false,
    };
  }
  const truthful = contentTypesOf(format).includes(type);
  if (responseFormatOf(format) !== asked) {
    return {
      format,
      formatIgnored: {
        pointer: "body",
        expected: `${asked} audio (response_format)`,
        got: `${format} audio`,
        detail: `response_format ${asked} ignored: ${format} audio came back${truthful ? ` (Content-Type ${type} says so)` : ""}`,
      },
      contentTypeWrong: !truthful,
    };
  }
  return { format, contentTypeWrong: !wanted.includes(type) };
}
