/**
 * `client:openai-node/*`: the official openai SDK (v6) against the target, through the probe's transport.
 * Loaded lazily by checks/clients.ts only when such a row runs.
 */
import OpenAI, { toFile } from "openai";
import { PROMPT } from "../checks/chat.js";
import { excerpt, FORCE_TOOL, TOOL_NAME, TOOL_PROMPT, WEATHER_TOOL } from "../checks/chat-depth.js";
import { forcedCall } from "../checks/chat-tools.js";
import { attribute } from "../checks/enforcement.js";
import { imageDefect, judgeSpeech, sniffImage } from "../checks/media-content.js";
import { answerOf, RESPONSES_TOOL, toolRequest } from "../checks/responses-tools.js";
import { silentWav } from "../fixtures/media.js";
import { CLIENT_BASE_URL } from "../probe/fetch.js";
import {
  failedSentence,
  firstChoiceOf,
  judgeContent,
  judgeEmbedding,
  judgeForcedCall,
  judgeResponse,
  reasoningNote,
  sentEmbedding,
} from "./judge.js";
import {
  CLIENT_API_KEY,
  CLIENT_TIMEOUT_MS,
  type ClientCall,
  type ClientEnv,
  fail,
  pass,
  step,
  warn,
} from "./types.js";

function client(env: ClientEnv): OpenAI {
  return new OpenAI({
    baseURL: CLIENT_BASE_URL,
    apiKey: CLIENT_API_KEY,
    // Explicit nulls: otherwise the SDK would read $OPENAI_ORG_ID / $OPENAI_PROJECT_ID and send them to the target.
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: CLIENT_TIMEOUT_MS,
    logLevel: "off",
    fetch: env.fetch,
  });
}

const user = (content: string) => [{ role: "user" as const, content }];

const chat: ClientCall = async (env) => {
  const r = await client(env).chat.completions.create({
    model: env.model,
    messages: user(PROMPT),
    max_tokens: 16,
  });
  const first = firstChoiceOf(r);
  if ("result" in first) return first.result;
  return judgeContent(first.choice.message);
};

/** Raw chunks first, then the stream helper, which is stricter (it assembles and validates the message). */
const chatStream: ClientCall = async (env) => {
  const c = client(env);
  const body = {
    model: env.model,
    messages: user(PROMPT),
    max_tokens: 16,
    stream_options: { include_usage: true },
  };
  let chunks = 0;
  let text = "";
  let reasoning = "";
  await step("chat.completions.create({stream: true})", async () => {
    const stream = await c.chat.completions.create({ ...body, stream: true });
    for await (const chunk of stream) {
      chunks++;
      const delta = chunk.choices?.[0]?.delta as { content?: string | null; reasoning_content?: unknown };
      text += delta?.content ?? "";
      if (typeof delta?.reasoning_content === "string") reasoning += delta.reasoning_content;
    }
  });
  if (chunks === 0) return fail("the stream yielded no chunks");
  const final = await step("chat.completions.stream().finalChatCompletion()", () =>
    c.chat.completions.stream(body).finalChatCompletion(),
  );
  const content = final.choices?.[0]?.message?.content;
  // Every delta empty: the helper assembles content null, which its types allow. The model said nothing.
  if (!text && !content) return warn(`streamed no content${reasoningNote(reasoning)} (model behaviour)`);
  if (typeof content !== "string") return fail("the stream helper's final message has no content string");
  return pass(`${chunks} chunks ${excerpt(text)}; stream helper assembled ${excerpt(content)}`);
};

const tools: ClientCall = async (env) => {
  const r = await client(env).chat.completions.create({
    model: env.model,
    messages: user(TOOL_PROMPT),
    tools: [WEATHER_TOOL],
    tool_choice: FORCE_TOOL,
    max_tokens: 128,
  });
  const first = firstChoiceOf(r);
  if ("result" in first) return first.result;
  const message = first.choice.message;
  const raw = Array.isArray(message?.tool_calls) ? (message.tool_calls as unknown[]) : [];
  const call = raw[0] as { type?: unknown; function?: { name?: unknown; arguments?: unknown } } | undefined;
  if (call && (call.type !== "function" || !call.function))
    return fail(`tool_calls[0] is not a function call (type ${excerpt(call.type)})`);
  return judgeForcedCall(
    {
      calls: raw.map((c) => ({
        name: (c as typeof call)?.function?.name,
        arguments: (c as typeof call)?.function?.arguments,
      })),
      content: message?.content,
      reasoning: typeof message?.reasoning_content === "string" ? message.reasoning_content : "",
      finish: (first.choice as { finish_reason?: unknown }).finish_reason,
    },
    "/choices/0/message/tool_calls",
  );
};

const responses: ClientCall = async (env) => {
  const r = await client(env).responses.create({ model: env.model, input: PROMPT, max_output_tokens: 16 });
  return judgeResponse(r);
};

