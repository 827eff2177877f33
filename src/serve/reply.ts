/**
 * What a route handler returns, and the OpenAI error envelope it throws.
 * Handlers never touch the socket: the server writes the reply, so latency, headers and
 * stream framing live in one place.
 */

export interface SseMessage {
  /** `event:` line, used by the Responses API; chat and completions streams have none. */
  event?: string;
  /** Serialised as JSON unless it is already a string (e.g. `[DONE]`). */
  data: unknown;
}

export type Reply =
  | { kind: "json"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "bytes"; status: number; contentType: string; body: Uint8Array | string }
  | { kind: "sse"; events: Iterable<SseMessage> | AsyncIterable<SseMessage> };

export const json = (body: unknown, status = 200): Reply => ({ kind: "json", status, body });

export const bytes = (contentType: string, body: Uint8Array | string, status = 200): Reply => ({
  kind: "bytes",
  status,
  contentType,
  body,
});

export const sse = (events: Iterable<SseMessage> | AsyncIterable<SseMessage>): Reply => ({
  kind: "sse",
  events,
});

export const DONE: SseMessage = { data: "[DONE]" };

export interface ErrorOptions {
  type?: string;
  param?: string | null;
  code?: string | null;
  headers?: Record<string, string>;
  /** Raised by the router (unknown URL, wrong method), where some quirks answer differently. */
  routing?: boolean;
}

/** Thrown anywhere in a handler; the server turns it into `{error: {message, type, param, code}}`. */
export class ApiError extends Error {
  override name = "ApiError";

  constructor(
    readonly status: number,
    message: string,
    readonly options: ErrorOptions = {},
  ) {
    super(message);
  }

  get envelope() {
    const type = this.options.type ?? (this.status >= 500 ? "server_error" : "invalid_request_error");
    return {
      error: {
        message: this.message,
        type,
        param: this.options.param ?? null,
        code: this.options.code ?? null,
      },
    };
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new ApiError(400, message, { param, code });

export const missingParam = (param: string) =>
  badRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");

export const invalidUrl = (method: string, path: string, routing = false) =>
  new ApiError(404, `Invalid URL (${method} ${path})`, { routing });

export const modelNotFound = (model: string) =>
  new ApiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, {
    code: "model_not_found",
  });
