/**
 * The reference server driven by the official openai SDK: every catalog row answers, the SDK accepts it,
 * and every JSON body (as sent on the wire) matches its canonical shape with no problem at all, not even a warn.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Ajv } from "ajv";
import OpenAI, { toFile } from "openai";
import { isMp4, isPng, silentWav, sniffAudio, TINY_PNG } from "../src/fixtures/media.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { type ShapeName, SPEECH_CONTENT_TYPES } from "../src/shapes/schemas.js";
import { validateShape } from "../src/shapes/validate.js";

const REPLY = "Hello from the aioc reference server.";

function assertShape(name: ShapeName, data: unknown) {
  assert.deepEqual(validateShape(name, data), [], `${name}: ${JSON.stringify(data).slice(0, 300)}`);
}

const WEATHER = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        days: { type: "integer", minimum: 1 },
        detailed: { type: "boolean" },
        note: { type: "string" },
      },
      required: ["city", "unit", "days", "detailed"],
    },
  },
};
const WEATHER_ARGS = { city: "x", unit: "celsius", days: 1, detailed: true };

describe("aioc serve with the openai SDK", () => {
  let server: RunningServer;
  let client: OpenAI;
  /** Every JSON body the SDK received, exactly as sent (the SDK rewrites some, e.g. base64 embeddings). */
  const wire: unknown[] = [];
  const lastWire = () => wire.at(-1);

  before(async () => {
    server = await startServer({ port: 0, host: "127.0.0.1" });
    const capture: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (res.headers.get("content-type")?.startsWith("application/json"))
        wire.push(await res.clone().json());
      return res;
    };
    client = new OpenAI({ baseURL: server.url, apiKey: "x", maxRetries: 0, fetch: capture });
  });
  after(() => server.close());

  test("models: list and retrieve", async () => {
    const page = await client.models.list();
    assertShape("ModelList", lastWire());
    const ids = page.data.map((m) => m.id);
    for (const id of [
      "aioc-chat",
      "aioc-embedding",
      "aioc-tts",
      "aioc-whisper",
      "aioc-image",
      "aioc-video",
      "aioc-moderation",
    ]) {
      assert.ok(ids.includes(id), id);
    }
    const model = await client.models.retrieve("aioc-chat");
    assertShape("Model", lastWire());
    assert.deepEqual(
      { id: model.id, object: model.object, owned_by: model.owned_by },
      {
        id: "aioc-chat",
        object: "model",
        owned_by: "aioc",
      },
    );
  });

  test("chat: plain completion with every spec field", async () => {
    const res = await client.chat.completions.create({
      model: "aioc-chat",
      messages: [{ role: "user", content: "Say hello" }],
      seed: 7,
      some_unknown_field: true,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    assertShape("ChatCompletion", lastWire());
    const [choice] = res.choices;
    assert.equal(choice?.message.content, REPLY);
    assert.equal(choice?.message.refusal, null);
    assert.equal(choice?.logprobs, null);
    assert.equal(choice?.finish_reason, "stop");
    assert.equal(res.object, "chat.completion");
    assert.ok(res.system_fingerprint);
    assert.equal(
      res.usage?.total_tokens,
      (res.usage?.prompt_tokens ?? 0) + (res.usage?.completion_tokens ?? 0),
    );
  });

  test("chat: max_tokens, stop, n and logprobs", async () => {
    const base = { model: "aioc-chat", messages: [{ role: "user" as const, content: "hi" }] };
    const cut = await client.chat.completions.create({ ...base, max_tokens: 3 });
    assertShape("ChatCompletion", lastWire());
    assert.equal(cut.choices[0]?.message.content, "Hello from the");
    assert.equal(cut.choices[0]?.finish_reason, "length");
    assert.ok((cut.usage?.completion_tokens ?? 99) <= 3);

    const newer = await client.chat.completions.create({ ...base, max_completion_tokens: 2 });
    assert.equal(newer.choices[0]?.message.content, "Hello from");
    assert.equal(newer.usage?.completion_tokens, 2);

    const stopped = await client.chat.completions.create({ ...base, stop: [" aioc", "zzz"] });
    assert.equal(stopped.choices[0]?.message.content, "Hello from the");
    assert.equal(stopped.choices[0]?.finish_reason, "stop");

    const many = await client.chat.completions.create({ ...base, n: 3 });
    assertShape("ChatCompletion", lastWire());
    assert.deepEqual(
      many.choices.map((c) => c.index),
      [0, 1, 2],
    );

    const lp = await client.chat.completions.create({ ...base, logprobs: true, top_logprobs: 2 });
    assertShape("ChatCompletion", lastWire());
    const content = lp.choices[0]?.logprobs?.content ?? [];
    assert.equal(content.map((t) => t.token).join(""), REPLY);
    for (const t of content) {
      assert.ok(t.logprob <= 0);
      assert.equal(t.top_logprobs.length, 2);
      assert.deepEqual(t.bytes, [...Buffer.from(t.token)]);
    }
  });

  test("chat stream: role first, one id, one finish_reason, usage chunk, then [DONE]", async () => {
    const stream = await client.chat.completions.create({
      model: "aioc-chat",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const c of chunks) assertShape("ChatCompletionChunk", c);
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1);
    assert.equal(chunks[0]?.choices[0]?.delta.role, "assistant");
    assert.equal(chunks.filter((c) => c.choices.some((ch) => ch.finish_reason)).length, 1);
    assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? "").join(""), REPLY);
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    assert.ok(last?.usage && last.usage.completion_tokens > 0);
  });

  test("chat tools: a forced function call with schema-valid arguments, plain and streamed", async () => {
    const request = {
      model: "aioc-chat",
      messages: [{ role: "user" as const, content: "Weather in Paris?" }],
      tools: [WEATHER],
      tool_choice: { type: "function" as const, function: { name: "get_weather" } },
    };
    const res = await client.chat.completions.create(request);
    assertShape("ChatCompletion", lastWire());
    const call = res.choices[0]?.message.tool_calls?.[0];
    assert.equal(res.choices[0]?.finish_reason, "tool_calls");
    assert.ok(call && call.type === "function");
    assert.match(call.id, /^call_/);
    assert.equal(call.function.name, "get_weather");
    assert.deepEqual(JSON.parse(call.function.arguments), WEATHER_ARGS);

    const stream = await client.chat.completions.create({ ...request, stream: true });
    let args = "";
    let name = "";
    let finish = "";
    for await (const chunk of stream) {
      assertShape("ChatCompletionChunk", chunk);
      for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) {
        name += tc.function?.name ?? "";
        args += tc.function?.arguments ?? "";
      }
      finish ||= chunk.choices[0]?.finish_reason ?? "";
    }
    assert.equal(name, "get_weather");
    assert.deepEqual(JSON.parse(args), WEATHER_ARGS);
    assert.equal(finish, "tool_calls");

    const required = await client.chat.completions.create({ ...request, tool_choice: "required" });
    assert.equal(required.choices[0]?.message.tool_calls?.[0]?.type, "function");

    const followUp = await client.chat.completions.create({
      ...request,
      tool_choice: "auto",
      messages: [
        ...request.messages,
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: '{"temp": 21}' },
      ],
    });
    assertShape("ChatCompletion", lastWire());
    assert.equal(followUp.choices[0]?.message.content, REPLY);
    assert.equal(followUp.choices[0]?.finish_reason, "stop");
  });

  test("chat: json_object and json_schema replies", async () => {
    const base = { model: "aioc-chat", messages: [{ role: "user" as const, content: "Reply in JSON" }] };
    const obj = await client.chat.completions.create({ ...base, response_format: { type: "json_object" } });
    assertShape("ChatCompletion", lastWire());
    const parsed = JSON.parse(obj.choices[0]?.message.content ?? "");
    assert.ok(parsed && typeof parsed === "object" && !Array.isArray(parsed));

    const schema = {
      type: "object",
      properties: {
        name: { type: "string", minLength: 3 },
        age: { type: "integer", minimum: 18 },
        tags: { type: "array", items: { type: "string" }, minItems: 2 },
        kind: { enum: ["person", "robot"] },
        address: { $ref: "#/$defs/address" },
        maybe: { anyOf: [{ type: "null" }, { type: "number" }] },
      },
      required: ["name", "age", "tags", "kind", "address", "maybe"],
      additionalProperties: false,
      $defs: {
        address: {
          type: "object",
          properties: { street: { type: "string" }, zip: { type: "string", format: "date" } },
          required: ["street", "zip"],
          additionalProperties: false,
        },
      },
    };
    const res = await client.chat.completions.create({
      ...base,
      response_format: { type: "json_schema", json_schema: { name: "person", schema, strict: true } },
    });
    assertShape("ChatCompletion", lastWire());
    const value = JSON.parse(res.choices[0]?.message.content ?? "");
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(schema);
    assert.ok(validate(value), JSON.stringify(validate.errors));
  });

  test("completions: plain and streamed", async () => {
    const res = await client.completions.create({ model: "aioc-chat", prompt: "Say hello", max_tokens: 16 });
    assertShape("TextCompletion", lastWire());
    assert.equal(res.object, "text_completion");
    assert.equal(res.choices[0]?.text.trim(), REPLY);

    const stream = await client.completions.create({
      model: "aioc-chat",
      prompt: "Say hello",
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finishes = 0;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      assertShape("TextCompletion", chunk);
      assert.equal(chunk.object, "text_completion");
      text += chunk.choices[0]?.text ?? "";
      if (chunk.choices[0]?.finish_reason) finishes++;
      usage = chunk.usage ?? usage;
    }
    assert.equal(text.trim(), REPLY);
    assert.equal(finishes, 1);
    assert.ok(usage && usage.completion_tokens > 0);
  });

  test("responses: plain Response object", async () => {
    const res = await client.responses.create({
      model: "aioc-chat",
      input: "Say hello",
      instructions: "Be brief",
    });
    const body = lastWire() as { output: unknown[] };
    assertShape("Response", body);
    assertShape("ResponseOutputMessage", body.output[0]);
    assert.equal(res.status, "completed");
    assert.equal(res.output_text, REPLY);
    assert.equal(res.instructions, "Be brief");
    assert.ok(res.usage && res.usage.total_tokens === res.usage.input_tokens + res.usage.output_tokens);
  });

  test("responses stream: typed events in order with increasing sequence numbers", async () => {
    const stream = await client.responses.create({ model: "aioc-chat", input: "Say hello", stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((e) => e.type);
    assert.deepEqual(
      [...new Set(types)],
      [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
      ],
    );
    assert.ok(types.filter((t) => t === "response.output_text.delta").length > 1);
    events.forEach((e, i) => {
      assertShape("ResponseStreamEvent", e);
      assert.equal(e.sequence_number, i);
      if (e.type === "response.output_text.delta") assertShape("ResponseTextDeltaEvent", e);
    });
    const done = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    assertShape("ResponseCompletedEvent", done);
    assertShape("Response", done.response);
    const deltas = events.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta);
    assert.equal(deltas.join(""), REPLY);
  });

  test("responses: a forced function tool becomes a function_call item", async () => {
    const res = await client.responses.create({
      model: "aioc-chat",
      input: "Weather?",
      tools: [
        { type: "function", name: "get_weather", parameters: WEATHER.function.parameters, strict: false },
      ],
      tool_choice: { type: "function", name: "get_weather" },
    });
    assertShape("Response", lastWire());
    const item = res.output[0];
    assert.equal(item?.type, "function_call");
    if (item?.type === "function_call") assert.deepEqual(JSON.parse(item.arguments), WEATHER_ARGS);
  });

  test("embeddings: SDK default base64 decodes to the float vectors; dimensions and arrays", async () => {
    const viaBase64 = await client.embeddings.create({ model: "aioc-embedding", input: "hello" });
    assertShape("EmbeddingList", lastWire());
    const b64 = (lastWire() as { data: { embedding: unknown }[] }).data[0]?.embedding;
    assert.equal(typeof b64, "string", "the SDK asked for base64 and got it");
    const viaFloat = await client.embeddings.create({
      model: "aioc-embedding",
      input: "hello",
      encoding_format: "float",
    });
    assertShape("EmbeddingList", lastWire());
    const a = viaBase64.data[0]?.embedding ?? [];
    assert.equal(a.length, 16);
    assert.deepEqual(a, viaFloat.data[0]?.embedding);
    assert.ok(Math.abs(Math.hypot(...a) - 1) < 1e-5, "unit length");

    const short = await client.embeddings.create({ model: "aioc-embedding", input: "hello", dimensions: 8 });
    assert.equal(short.data[0]?.embedding.length, 8);

    const many = await client.embeddings.create({
      model: "aioc-embedding",
      input: ["one", "two", "one"],
      encoding_format: "float",
    });
    assertShape("EmbeddingList", lastWire());
    assert.deepEqual(
      many.data.map((d) => d.index),
      [0, 1, 2],
    );
    assert.deepEqual(many.data[0]?.embedding, many.data[2]?.embedding);
    assert.notDeepEqual(many.data[0]?.embedding, many.data[1]?.embedding);
  });

  test("speech: every response_format has its content type and magic bytes", async () => {
    const magic: Record<string, string | undefined> = {
      mp3: "mp3",
      wav: "wav",
      opus: "ogg",
      aac: "aac",
      flac: "flac",
      pcm: undefined,
    };
    for (const format of Object.keys(SPEECH_CONTENT_TYPES)) {
      const res = await client.audio.speech.create({
        model: "aioc-tts",
        input: "Hello",
        voice: "alloy",
        response_format: format as "mp3",
      });
      const type = res.headers.get("content-type") ?? "";
      assert.ok(SPEECH_CONTENT_TYPES[format]?.includes(type), `${format}: ${type}`);
      const audio = new Uint8Array(await res.arrayBuffer());
      assert.ok(audio.length > 0, format);
      assert.equal(sniffAudio(audio), magic[format], format);
    }
    const byDefault = await client.audio.speech.create({ model: "aioc-tts", input: "Hello", voice: "alloy" });
    assert.equal(byDefault.headers.get("content-type"), "audio/mpeg");
  });

  test("transcriptions and translations in every response_format", async () => {
    const file = () => toFile(silentWav(), "a.wav", { type: "audio/wav" });
    const json = await client.audio.transcriptions.create({ file: await file(), model: "aioc-whisper" });
    assertShape("Transcription", lastWire());
    assert.equal(json.text, REPLY);

    const verbose = await client.audio.transcriptions.create({
      file: await file(),
      model: "aioc-whisper",
      response_format: "verbose_json",
      timestamp_granularities: ["word", "segment"],
    });
    assertShape("TranscriptionVerbose", lastWire());
    assert.equal(verbose.duration, 1);
    assert.ok(verbose.segments?.length && verbose.words?.length);

    const text = await client.audio.transcriptions.create({
      file: await file(),
      model: "aioc-whisper",
      response_format: "text",
    });
    assert.equal(String(text).trim(), REPLY);
    const srt = await client.audio.transcriptions.create({
      file: await file(),
      model: "aioc-whisper",
      response_format: "srt",
    });
    assert.match(String(srt), /^1\n00:00:00,000 --> 00:00:01,000\n/);
    const vtt = await client.audio.transcriptions.create({
      file: await file(),
      model: "aioc-whisper",
      response_format: "vtt",
    });
    assert.match(String(vtt), /^WEBVTT\n\n00:00:00\.000 --> 00:00:01\.000\n/);

    const translation = await client.audio.translations.create({ file: await file(), model: "aioc-whisper" });
    assertShape("Translation", lastWire());
    assert.equal(translation.text, REPLY);
  });

  test("images: generate (url and b64_json), edit, variation", async () => {
    const byUrl = await client.images.generate({ model: "aioc-image", prompt: "a cat", n: 2 });
    assertShape("ImagesResponse", lastWire());
    assert.equal(byUrl.data?.length, 2);
    const url = byUrl.data?.[0]?.url ?? "";
    assert.ok(url.startsWith(server.url.replace(/\/v1$/, "")), url);
    const fetched = await fetch(url);
    assert.equal(fetched.headers.get("content-type"), "image/png");
    assert.ok(isPng(new Uint8Array(await fetched.arrayBuffer())));

    const inline = await client.images.generate({
      model: "aioc-image",
      prompt: "a cat",
      response_format: "b64_json",
    });
    assertShape("ImagesResponse", lastWire());
    assert.ok(isPng(Buffer.from(inline.data?.[0]?.b64_json ?? "", "base64")));

    const image = () => toFile(TINY_PNG, "a.png", { type: "image/png" });
    const edit = await client.images.edit({ model: "aioc-image", image: await image(), prompt: "add a hat" });
    assertShape("ImagesResponse", lastWire());
    assert.ok(edit.data?.[0]?.url);
    const edits = await client.images.edit({
      model: "aioc-image",
      image: [await image(), await image()],
      prompt: "merge",
    });
    assert.ok(edits.data?.[0]?.url);

    const variation = await client.images.createVariation({
      model: "aioc-image",
      image: await image(),
      response_format: "b64_json",
    });
    assertShape("ImagesResponse", lastWire());
    assert.ok(isPng(Buffer.from(variation.data?.[0]?.b64_json ?? "", "base64")));
  });

  test("videos: create (queued), retrieve (completed), download mp4", async () => {
    const created = await client.videos.create({ model: "aioc-video", prompt: "a wave", seconds: "4" });
    assertShape("Video", lastWire());
    assert.match(created.id, /^video_/);
    assert.equal(created.status, "queued");
    assert.equal(created.seconds, "4");

    const polled = await client.videos.retrieve(created.id);
    assertShape("Video", lastWire());
    assert.equal(polled.status, "completed");
    assert.equal(polled.progress, 100);
    assert.ok(polled.completed_at && polled.expires_at && polled.expires_at > polled.completed_at);

    const content = await client.videos.downloadContent(created.id);
    assert.equal(content.headers.get("content-type"), "video/mp4");
    assert.ok(isMp4(new Uint8Array(await content.arrayBuffer())));
  });

  test("files, fine-tuning jobs and batches: empty lists", async () => {
    const files = await client.files.list();
    assertShape("FileList", lastWire());
    assert.deepEqual(files.data, []);
    const jobs = await client.fineTuning.jobs.list();
    assertShape("FineTuningJobList", lastWire());
    assert.deepEqual(jobs.data, []);
    const batches = await client.batches.list();
    assertShape("BatchList", lastWire());
    assert.deepEqual(batches.data, []);
  });

  test("moderations: a result per input with every category", async () => {
    const res = await client.moderations.create({
      model: "aioc-moderation",
      input: ["hello there", "I will kill you"],
    });
    assertShape("Moderation", lastWire());
    assert.equal(res.results.length, 2);
    assert.equal(res.results[0]?.flagged, false);
    assert.equal(res.results[1]?.flagged, true);
    assert.equal(res.results[1]?.categories.violence, true);
    assert.deepEqual(res.results[0]?.category_applied_input_types.violence, ["text"]);

    await client.moderations.create({ input: "no model given" });
    assertShape("Moderation", lastWire());
  });

  test("errors reach the SDK as typed API errors", async () => {
    await assert.rejects(
      client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "hi" }] }),
      (err: unknown) =>
        err instanceof OpenAI.NotFoundError && (err.error as { code?: string }).code === "model_not_found",
    );
    assertShape("Error", lastWire());
    await assert.rejects(
      client.chat.completions.create({ model: "aioc-chat", messages: [] }),
      (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === "messages",
    );
  });
});
