/** Judging what an SDK call returned, shared by the client modules. */
import { excerpt, TOOL_NAME } from "../checks/chat-depth.js";
import { type Answer, forcedCall, NAMED } from "../checks/chat-tools.js";
import { attribute } from "../checks/enforcement.js";
import { compareVectors, decodeFloat32, vectorDefect } from "../checks/vectors.js";
import { type ClientEnv, type ClientResult, fail, pass, warn } from "./types.js";

/** The last response's body as the server sent it (before the SDK decoded it), parsed; undefined if not JSON. */
export async function rawJson(env: ClientEnv): Promise<unknown> {
  try {
    return JSON.parse((await env.lastResponse?.()?.text()) ?? "");
  } catch {
    return undefined;
  }
}

/** What the server sent for an SDK's default embeddings call (openai-node asks for base64), from the raw answer. */
export async function sentEmbedding(env: ClientEnv): Promise<SentEmbedding | undefined> {
  const raw = (await rawJson(env)) as { data?: { embedding?: unknown }[] } | undefined;
  return raw?.data?.[0] ? { embedding: raw.data[0].embedding, askedBase64: true } : undefined;
}

/**
 * A call forced by naming the probe's tool, as an SDK returned it: the same attribution as the [tools] row, so a
 * forced call that does not come is the server's doing and odd arguments are the model's.
 */
export function judgeForcedCall(answer: Answer, pointer: string): ClientResult {
  const { e, model } = forcedCall(NAMED, answer, pointer);
  const decisive = attribute(e, model)[0];
  if (!decisive) return pass(`tool call to ${TOOL_NAME}`);
  return decisive.problem.severity === "fail" ? fail(decisive.detail) : warn(decisive.detail);
}

/** What the server itself sent for the embedding, read from the raw response (not the SDK's decoding of it). */
export interface SentEmbedding {
  embedding: unknown;
  /** The SDK asked for base64 (openai-node's default) and decodes what comes back as base64. */
  askedBase64: boolean;
}

/** What the server sent, decoded by aioc: the cause of a wrong SDK vector, stated as a fact, or undefined. */
function sentDefect(sent: SentEmbedding, base: number[] | undefined): string | undefined {
  const raw = sent.embedding;
  if (sent.askedBase64 && Array.isArray(raw)) {
    return `encoding_format base64 ignored: the server sent ${raw.length} floats, which the SDK decoded as base64 into garbage`;
  }
  if (typeof raw !== "string") return undefined;
  const decoded = decodeFloat32(raw);
  if ("error" in decoded) return `the server's embedding: ${decoded.error}`;
  const defect = vectorDefect(decoded.le);
  if (defect) return `the server's base64 embedding decodes to ${defect}`;
  if (base && decoded.le.length !== base.length)
    return `the server's base64 embedding decodes to ${decoded.le.length} floats; its float answer has ${base.length}`;
  return undefined;
}

/**
 * An embedding from an SDK, against the server's own float answer for the same input when there is one. `sent`
 * (what the server sent, when known) names the cause of a wrong vector from the bytes, never from a guess.
 */
export function judgeEmbedding(v: unknown, base: number[] | undefined, sent?: SentEmbedding): ClientResult {
  const cause = sent ? sentDefect(sent, base) : undefined;
  if (cause) return fail(cause);
  if (!Array.isArray(v)) return fail(`returned no embedding (${v === null ? "null" : typeof v})`);
  const defect = vectorDefect(v);
  if (defect) return fail(`returned an embedding with ${defect}`);
  if (base && v.length !== base.length)
    return fail(`returned ${v.length} dimensions where the server's float answer has ${base.length}`);
  const off = base ? compareVectors({ le: v }, base, "embedding", "the SDK's vector is")[0] : undefined;
  if (off) return { status: off.problem.severity === "fail" ? "FAIL" : "WARN", detail: off.detail };
  return pass(`${v.length} dimensions`);
}

/** Text content: a string is usable, an empty one is the model's choice. */
export function judgeText(text: unknown, what: string, done: string): ClientResult {
  if (typeof text !== "string")
    return fail(`${what} is ${text === null ? "null" : typeof text}, not a string`);
  if (!text) return warn(`${what} is empty (model behaviour)`);
  return pass(`${done} ${excerpt(text)}`);
}

export type SdkChoice = {
  message?: { content?: unknown; tool_calls?: unknown; reasoning_content?: unknown };
};

/**
 * The first choice the SDK returned, or the real reason there is none: the SDK hands a body that is not JSON
 * back as a string, and does not check `choices`.
 */
export function firstChoiceOf(r: unknown): { choice: SdkChoice } | { result: ClientResult } {
  if (typeof r === "string")
    return { result: fail(`returned the body as text (it is not JSON): ${excerpt(r)}`) };
  const choices = (r as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return { result: fail("returned no choices array") };
  if (!choices[0]) return { result: fail("returned choices: [] (no answer)") };
  return { choice: choices[0] as SdkChoice };
}

export const reasoningNote = (reasoning: unknown) =>
  typeof reasoning === "string" && reasoning
    ? `: the budget went to reasoning_content (${reasoning.length} characters)`
    : "";

/**
 * `content: null` without a refusal or tool call is typed and tolerated by the SDK: the model said nothing
 * (often because a reasoning model spent the budget thinking), as the AI SDK rows and the plain row judge it.
 */
export function judgeContent(message: SdkChoice["message"]): ClientResult {
  const content = message?.content;
  if (content === null && !(message as { refusal?: unknown })?.refusal)
    return warn(
      `choices[0].message.content is null${reasoningNote(message?.reasoning_content)} (model behaviour)`,
    );
  return judgeText(content, "choices[0].message.content", "content");
}

/** A Response as the SDK returned it: the object, its output list, and `output_text` (the SDK's join). */
export function judgeResponse(r: {
  object?: unknown;
  status?: unknown;
  error?: unknown;
  output?: unknown;
  output_text?: unknown;
}): ClientResult {
  if (r.object !== "response") return fail(`object is ${excerpt(r.object)}, not "response"`);
  if (!Array.isArray(r.output)) return fail("output is not an array");
  if (!r.output_text) return emptyText({ ...r, output: r.output });
  return pass(`output_text ${excerpt(r.output_text)}`);
}

/**
 * No output_text: the server's doing when it failed the response or typed its text parts other than
 * "output_text" (the SDK joins only those); otherwise the model said nothing.
 */
function emptyText(r: { status?: unknown; error?: unknown; output: unknown[] }) {
  if (r.status === "failed") return fail(failedSentence(r.error));
  const parts = r.output.flatMap((item) => {
    const content = (item as { type?: unknown; content?: unknown }).content;
    return (item as { type?: unknown }).type === "message" && Array.isArray(content) ? content : [];
  }) as { type?: unknown; text?: unknown }[];
  const other = parts.find((p) => p.type !== "output_text" && typeof p.text === "string" && p.text);
  if (other)
    return fail(
      `output_text is empty: the message's text is in a content part typed ${excerpt(other.type)}, not "output_text" (the SDK joins only output_text parts)`,
    );
  return warn("output_text is empty (model behaviour)");
}

export const failedSentence = (error: unknown) => {
  const e = (error ?? {}) as { code?: unknown; message?: unknown };
  const why = [e.code, e.message].filter((v) => typeof v === "string" && v).join(": ") || "no error given";
  return `the server failed the response (status "failed"): ${why.slice(0, 160)}`;
};
