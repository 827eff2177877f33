/**
 * The reference server's `/v1/realtime`: a minimal text-only session of OpenAI's GA Realtime protocol over WebSocket
 * (`ws`, imported on the first upgrade). session.created on connect; session.update → session.updated;
 * conversation.item.create → conversation.item.added; response.create → response.created, one output_text delta and
 * done, response.done. Anything else is answered with an `error` event, as OpenAI does.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import { newId } from "./generate.js";

const MAX_FRAME_BYTES = 1 << 20;
const REPLY = "Hello! This is the aioc reference server.";

export interface RealtimeGate {
  /** Undefined when the upgrade may proceed, else the HTTP status and message to refuse it with. */
  refuse(req: IncomingMessage, path: string): { status: number; message: string; bare?: boolean } | undefined;
}

/** `bare`: the error-with-200 quirk's `{"error": "<message>"}` instead of the envelope. */
function refuseUpgrade(socket: Duplex, status: number, message: string, bare = false): void {
  const body = JSON.stringify(
    bare
      ? { error: message }
      : { error: { message, type: "invalid_request_error", param: null, code: null } },
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Bad Request"}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

const STATUS_TEXT: Record<number, string> = { 200: "OK", 401: "Unauthorized", 404: "Not Found" };

let wss: WebSocketServer | undefined;

export async function handleUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  gate: RealtimeGate,
): Promise<void> {
  socket.on("error", () => socket.destroy());
  const url = new URL(`http://localhost${req.url ?? "/"}`);
  const path = url.pathname.replace(/\/+$/, "");
  const refused = gate.refuse(req, path);
  if (refused) return refuseUpgrade(socket, refused.status, refused.message, refused.bare);
  const model = url.searchParams.get("model");
  if (!model) return refuseUpgrade(socket, 400, "Missing required parameter: 'model'.");
  if (!wss) {
    const { WebSocketServer } = await import("ws");
    wss ??= new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  }
  wss.handleUpgrade(req, socket, head, (ws) => session(ws, model));
}

function session(ws: WebSocket, model: string): void {
  const send = (event: Record<string, unknown>) =>
    ws.send(JSON.stringify({ event_id: newId("event_", 20), ...event }));
  const state = {
    type: "realtime",
    object: "realtime.session",
    id: newId("sess_", 20),
    model,
    output_modalities: ["text"],
    instructions: "",
  } as Record<string, unknown>;
  const error = (message: string, code: string) =>
    send({
      type: "error",
      error: { type: "invalid_request_error", code, message, param: null, event_id: null },
    });
  send({ type: "session.created", session: state });
  ws.on("message", (data, isBinary) => {
    let event: Record<string, unknown>;
    try {
      event = isBinary ? {} : (JSON.parse(data.toString()) as Record<string, unknown>);
    } catch {
      return error("The event is not valid JSON.", "invalid_json");
    }
    switch (event?.type) {
      case "session.update": {
        const update = event.session;
        if (!update || typeof update !== "object")
          return error("Missing required parameter: 'session'.", "missing_required_parameter");
        for (const key of ["instructions", "output_modalities", "max_output_tokens"])
          if (key in update) state[key] = (update as Record<string, unknown>)[key];
        return send({ type: "session.updated", session: state });
      }
      case "conversation.item.create": {
        const item = {
          id: newId("item_", 20),
          object: "realtime.item",
          status: "completed",
          ...(event.item as object),
        };
        return send({ type: "conversation.item.added", previous_item_id: null, item });
      }
      case "response.create": {
        const id = newId("resp_", 20);
        const itemId = newId("item_", 20);
        const base = {
          id,
          object: "realtime.response",
          conversation_id: "conv_aioc",
          output_modalities: ["text"],
        };
        send({ type: "response.created", response: { ...base, status: "in_progress", output: [] } });
        const where = { response_id: id, item_id: itemId, output_index: 0, content_index: 0 };
        send({ type: "response.output_text.delta", ...where, delta: REPLY });
        send({ type: "response.output_text.done", ...where, text: REPLY });
        const item = {
          id: itemId,
          object: "realtime.item",
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: REPLY }],
        };
        const tokens = REPLY.split(/\s+/).length;
        return send({
          type: "response.done",
          response: {
            ...base,
            status: "completed",
            status_details: null,
            output: [item],
            usage: { total_tokens: tokens + 3, input_tokens: 3, output_tokens: tokens },
          },
        });
      }
      default:
        return error(
          `Invalid value: '${String(event?.type).slice(0, 64)}'. Supported in this text-only session: session.update, conversation.item.create, response.create.`,
          "invalid_value",
        );
    }
  });
}
