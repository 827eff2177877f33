/**
 * A server that leaks the caller's key back at chosen places, in a chosen spelling, for the redaction property
 * test (test/hostile-secrets.test.ts). It takes the key from the Authorization header, spells it with
 * `encoding`, and puts it:
 *
 * - in the embeddings error message at `offset` characters (around the 120-character detail clip), with padding that
 *   puts it across the 4 KiB body-preview cut as well;
 * - in a tool call's arguments at `offset % 40` (around the 40-character quote);
 * - in an invalid redirect Location at `offset % 80` (around the 80-character quote);
 * - in a streamed reply, split across two or more deltas at `split`, each delta its own TCP write;
 * - in /v1/models as a model id.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Encoding =
  | "raw"
  | "upper"
  | "percent-lower"
  | "percent-upper"
  | "double-url"
  | "json-slash"
  | "html-decimal"
  | "html-hex"
  | "base64-bearer"
  | "fragment";

export const ENCODINGS: readonly Encoding[] = [
  "raw",
  "upper",
  "percent-lower",
  "percent-upper",
  "double-url",
  "json-slash",
  "html-decimal",
  "html-hex",
  "base64-bearer",
  "fragment",
];

export function spell(key: string, encoding: Encoding): string {
  const bytes = [...Buffer.from(key, "utf8")];
  switch (encoding) {
    case "raw":
      return key;
    case "upper":
      return key.toUpperCase();
    case "percent-lower":
      return bytes.map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
    case "percent-upper":
      return bytes.map((b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join("");
    case "double-url":
      return encodeURIComponent(bytes.map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""));
    case "json-slash":
      // What PHP's json_encode does to `/`; the string is put in JSON as it is, so `\/` reaches the wire.
      return key.replace(/\//g, "\\/");
    case "html-decimal":
      return [...key].map((c) => `&#${c.charCodeAt(0)};`).join("");
    case "html-hex":
      return [...key].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join("");
    case "base64-bearer":
      return Buffer.from(`Bearer ${key}`).toString("base64");
    case "fragment":
      // 12 characters from the middle of the secret: a piece long enough to count as the key.
      return key.slice(10, 22);
  }
}

export interface EchoOptions {
  encoding: Encoding;
  offset: number;
  /** Where the streamed key is cut between deltas (also cut once more, 3 characters later). */
  split: number;
}

export interface EchoServer {
  url: string;
  /** Whether each leak site was served at least once (the test is not vacuous). */
  served: Set<string>;
  close(): Promise<void>;
}

const CREATED = 1_700_000_000;

export async function startKeyEcho(options: EchoOptions): Promise<EchoServer> {
  const served = new Set<string>();
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const key = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    const spelled = spell(key, options.encoding);
    const path = (req.url ?? "/").split("?")[0]!;
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(body || "{}");
    } catch {}
    if (req.method === "GET" && path === "/v1/models") {
      served.add("models");
      return send(res, 200, {
        object: "list",
        data: ["tiny", `leak-${spelled}`].map((id) => ({
          id,
          object: "model",
          created: CREATED,
          owned_by: "x",
        })),
      });
    }
    if (req.method === "GET" && path.startsWith("/v1/models/")) {
      served.add("location");
      const pad = "p".repeat(options.offset % 80);
      res.writeHead(302, { location: `http://[${pad}${spelled}`, "content-type": "text/plain" });
      return res.end();
    }
    if (req.method === "POST" && path === "/v1/chat/completions" && json.messages) {
      if (json.stream) {
        served.add("stream");
        return stream(res, spelled, options.split);
      }
      if (json.tools) {
        served.add("tool-args");
        const args = JSON.stringify({ city: `${"c".repeat(options.offset % 40)}${spelled}` });
        return send(
          res,
          200,
          completion(null, [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: args } },
          ]),
        );
      }
      served.add("chat");
      return send(res, 200, completion("hello"));
    }
    if (req.method === "POST" && path === "/v1/embeddings") {
      served.add("error-detail");
      const message = `${"m".repeat(options.offset)}${spelled} is not a valid key`;
      // Padding first so the key also straddles the 4 KiB preview cut.
      const padding = "x".repeat(Math.max(0, 4096 - 60 - message.length - (options.offset % 7)));
      return send(res, 401, {
        padding,
        error: { message, type: "invalid_request_error", param: null, code: "invalid_api_key" },
      });
    }
    if (req.method === "POST" && path === "/v1/chat/completions") {
      return send(res, 400, {
        error: { message: "messages is required", type: "invalid_request_error", param: null, code: null },
      });
    }
    served.add("other");
    return send(res, 404, {
      error: {
        message: `no route ${path} for ${spelled}`,
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    served,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => {
      text += d;
    });
    req.on("end", () => resolve(text));
  });
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function completion(content: string | null, toolCalls?: unknown[]) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: CREATED,
    model: "tiny",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content,
          refusal: null,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: toolCalls ? "tool_calls" : "stop",
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  };
}

async function stream(res: ServerResponse, spelled: string, split: number): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: CREATED, model: "tiny" };
  const cut = Math.min(split, spelled.length - 1);
  const pieces = [
    "your key is ",
    spelled.slice(0, cut),
    spelled.slice(cut, cut + 3),
    spelled.slice(cut + 3),
    ".",
  ];
  const frames = [
    {
      ...base,
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null, logprobs: null }],
    },
    ...pieces.map((content) => ({
      ...base,
      choices: [{ index: 0, delta: { content }, finish_reason: null, logprobs: null }],
    })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop", logprobs: null }] },
  ];
  for (const frame of frames) {
    res.write(`data: ${JSON.stringify(frame)}\n\n`);
    await new Promise((r) => setTimeout(r, 2));
  }
  res.end("data: [DONE]\n\n");
}
