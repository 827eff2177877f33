/**
 * The reference server: every catalog row, implemented canonically and deterministically without a model.
 * It is the oracle the prober is tested against; `--quirks` makes it deviate on purpose.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { parseBody } from "./body.js";
import type { Ctx, Route, ServerState } from "./context.js";
import { newId } from "./generate.js";
import { listen } from "./listen.js";
import { buildOpenapi } from "./openapi.js";
import { handleUpgrade } from "./realtime.js";
import { ApiError, invalidUrl } from "./reply.js";
import { ResponseStore } from "./response-store.js";
import { Router } from "./router.js";
import { audioRoutes } from "./routes/audio.js";
import { chatRoutes } from "./routes/chat.js";
import { completionRoutes } from "./routes/completions.js";
import { embeddingRoutes } from "./routes/embeddings.js";
import { imageRoutes } from "./routes/images.js";
import { listRoutes } from "./routes/lists.js";
import { modelRoutes } from "./routes/models.js";
import { moderationRoutes } from "./routes/moderations.js";
import { openapiRoutes } from "./routes/openapi.js";
import { realtimeRoutes } from "./routes/realtime.js";
import { rerankRoutes } from "./routes/rerank.js";
import { responseStateRoutes } from "./routes/response-state.js";
import { responseRoutes } from "./routes/responses.js";
import { videoRoutes } from "./routes/videos.js";
import { VideoStore } from "./video-store.js";
import { writeError, writeReply } from "./write.js";

export interface ServeOptions {
  /** 0 (the default) picks any free port. */
  port?: number;
  host?: string;
  /** When set, every /v1 route requires `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Delay before every response's headers. */
  latencyMs?: number;
  /** Resolved quirk ids (see quirks.ts `resolveQuirks`). */
  quirks?: Iterable<string>;
  /** Catalog path templates (or concrete paths) that answer 404, as if not implemented. */
  missing?: readonly string[];
  /**
   * Serve `/openapi.json`. Default: unless routes are missing, so a programmatic profile keeps the kind rule for
   * its absent routes; `aioc serve` passes its profiles' own answer (quirks.ts `openapi`).
   */
  openapi?: boolean;
  /** Missing paths `/openapi.json` lists all the same (a declared-but-absent route; the CLI's `--missing`). */
  declared?: readonly string[];
  /** Most video jobs kept in memory. */
  maxVideos?: number;
}

export interface RunningServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:4242/v1`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const ROUTES: readonly Route[] = [
  ...modelRoutes,
  ...chatRoutes,
  ...completionRoutes,
  ...responseRoutes,
  // responses group: stored responses, compact, conversations, uploads (before /v1/responses/{id} matches "compact")
  ...responseStateRoutes,
  ...audioRoutes,
  ...imageRoutes,
  ...videoRoutes,
  ...embeddingRoutes,
  ...listRoutes,
  ...moderationRoutes,
  ...openapiRoutes,
  ...rerankRoutes,
  ...realtimeRoutes,
];

const normalizePath = (p: string) => (p.length > 1 ? p.replace(/\/+$/, "") : p);

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Compares digests in constant time; the key itself is never logged, echoed or put in an error. */
function checkAuth(header: string | undefined, expected: Buffer): void {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!m) {
    throw new ApiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      { code: "invalid_api_key" },
    );
  }
  if (!timingSafeEqual(digest(m[1]!.trim()), expected)) {
    throw new ApiError(401, "Incorrect API key provided.", { code: "invalid_api_key" });
  }
}

export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const latency = options.latencyMs ?? 0;
  const keyDigest = options.apiKey ? digest(options.apiKey) : undefined;
  const missing = new Set((options.missing ?? []).map(normalizePath));
  const router = new Router(ROUTES);
  const state: ServerState = {
    quirks: new Set(options.quirks ?? []),
    origin: "",
    videos: new VideoStore(options.maxVideos ?? 1000),
    responses: new ResponseStore(),
    openapi: undefined,
  };
  // Deviations that are a route the implementation does not serve (see quirks.ts).
  if (state.quirks.has("model-retrieve-404")) missing.add("/v1/models/{model}");
  if (state.quirks.has("translations-folded")) missing.add("/v1/audio/translations");
  state.openapi = buildOpenapi(ROUTES, missing, options.declared);
  if (!(options.openapi ?? missing.size === 0)) missing.add("/openapi.json");

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader("x-request-id", newId("req_", 32));
    if (latency > 0) await sleep(latency);
    const method = req.method ?? "GET";
    const url = new URL(`http://localhost${req.url ?? "/"}`);
    const path = normalizePath(url.pathname);
    if (keyDigest && (path === "/v1" || path.startsWith("/v1/"))) {
      checkAuth(req.headers.authorization, keyDigest);
    }
    const match = router.match(path);
    if (!match || missing.has(match.template) || missing.has(path)) {
      throw invalidUrl(method, path, true);
    }
    const handler = match.routes.find((r) => r.method === method);
    if (!handler) {
      const allow = match.routes.map((r) => r.method).join(", ");
      throw new ApiError(405, `Method ${method} is not allowed on ${path}; allowed: ${allow}.`, {
        code: "method_not_allowed",
        headers: { allow },
        routing: true,
      });
    }
    const body = await parseBody(req, handler.quirkBody?.(state.quirks) ?? handler.body, state.quirks);
    const ctx: Ctx = {
      ...state,
      method,
      path,
      params: match.params,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    await writeReply(res, await handler.handle(ctx), state.quirks);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      writeError(res, err, state.quirks);
      // Discard whatever of the body was not read (e.g. after a 413) so the connection stays usable.
      req.resume();
    });
  });

  // WebSocket upgrades (only /v1/realtime has them); the same key and missing-route rules as HTTP.
  server.on("upgrade", (req, socket, head) => {
    void handleUpgrade(req, socket, head, {
      refuse: (r, path) => {
        if (path !== "/v1/realtime" || missing.has(path)) {
          // LM Studio-style routers answer an unknown URL 200 {"error": …}, upgrade or not.
          const bare = state.quirks.has("error-with-200");
          return { status: bare ? 200 : 404, message: `Invalid URL (GET ${path})`, bare };
        }
        if (!keyDigest) return undefined;
        try {
          checkAuth(r.headers.authorization, keyDigest);
          return undefined;
        } catch (err) {
          return { status: 401, message: err instanceof Error ? err.message : "unauthorized" };
        }
      },
    }).catch(() => socket.destroy());
  });

  const { port, origin, close } = await listen(server, options.port ?? 0, host);
  state.origin = origin;
  return { url: `${origin}/v1`, port, close };
}
