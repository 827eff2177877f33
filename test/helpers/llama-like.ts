/**
 * A purpose-built loopback server that answers as the current llama-server does, byte for byte where it matters
 * to the rows under test. Every shape below is taken from llama.cpp's tools/server sources (the tree node-llama-cpp
 * 3.21.1 ships): format_error_response in server-common.cpp (`{"code": <int>, "message", "type"}`, no `param`),
 * the API-key middleware and 404 handler in server-http.cpp, ex_wrapper in server.cpp (JSON parse errors are 500),
 * to_json_oaicompat* in server-task.cpp (the model name is the loaded model's whatever the request says; the final
 * completions stream chunk carries `usage`; Responses events have no `sequence_number` or `output_index`, the
 * `response.created` snapshot is `{id, object, status}` and the final status is always "completed").
 * The "model" never stops: every reply runs to its token limit, as the field lab's tiny model does.
 */
import type { ServerResponse } from "node:http";
import { json, type ScriptedServer, startScripted } from "./scripted-server.js";

export const LLAMA_ALIAS = "tiny-llama";
const FINGERPRINT = "b1-80fb11a";
const WORD = " tok";

type Json = Record<string, unknown>;

/** llama-server's error body: nlohmann's sorted keys, an integer code, no param. */
export function llamaError(res: ServerResponse, status: number, type: string, message: string): void {
  json(res, status, { error: { code: status, message, type } });
}

const now = () => Math.floor(Date.now() / 1000);

function limitOf(body: Json, ...keys: string[]): number {
  for (const k of keys) if (typeof body[k] === "number") return body[k] as number;
  return 16;
}

function usage(prompt: number, completion: number) {
  return {
    completion_tokens: completion,
    prompt_tokens: prompt,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0 },
  };
}

function sseRaw(res: ServerResponse, lines: string[]): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const l of lines) res.write(l);
  res.end();
}

const data = (v: unknown) => `data: ${JSON.stringify(v)}\n\n`;
const event = (v: Json) => `event: ${String(v.type)}\ndata: ${JSON.stringify(v)}\n\n`;

function chat(res: ServerResponse, body: Json): void {
  if (!("messages" in body)) {
    llamaError(res, 400, "invalid_request_error", "'messages' is required");
    return;
  }
  const n = limitOf(body, "max_completion_tokens", "max_tokens");
  const id = "chatcmpl-llamaLikeChatId0001";
  const t = now();
  const base = { created: t, id, model: LLAMA_ALIAS, system_fingerprint: FINGERPRINT };
  if (body.stream !== true) {
    json(res, 200, {
      choices: [
        {
          finish_reason: "length",
          index: 0,
          message: { role: "assistant", content: WORD.repeat(n) },
        },
      ],
      ...base,
      object: "chat.completion",
      usage: usage(5, n),
    });
    return;
  }
  const chunk = (delta: Json, finish: string | null) => ({
    choices: [{ finish_reason: finish, index: 0, delta }],
    ...base,
    object: "chat.completion.chunk",
  });
  const lines = [data(chunk({ role: "assistant", content: null }, null))];
  for (let i = 0; i < n; i++) lines.push(data(chunk({ content: WORD }, null)));
  lines.push(data(chunk({}, "length")));
  const options = body.stream_options as Json | undefined;
  if (options?.include_usage === true) {
    lines.push(data({ choices: [], ...base, object: "chat.completion.chunk", usage: usage(5, n) }));
  }
  lines.push("data: [DONE]\n\n");
  sseRaw(res, lines);
}

