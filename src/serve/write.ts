/** Writes replies to the socket: JSON, bytes, SSE streams, and error envelopes. */

import { type ServerResponse, STATUS_CODES } from "node:http";
import { ApiError, type Reply, type SseMessage } from "./reply.js";

const NO_QUIRKS: ReadonlySet<string> = new Set();

const SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8";

/** `event: <type>\n` (when typed) then `data: <json>\n\n`. */
function sseFrame(message: SseMessage): string {
  const data = typeof message.data === "string" ? message.data : JSON.stringify(message.data);
  return `${message.event ? `event: ${message.event}\n` : ""}data: ${data}\n\n`;
}

function writeWhole(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: Uint8Array | string,
  extra = {},
) {
  const buf = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  res.writeHead(status, { ...extra, "content-type": contentType, "content-length": String(buf.byteLength) });
  res.end(buf);
}

/** Waits for the socket to take more data, or to go away (a client that hung up never drains). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

async function writeSse(
  res: ServerResponse,
  events: Iterable<SseMessage> | AsyncIterable<SseMessage>,
  quirks: ReadonlySet<string>,
) {
  res.writeHead(200, {
    "content-type": quirks.has("sse-wrong-content-type") ? "application/json" : SSE_CONTENT_TYPE,
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.flushHeaders();
  for await (const message of events) {
    if (res.destroyed) return;
    if (!res.write(sseFrame(message))) await drainedOrClosed(res);
  }
  res.end();
}

export async function writeReply(
  res: ServerResponse,
  reply: Reply,
  quirks: ReadonlySet<string> = NO_QUIRKS,
): Promise<void> {
  switch (reply.kind) {
    case "json":
      return writeWhole(res, reply.status, "application/json", JSON.stringify(reply.body), reply.headers);
    case "bytes":
      return writeWhole(res, reply.status, reply.contentType, reply.body);
    case "sse":
      return writeSse(res, reply.events, quirks);
  }
}

/** Any failure becomes an OpenAI error envelope; unexpected ones are a 500 that reveals no internals. */
export function writeError(res: ServerResponse, err: unknown, quirks: ReadonlySet<string> = NO_QUIRKS): void {
  const error =
    err instanceof ApiError
      ? err
      : new ApiError(500, "The server had an error while processing your request.");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  let status = error.status;
  let body: unknown = error.envelope;
  if (error.options.routing && quirks.has("error-with-200")) {
    status = 200;
    body = { error: error.message };
  } else if (error.options.routing && quirks.has("error-not-envelope")) {
    body = { detail: STATUS_CODES[status] ?? "Error" };
  } else if (quirks.has("error-code-integer")) {
    body = { error: { ...error.envelope.error, code: status } };
  }
  writeWhole(res, status, "application/json", JSON.stringify(body), error.options.headers);
}
