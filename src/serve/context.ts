import type { IncomingHttpHeaders } from "node:http";
import type { Params } from "./params.js";
import type { Reply } from "./reply.js";
import type { ResponseStore } from "./response-store.js";
import type { VideoStore } from "./video-store.js";

/** State shared by every request of one server. */
export interface ServerState {
  /**
   * Deviations this server imitates (see quirks.ts). Handlers check them where the deviation happens:
   * `if (ctx.quirks.has("stream-no-usage")) …`. Empty means fully canonical.
   */
  quirks: ReadonlySet<string>;
  /** `http://127.0.0.1:PORT`, for URLs that point back at this server. */
  origin: string;
  videos: VideoStore;
  /** Stored Responses (responses group). */
  responses: ResponseStore;
  /** This server's own OpenAPI document (serve/openapi.ts), built from its routes at start-up. */
  openapi: unknown;
}

/** Everything a handler sees: the server state plus this request. */
export interface Ctx extends ServerState {
  method: string;
  /** The request path, e.g. `/v1/videos/video_123`. */
  path: string;
  /** Template parameters, e.g. `{ id: "video_123" }` for `/v1/videos/{id}`. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed body (empty for GET). */
  body: Params;
}

/** How a route wants its body: JSON object, multipart form, or either (by Content-Type). */
export type BodyKind = "none" | "json" | "multipart" | "json-or-multipart";

export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** A path template as written in the catalog, e.g. `/v1/videos/{id}`. */
  path: string;
  body: BodyKind;
  /** The body kind under the given quirks, when a quirk changes it (e.g. image edits that take JSON). */
  quirkBody?(quirks: ReadonlySet<string>): BodyKind | undefined;
  handle(ctx: Ctx): Reply | Promise<Reply>;
}