function completions(res: ServerResponse, body: Json): void {
  const n = limitOf(body, "max_tokens");
  const t = now();
  const base = { created: t, model: LLAMA_ALIAS, system_fingerprint: FINGERPRINT, object: "text_completion" };
  const id = "cmpl-llamaLikeCompletionId01";
  const choice = (text: string, finish: string | null) => ({
    text,
    index: 0,
    logprobs: null,
    finish_reason: finish,
  });
  if (body.stream !== true) {
    json(res, 200, { choices: [choice(WORD.repeat(n), "length")], ...base, usage: usage(3, n), id });
    return;
  }
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(data({ choices: [choice(WORD, null)], ...base, id }));
  // to_json_oaicompat of the final result: text "" in stream mode, usage whatever stream_options say.
  lines.push(data({ choices: [choice("", "length")], ...base, usage: usage(3, n), id }));
  lines.push("data: [DONE]\n\n");
  sseRaw(res, lines);
}

function responses(res: ServerResponse, body: Json): void {
  const n = limitOf(body, "max_output_tokens");
  const text = WORD.repeat(n);
  const t = now();
  const id = "resp_llamaLikeResponseId0001";
  const msgId = "msg_llamaLikeMessageId00001";
  const part = { type: "output_text", annotations: [], logprobs: [], text };
  const item = { type: "message", status: "completed", id: msgId, content: [part], role: "assistant" };
  const usageObj = {
    input_tokens: 3,
    output_tokens: n,
    total_tokens: 3 + n,
    input_tokens_details: { cached_tokens: 0 },
  };
  if (body.stream !== true) {
    json(res, 200, {
      completed_at: t,
      created_at: t,
      id,
      model: LLAMA_ALIAS,
      object: "response",
      output: [{ content: [part], id: msgId, role: "assistant", status: "completed", type: "message" }],
      status: "completed",
      usage: usageObj,
    });
    return;
  }
  const snapshot = { id, object: "response", status: "in_progress" };
  const lines = [
    event({ type: "response.created", response: snapshot }),
    event({ type: "response.in_progress", response: snapshot }),
    event({
      type: "response.output_item.added",
      item: { content: [], id: msgId, role: "assistant", status: "in_progress", type: "message" },
    }),
    event({ type: "response.content_part.added", item_id: msgId, part: { type: "output_text", text: "" } }),
  ];
  for (let i = 0; i < n; i++)
    lines.push(event({ type: "response.output_text.delta", item_id: msgId, delta: WORD }));
  lines.push(
    event({ type: "response.output_text.done", item_id: msgId, text }),
    event({ type: "response.content_part.done", item_id: msgId, part }),
    event({ type: "response.output_item.done", item }),
    event({
      type: "response.completed",
      response: {
        id,
        object: "response",
        created_at: t,
        status: "completed",
        model: LLAMA_ALIAS,
        output: [item],
        usage: usageObj,
      },
    }),
  );
  sseRaw(res, lines);
}

const HANDLERS: Record<string, (res: ServerResponse, body: Json) => void> = {
  "/v1/chat/completions": chat,
  "/v1/completions": completions,
  "/v1/responses": responses,
};

export async function startLlamaLike(opts: { apiKey?: string } = {}): Promise<ScriptedServer> {
  return startScripted({}, (req, res, raw) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      llamaError(res, 401, "authentication_error", "Invalid API Key");
      return;
    }
    if (req.method === "GET" && path === "/v1/models") {
      json(res, 200, {
        models: [{ name: LLAMA_ALIAS, model: LLAMA_ALIAS, type: "model" }],
        object: "list",
        data: [{ id: LLAMA_ALIAS, object: "model", created: now(), owned_by: "llamacpp", meta: {} }],
      });
      return;
    }
    const handler = req.method === "POST" ? HANDLERS[path] : undefined;
    if (!handler) {
      llamaError(res, 404, "not_found_error", "File Not Found");
      return;
    }
    let body: Json;
    try {
      body = JSON.parse(raw.toString("utf8")) as Json;
    } catch {
      llamaError(
        res,
        500,
        "server_error",
        "[json.exception.parse_error.101] parse error at line 1, column 11: syntax error while parsing value",
      );
      return;
    }
    handler(res, body);
  });
}
