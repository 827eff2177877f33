/**
 * A small OpenAI-compatible fake for the Phase C tests: compliant by default, with named defects to switch on
 * one at a time, and a "disobedient model" mode (valid shapes, but the model ignores what it is asked).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { silentWav } from "../../src/fixtures/media.js";
import { json, type ScriptedServer, startScripted } from "./scripted-server.js";

export const CHAT_MODEL = "tiny-chat";
export const EMBED_MODEL = "tiny-embed";

export type Defect =
  // chat
  | "tool-call-no-id"
  /** Forced-call arguments cut mid-JSON at max_tokens while finish_reason says "tool_calls" (llama-cpp-python). */
  | "tool-args-cut"
  | "tools-stream-no-index"
  | "tool-result-500"
  | "json-schema-400"
  | "ignore-max-tokens"
  | "reject-max-completion-tokens"
  | "ignore-n"
  | "ignore-logprobs"
  | "reject-extra-fields"
  | "invalid-json-500"
  | "error-not-envelope"
  | "missing-field-200"
  | "unknown-model-fallback"
  | "unknown-model-400"
  | "wrong-method-500"
  // enforcement of guaranteed parameters (stop, JSON modes, forced tool_choice)
  | "ignore-stop"
  | "ignore-json-object"
  | "ignore-json-schema"
  | "json-schema-mismatch"
  | "json-cut-valid"
  | "json-cut-invalid"
  | "ignore-tool-choice-named"
  | "ignore-tool-choice"
  | "text-before-call"
  | "reasoning-only"
  // answers with nothing to judge
  | "choices-empty"
  | "html-body"
  | "usage-total-mismatch"
  // chat stream
  | "stream-no-role"
  | "stream-late-role"
  | "stream-two-ids"
  | "stream-no-finish"
  | "stream-usage-no-choices"
  | "stream-usage-with-choices"
  | "stream-no-done"
  | "stream-chunked"
  | "stream-empty-deltas"
  | "usage-after-done"
  // completions / responses streams
  | "completions-no-finish"
  | "responses-no-created"
  | "responses-delta-mismatch"
  | "responses-sequence"
  | "responses-delta-before-item"
  // auth
  | "auth-open"
  | "auth-presence-only"
  | "auth-403"
  /** GET /v1/models fails with 500 for everyone (Portkey 1.15 with a custom host), key or no key. */
  | "models-500"
  // embeddings
  | "base64-ignored"
  | "base64-big-endian"
  | "dimensions-ignored"
  | "dimensions-400"
  | "batch-reversed"
  | "batch-first-only";

export interface FakeOptions {
  defects?: Defect[];
  /**
   * A protocol-correct server whose model uses every freedom it has: tool arguments that are not JSON, JSON
   * without the asked key, a different answer each time (so [stop] and [seed] cannot compare).
   */
  disobedient?: boolean;
  apiKey?: string;
}

const created = 1_700_000_000;
const TEXT = "Hello there.";
const PROSE = "Sure! Here is a friendly greeting for you, written as plain prose.";
const envelope = (message: string, code: string | null = null, param: string | null = null) => ({
  error: { message, type: "invalid_request_error", param, code },
});

function vector(input: string, dims = 16): number[] {
  let seed = [...input].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) >>> 0;
  return Array.from({ length: dims }, () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return Math.fround((seed / 2 ** 32) * 2 - 1);
  });
}

function base64(v: number[], bigEndian = false): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => {
    if (bigEndian) buf.writeFloatBE(x, i * 4);
    else buf.writeFloatLE(x, i * 4);
  });
  return buf.toString("base64");
}

function sseWrite(
  res: ServerResponse,
  frames: unknown[],
  done = true,
  event?: (f: unknown) => string | undefined,
) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const f of frames) {
    const name = event?.(f);
    res.write(`${name ? `event: ${name}\n` : ""}data: ${typeof f === "string" ? f : JSON.stringify(f)}\n\n`);
  }
  if (done) res.write("data: [DONE]\n\n");
  res.end();
}