/** The stream helper: it assembles the Response from the events, so it needs their structure, not just deltas. */
const responsesStream: ClientCall = async (env) => {
  const stream = client(env).responses.stream({ model: env.model, input: PROMPT, max_output_tokens: 16 });
  let deltas = "";
  let failed: unknown;
  stream.on("response.output_text.delta", (e) => {
    deltas += e.delta;
  });
  stream.on("response.failed", (e) => {
    failed = e.response?.error ?? {};
  });
  const r = await stream.finalResponse();
  if (failed !== undefined) return fail(failedSentence(failed));
  if (!Array.isArray(r.output)) return fail("the stream helper's final response has no output array");
  if (typeof r.output_text !== "string") return fail("the stream helper's final response has no output_text");
  if (!r.output_text && !deltas) return warn("streamed empty text (model behaviour)");
  if (r.output_text !== deltas) {
    return fail(`output_text ${excerpt(r.output_text)} differs from the streamed deltas ${excerpt(deltas)}`);
  }
  return pass(`stream helper assembled output_text ${excerpt(r.output_text)}`);
};

/** responses group: a function tool round trip, the call judged as [tools] judges it, then the tool's output. */
const responsesTools: ClientCall = async (env) => {
  const c = client(env);
  const r = await step("responses.create({tools, tool_choice})", () =>
    c.responses.create(
      toolRequest(env.model) as Parameters<typeof c.responses.create>[0] & { stream?: false },
    ),
  );
  if (!Array.isArray(r.output)) return fail("output is not an array");
  const call = r.output.find((i) => i.type === "function_call");
  const { e, model } = forcedCall(
    { param: `tool_choice naming ${TOOL_NAME}`, choice: null },
    answerOf(r as unknown as Record<string, unknown>),
    "/output",
  );
  const decisive = attribute(e, model)[0];
  if (!call) return decisive ? fail(decisive.detail) : fail("no function_call item");
  if (typeof call.call_id !== "string" || !call.call_id) return fail("the function_call item has no call_id");
  const next = await step("responses.create({input: [function_call_output]})", () =>
    c.responses.create({
      model: env.model,
      input: [
        { role: "user", content: TOOL_PROMPT },
        { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: "function_call_output", call_id: call.call_id, output: '{"temperature_c":21,"sky":"clear"}' },
      ],
      tools: [RESPONSES_TOOL],
      max_output_tokens: 64,
    }),
  );
  if (!Array.isArray(next.output)) return fail("the follow-up's output is not an array");
  if (decisive) return decisive.problem.severity === "fail" ? fail(decisive.detail) : warn(decisive.detail);
  return pass(`called ${call.name}(${call.arguments.slice(0, 30)}), follow-up ${excerpt(next.output_text)}`);
};

/** The SDK's default call: it asks for base64 and decodes it, so a server that ignores that breaks here. */
const embeddings: ClientCall = async (env) => {
  const r = await client(env).embeddings.create({ model: env.model, input: "hello" });
  return judgeEmbedding(r.data?.[0]?.embedding, env.baseVector, await sentEmbedding(env));
};

const speech: ClientCall = async (env) => {
  const res = await client(env).audio.speech.create({
    model: env.model,
    voice: "alloy",
    input: "Hi.",
    response_format: "wav",
  });
  // The SDK hands back whatever came, so an error body with a 200 would "succeed": judge the bytes, as the
  // /v1/audio/speech row does.
  const bytes = new Uint8Array(await res.arrayBuffer());
  const heard = judgeSpeech(bytes, res.headers.get("content-type") ?? "", "wav");
  if (heard.broken) return fail(`returned ${heard.broken.detail}`);
  if (heard.formatIgnored) return warn(heard.formatIgnored.detail);
  return pass(`${bytes.length} bytes of ${heard.format} audio`);
};

const transcriptions: ClientCall = async (env) => {
  const file = await toFile(silentWav(), "probe.wav", { type: "audio/wav" });
  const r = await client(env).audio.transcriptions.create({ file, model: env.model });
  // Silence may well transcribe to "", so any string is usable.
  return typeof r.text === "string"
    ? pass(`text ${excerpt(r.text)}`)
    : fail(`text is ${typeof r.text}, not a string`);
};

const images: ClientCall = async (env) => {
  const r = await client(env).images.generate({
    model: env.model,
    prompt: "a red dot",
    n: 1,
    size: "256x256",
    response_format: "b64_json",
  });
  const img = r.data?.[0];
  if (!img) return fail("returned no images");
  // The same judgement as the /v1/images/generations row: a real image, in the form asked for.
  const defect = imageDefect(img, 0);
  if (defect) return fail(defect.detail);
  const bytes = Buffer.from(img.b64_json!, "base64");
  return pass(`data[0].b64_json: ${bytes.length}-byte ${sniffImage(bytes)}`);
};

export const OPENAI_NODE_CALLS: Record<string, ClientCall> = {
  chat,
  "chat.stream": chatStream,
  tools,
  responses,
  "responses.stream": responsesStream,
  "responses.tools": responsesTools,
  embeddings,
  "audio.speech": speech,
  "audio.transcriptions": transcriptions,
  "images.generate": images,
};
