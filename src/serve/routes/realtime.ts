/** GET /v1/realtime without an upgrade: OpenAI answers that a WebSocket is needed (the session is serve/realtime.ts). */
import type { Route } from "../context.js";
import { ApiError } from "../reply.js";

export const realtimeRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/realtime",
    body: "none",
    handle: () => {
      throw new ApiError(426, "This endpoint needs a WebSocket upgrade (Upgrade: websocket) with ?model=.", {
        code: "upgrade_required",
      });
    },
  },
];