export async function startFake(options: FakeOptions = {}): Promise<ScriptedServer> {
  const has = (d: Defect) => options.defects?.includes(d) ?? false;
  const disobedient = options.disobedient ?? false;
  let randomCounter = 0;

  const completion = (
    message: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    finish = "stop",
  ) => ({
    id: "chatcmpl-1",
    object: "chat.completion",
    created,
    model: CHAT_MODEL,
    system_fingerprint: "fp_fake",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: null, refusal: null, ...message },
        finish_reason: finish,
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: has("usage-total-mismatch") ? 9 : 8 },
    ...extra,
  });

  const toolCall = () => ({
    ...(has("tool-call-no-id") ? {} : { id: "call_1" }),
    type: "function",
    function: { name: "get_weather", arguments: disobedient ? '"Paris"' : '{"city":"Paris"}' },
  });

  function chatStream(res: ServerResponse, req: Record<string, unknown>) {
    const id = "chatcmpl-s1";
    const chunk = (delta: Record<string, unknown>, finish: string | null = null, n = 0) => ({
      id: has("stream-two-ids") && n > 0 ? `chatcmpl-s${n + 1}` : id,
      object: "chat.completion.chunk",
      created,
      model: CHAT_MODEL,
      choices: [{ index: 0, delta, finish_reason: has("stream-no-finish") ? null : finish, logprobs: null }],
    });
    const role = has("stream-no-role") || has("stream-late-role") ? {} : { role: "assistant" };
    const frames: unknown[] = [];
    const forcedIgnored =
      has("ignore-tool-choice") || (has("ignore-tool-choice-named") && req.tool_choice !== "required");
    if (has("reasoning-only") || has("stream-empty-deltas")) {
      frames.push(chunk({ ...role, content: has("reasoning-only") ? null : "" }));
      if (has("reasoning-only"))
        frames.push(chunk({ content: null, reasoning_content: "Let me think" }, null, 1));
      else frames.push(chunk({ content: "" }, null, 1));
      frames.push(chunk({}, "length", 2));
    } else if (req.tools && !forcedIgnored) {
      const first = has("tools-stream-no-index")
        ? { id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }
        : { index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } };
      frames.push(chunk({ ...role, content: null, tool_calls: [first] }));
      const [a, b] = disobedient ? ['"Par', 'is"'] : ['{"city":', '"Paris"}'];
      frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: a } }] }, null, 1));
      frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: b } }] }, null, 2));
      frames.push(chunk({}, "tool_calls", 3));
    } else {
      frames.push(chunk({ ...role, content: "" }));
      frames.push(
        chunk({ ...(has("stream-late-role") ? { role: "assistant" } : {}), content: "Hello" }, null, 1),
      );
      frames.push(chunk({ content: " there." }, null, 2));
      frames.push(chunk({}, "stop", 3));
    }
    if ((req.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
      const usage = {
        prompt_tokens: 5,
        completion_tokens: 3,
        total_tokens: has("usage-total-mismatch") ? 9 : 8,
      };
      if (has("stream-usage-no-choices"))
        frames.push({ id, object: "chat.completion.chunk", created, model: CHAT_MODEL, usage });
      else if (has("stream-usage-with-choices")) frames.push({ ...chunk({}, null), usage });
      else
        frames.push({ id, object: "chat.completion.chunk", created, model: CHAT_MODEL, choices: [], usage });
    }
    if (has("usage-after-done")) {
      // [DONE] before the usage chunk: openai-node never reads it.
      const usage = frames.pop();
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const f of [...frames, "[DONE]", usage])
        res.write(`data: ${typeof f === "string" ? f : JSON.stringify(f)}\n\n`);
      return res.end();
    }
    if (!has("stream-chunked")) return sseWrite(res, frames, !has("stream-no-done"));
    // One frame every 20 ms, so timing metrics have something to measure.
    res.writeHead(200, { "content-type": "text/event-stream" });
    let k = 0;
    const timer = setInterval(() => {
      const f = frames[k++];
      if (f === undefined) {
        clearInterval(timer);
        res.end("data: [DONE]\n\n");
        return;
      }
      res.write(`data: ${JSON.stringify(f)}\n\n`);
    }, 20);
  }

  function chat(q: IncomingMessage, res: ServerResponse, body: Buffer) {
    if (q.method === "GET") {
      if (has("wrong-method-500")) return json(res, 500, envelope("boom"));
      return json(res, 405, envelope("Method not allowed", "method_not_allowed"));
    }
    let req: Record<string, unknown>;
    try {
      req = body.length ? JSON.parse(body.toString()) : {};
    } catch {
      if (has("invalid-json-500")) return json(res, 500, { detail: "Internal Server Error" });
      if (has("error-not-envelope")) return json(res, 400, { detail: "JSON decode error" });
      return json(res, 400, envelope("We could not parse the JSON body of your request."));
    }
    if (typeof req.model !== "string")
      return json(res, 400, envelope("you must provide a model parameter", null, "model"));
    if (req.model !== CHAT_MODEL) {
      if (has("unknown-model-fallback")) return json(res, 200, completion({ content: TEXT }));
      if (has("unknown-model-400")) return json(res, 400, envelope(`model ${req.model} unknown`));
      return json(res, 404, envelope(`The model '${req.model}' does not exist`, "model_not_found", "model"));
    }
    if (!Array.isArray(req.messages)) {
      if (has("missing-field-200")) return json(res, 200, completion({ content: TEXT }));
      return json(
        res,
        400,
        envelope("Missing required parameter: 'messages'.", "missing_required_parameter", "messages"),
      );
    }
    if ("aioc_vendor_extension" in req && has("reject-extra-fields")) {
      return json(res, 400, envelope("Unrecognized request argument supplied: aioc_vendor_extension"));
    }
    if ("max_completion_tokens" in req && has("reject-max-completion-tokens")) {
      return json(
        res,
        400,
        envelope(
          "Unsupported parameter: 'max_completion_tokens'",
          "unsupported_parameter",
          "max_completion_tokens",
        ),
      );
    }
    if (req.stream) return chatStream(res, req);
    if (has("choices-empty")) return json(res, 200, { ...completion({ content: TEXT }), choices: [] });
    if (has("html-body")) {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end("<html><body>Gateway says hello</body></html>");
    }
    if (has("reasoning-only")) {
      return json(
        res,
        200,
        completion({ content: null, reasoning_content: "Let me think about this" }, {}, "length"),
      );
    }
    const messages = req.messages as { role?: string }[];
    if (messages.some((m) => m.role === "tool")) {
      if (has("tool-result-500")) return json(res, 500, envelope("tool messages are not supported"));
      return json(res, 200, completion({ content: "It is 21 °C and clear in Paris." }));
    }
    if (req.tools) {
      const named = req.tool_choice !== "required";
      if (has("ignore-tool-choice") || (has("ignore-tool-choice-named") && named))
        return json(res, 200, completion({ content: "I would rather not use tools." }));
      const content = has("text-before-call") ? "Let me look that up." : null;
      if (has("tool-args-cut")) {
        const cut = { ...toolCall(), function: { name: "get_weather", arguments: '{"city":"Par' } };
        const usage = { prompt_tokens: 5, completion_tokens: 128, total_tokens: 133 };
        return json(res, 200, completion({ content, tool_calls: [cut] }, { usage }, "tool_calls"));
      }
      return json(res, 200, completion({ content, tool_calls: [toolCall()] }, {}, "stop"));
    }
    const format = (req.response_format as { type?: string } | undefined)?.type;
    if (format === "json_schema" && has("json-schema-400")) {
      return json(
        res,
        400,
        envelope("response_format json_schema is not supported", null, "response_format"),
      );
    }
    if (format === "json_object" || format === "json_schema") {
      if (has(format === "json_object" ? "ignore-json-object" : "ignore-json-schema"))
        return json(res, 200, completion({ content: PROSE }));
      if (has("json-cut-valid"))
        return json(res, 200, completion({ content: '{"greeting": "hel' }, {}, "length"));
      if (has("json-cut-invalid")) return json(res, 200, completion({ content: "Sure! {" }, {}, "length"));
      if (format === "json_schema" && has("json-schema-mismatch"))
        return json(res, 200, completion({ content: '{"message":"hi"}' }));
      // A strict json_schema leaves the model no freedom; json_object leaves it the keys.
      const free = disobedient && format === "json_object";
      return json(res, 200, completion({ content: free ? '{"message":"hi"}' : '{"greeting":"hi"}' }));
    }
    const bound = (req.max_tokens ?? req.max_completion_tokens) as number | undefined;
    if (bound === 1) {
      if (has("ignore-max-tokens")) {
        return json(
          res,
          200,
          completion(
            { content: "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20" },
            {
              usage: { prompt_tokens: 5, completion_tokens: 20, total_tokens: 25 },
            },
          ),
        );
      }
      return json(
        res,
        200,
        completion(
          { content: "1" },
          { usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } },
          "length",
        ),
      );
    }
    if (JSON.stringify(req.messages ?? "").includes("Count from 1 to 10")) {
      // Counts, and honours a stop sequence by cutting before its first occurrence (unless disobedient).
      const full = "1 2 3 4 5 6 7 8 9 10";
      const stop = Array.isArray(req.stop) && typeof req.stop[0] === "string" ? req.stop[0] : undefined;
      // The disobedient model words its second answer differently (no digits), so nothing is cut.
      if (stop && disobedient) return json(res, 200, completion({ content: "one, two and so on" }));
      const cut =
        stop && !has("ignore-stop") && full.includes(stop) ? full.slice(0, full.indexOf(stop)) : full;
      return json(res, 200, completion({ content: cut }));
    }
    if (req.n === 2 && !has("ignore-n")) {
      const body = completion({ content: TEXT });
      body.choices.push({ ...body.choices[0]!, index: 1 });
      return json(res, 200, body);
    }
    if (req.logprobs && !has("ignore-logprobs")) {
      const logprobs = {
        content: [
          {
            token: "Hi",
            logprob: -0.1,
            bytes: [72, 105],
            top_logprobs: [
              { token: "Hi", logprob: -0.1, bytes: [72, 105] },
              { token: "Hello", logprob: -2.5, bytes: null },
            ],
          },
        ],
        refusal: null,
      };
      const body = completion({ content: "Hi" });
      (body.choices[0] as { logprobs: unknown }).logprobs = logprobs;
      return json(res, 200, body);
    }
    if (req.seed !== undefined && disobedient)
      return json(res, 200, completion({ content: `The sea is wide (${++randomCounter}).` }));
    return json(res, 200, completion({ content: TEXT }));
  }

  function completions(_q: IncomingMessage, res: ServerResponse, body: Buffer) {
    const req = body.length ? JSON.parse(body.toString()) : {};
    if (typeof req.model !== "string") return json(res, 400, envelope("model required", null, "model"));
    const chunk = (text: string, finish: string | null) => ({
      id: "cmpl-1",
      object: "text_completion",
      created,
      model: CHAT_MODEL,
      choices: [
        { index: 0, text, finish_reason: has("completions-no-finish") ? null : finish, logprobs: null },
      ],
    });
    if (!req.stream) {
      return json(res, 200, {
        ...chunk(TEXT, "stop"),
        usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 },
      });
    }
    sseWrite(res, [chunk("Hello", null), chunk(" there.", null), chunk("", "stop")]);
  }

  function responses(_q: IncomingMessage, res: ServerResponse, body: Buffer) {
    const req = body.length ? JSON.parse(body.toString()) : {};
    if (typeof req.model !== "string") return json(res, 400, envelope("model required", null, "model"));
    const message = (text: string, status = "completed") => ({
      id: "msg_1",
      type: "message",
      status,
      role: "assistant",
      content: [{ type: "output_text", text, annotations: [] }],
    });
    const response = (status: string, output: unknown[]) => ({
      id: "resp_1",
      object: "response",
      created_at: created,
      status,
      model: CHAT_MODEL,
      output,
      usage: status === "completed" ? { input_tokens: 3, output_tokens: 3, total_tokens: 6 } : null,
    });
    if (!req.stream) return json(res, 200, response("completed", [message(TEXT)]));
    const final = has("responses-delta-mismatch") ? "Hello world." : TEXT;
    const events: Record<string, unknown>[] = [
      { type: "response.created", response: response("in_progress", []) },
      {
        type: "response.output_item.added",
        output_index: 0,
        item: { ...message("", "in_progress"), content: [] },
      },
      {
        type: "response.content_part.added",
        output_index: 0,
        content_index: 0,
        item_id: "msg_1",
        part: { type: "output_text", text: "", annotations: [] },
      },
      {
        type: "response.output_text.delta",
        output_index: 0,
        content_index: 0,
        item_id: "msg_1",
        delta: "Hello",
      },
      {
        type: "response.output_text.delta",
        output_index: 0,
        content_index: 0,
        item_id: "msg_1",
        delta: " there.",
      },
      { type: "response.output_text.done", output_index: 0, content_index: 0, item_id: "msg_1", text: TEXT },
      { type: "response.output_item.done", output_index: 0, item: message(TEXT) },
      { type: "response.completed", response: response("completed", [message(final)]) },
    ];
    if (has("responses-no-created")) events.shift();
    if (has("responses-delta-before-item")) events.splice(1, 2);
    events.forEach((e, i) => {
      e.sequence_number = has("responses-sequence") && i === 3 ? 1 : i;
    });
    sseWrite(res, events, false, (e) => (e as { type: string }).type);
  }

  function embeddings(_q: IncomingMessage, res: ServerResponse, body: Buffer) {
    const req = body.length ? JSON.parse(body.toString()) : {};
    if (typeof req.model !== "string") return json(res, 400, envelope("model required", null, "model"));
    if (req.dimensions !== undefined && has("dimensions-400")) {
      return json(
        res,
        400,
        envelope("This model does not support specifying dimensions.", null, "dimensions"),
      );
    }
    let inputs: string[] = Array.isArray(req.input) ? req.input : [req.input];
    if (has("batch-first-only")) inputs = inputs.slice(0, 1);
    const dims = req.dimensions !== undefined && !has("dimensions-ignored") ? req.dimensions : 16;
    let data = inputs.map((input, index) => {
      const v = vector(String(input), dims);
      const b64 = req.encoding_format === "base64" && !has("base64-ignored");
      return { object: "embedding", index, embedding: b64 ? base64(v, has("base64-big-endian")) : v };
    });
    if (has("batch-reversed")) data = data.reverse();
    json(res, 200, {
      object: "list",
      data,
      model: EMBED_MODEL,
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  }

  const authorised = (q: IncomingMessage) => {
    if (!options.apiKey || has("auth-open")) return true;
    const header = q.headers.authorization ?? "";
    if (has("auth-presence-only")) return /^Bearer \S+/.test(header);
    return header === `Bearer ${options.apiKey}`;
  };

  const routes: Record<string, (q: IncomingMessage, res: ServerResponse, body: Buffer) => void> = {
    "GET /v1/models": (_q, res) =>
      json(res, 200, {
        object: "list",
        data: [CHAT_MODEL, EMBED_MODEL, "tiny-tts", "tiny-whisper", "tiny-image"].map((id) => ({
          id,
          object: "model",
          created,
          owned_by: "me",
        })),
      }),
    "/v1/chat/completions": chat,
    "/v1/completions": completions,
    "/v1/responses": responses,
    "/v1/embeddings": embeddings,
    "/v1/audio/speech": (_q, res) => {
      res.writeHead(200, { "content-type": "audio/wav" });
      res.end(Buffer.from(silentWav(0.1)));
    },
    "/v1/audio/transcriptions": (_q, res) => json(res, 200, { text: "" }),
    "/v1/images/generations": (_q, res) => json(res, 200, { created, data: [{ b64_json: "iVBORw0KGgo=" }] }),
  };
  const guarded = Object.fromEntries(
    Object.entries(routes).map(([key, handler]) => [
      key,
      (q: IncomingMessage, res: ServerResponse, body: Buffer) => {
        if (key === "GET /v1/models" && has("models-500"))
          return json(res, 500, { status: "failure", message: "Something went wrong" });
        if (authorised(q)) return handler(q, res, body);
        const status = has("auth-403") ? 403 : 401;
        json(res, status, envelope("Incorrect API key provided.", "invalid_api_key"));
      },
    ]),
  );
  return startScripted(guarded);
}
