/** An observed SSE stream as frames with their event index (for `stream/<i>` pointers) and arrival time. */
import type { SseEvent } from "../http/types.js";
import type { Observation } from "../probe/types.js";

export interface Frame {
  /** Index into the stream's events, as in `stream/<i>/…` pointers (expectSse uses the same). */
  i: number;
  /** Milliseconds since the request started. */
  atMs: number;
  /** The parsed data; undefined when the frame was not JSON. */
  data: unknown;
}

export interface StreamView {
  frames: Frame[];
  sawDone: boolean;
  /** Data frames after `[DONE]`. */
  afterDone: number;
  /** Event index of the first `[DONE]`, -1 without one. */
  doneAt: number;
  /** Arrival time of the last event. */
  endMs: number;
}

/** The `data: [DONE]` sentinel that ends chat and completions streams. */
export const isDone = (event: SseEvent): boolean => event.data.trim() === "[DONE]";

/** `obs.frames` holds the parsed data of every event but [DONE] (as expectSse records them). */
export function streamView(obs: Observation): StreamView {
  const events = obs.events ?? [];
  const parsed = obs.frames ?? [];
  const frames: Frame[] = [];
  let k = 0;
  let sawDone = false;
  let afterDone = 0;
  let doneAt = -1;
  events.forEach((e, i) => {
    if (isDone(e)) {
      if (!sawDone) doneAt = i;
      sawDone = true;
      return;
    }
    if (sawDone) afterDone++;
    frames.push({ i, atMs: e.atMs, data: parsed[k++] });
  });
  return { frames, sawDone, afterDone, doneAt, endMs: events.at(-1)?.atMs ?? 0 };
}

/**
 * What frames after `[DONE]` carry that clients need: openai-node stops reading at `[DONE]`, so a finish_reason
 * or usage sent later is lost to it. Empty when nothing after `[DONE]` matters.
 */
export function lostAfterDone(view: StreamView): string[] {
  if (view.doneAt < 0) return [];
  const lost = new Set<string>();
  for (const fr of view.frames) {
    if (fr.i < view.doneAt || !fr.data || typeof fr.data !== "object") continue;
    const data = fr.data as { usage?: unknown; choices?: unknown };
    if (data.usage && typeof data.usage === "object") lost.add("usage");
    if (
      Array.isArray(data.choices) &&
      data.choices.some((c) => c && typeof c === "object" && (c as { finish_reason?: unknown }).finish_reason)
    )
      lost.add("finish_reason");
  }
  return [...lost];
}
