/**
 * Stream forensics: Phase C rows that send nothing and read the base stream row's Observation instead —
 * framing, event order and consistency — and measure TTFB, TTFT and tokens per second.
 *
 * Severity rule: FAIL when openai-node (or typical clients) break on the defect, WARN when they cope. Checked
 * against openai-node v6: `core/streaming.js` ends a stream when the body ends ([DONE] optional), ignores
 * frames after [DONE] and throws on a frame that is not JSON; `lib/ChatCompletionStream.js` throws when a
 * choice never gets a role or a finish_reason, or a chunk has no `choices`; `lib/responses/*` throws unless
 * the first event is response.created and every text delta follows the item and content part it extends.
 */

import type { Observation, Outcome, ProbeContext } from "../probe/types.js";
import type { Metrics } from "../report/types.js";
import { type Finding, finding, settle, skipC, startC } from "./depth.js";
import { mediaType } from "./expect.js";
import { lostAfterDone, type StreamView, streamView } from "./stream-frames.js";

export interface Forensics {
  base: Outcome;
  obs: Observation;
  view: StreamView;
}

export async function startForensics(
  ctx: ProbeContext,
): Promise<{ skip: Outcome } | { skip?: undefined; f: Forensics }> {
  const start = await startC(ctx);
  if (start.skip) return start;
  const obs = start.base.observation;
  if (!obs?.events?.length) return { skip: skipC(`base row ${ctx.row.needs} has no SSE events to analyse`) };
  return { f: { base: start.base, obs, view: streamView(obs) } };
}

/** Content-Type, unparseable frames, [DONE] and what follows it. */
export function framingFindings(f: Forensics, requireDone: boolean): Finding[] {
  const findings: Finding[] = [];
  const type = mediaType(f.obs.contentType);
  if (type !== "text/event-stream") {
    findings.push(
      finding(
        "warn",
        "header:content-type",
        "text/event-stream",
        f.obs.contentType || "(none)",
        `Content-Type is ${f.obs.contentType || "missing"}, not text/event-stream (the SDKs cope; proxies may buffer the stream)`,
      ),
    );
  }
  const broken = f.view.frames.filter((fr) => fr.data === undefined);
  if (broken[0]) {
    findings.push(
      finding(
        "fail",
        `stream/${broken[0].i}`,
        "a JSON data frame",
        "unparseable data",
        `${broken.length} data frame(s) are not JSON, first at event ${broken[0].i} (openai-node throws)`,
      ),
    );
  }
  if (requireDone && !f.view.sawDone) {
    findings.push(
      finding(
        "warn",
        "stream",
        "data: [DONE] at the end",
        "missing",
        "no data: [DONE] at the end (openai-node ends at the end of the body and copes; some clients wait for it)",
      ),
    );
  }
  if (f.view.afterDone > 0) {
    const lost = lostAfterDone(f.view);
    findings.push(
      lost.length > 0
        ? finding(
            "fail",
            "stream",
            "nothing after [DONE]",
            `${f.view.afterDone} frame(s) carrying ${lost.join(" and ")}`,
            `${f.view.afterDone} frame(s) after [DONE] carry ${lost.join(" and ")}, which openai-node never sees (it stops at [DONE])`,
          )
        : finding(
            "warn",
            "stream",
            "nothing after [DONE]",
            `${f.view.afterDone} frame(s)`,
            `${f.view.afterDone} frame(s) after [DONE] (openai-node ignores them)`,
          ),
    );
  }
  return findings;
}

/**
 * TTFB from the base request; TTFT is the arrival of the first frame with content; tokens per second counts
 * the tokens after the first over the time after the first (usage when reported, else content frames).
 */
function streamMetrics(f: Forensics, firstContentMs: number | undefined, tokens: number): Metrics {
  const metrics: Metrics = { chunks: f.view.frames.length };
  if (f.base.metrics?.ttfbMs !== undefined) metrics.ttfbMs = f.base.metrics.ttfbMs;
  if (firstContentMs === undefined) return metrics;
  metrics.ttftMs = Math.round(firstContentMs);
  const seconds = (f.view.endMs - firstContentMs) / 1000;
  if (tokens > 1 && seconds >= 0.001)
    metrics.tokensPerSecond = Math.round(((tokens - 1) / seconds) * 10) / 10;
  return metrics;
}

function metricsNote(status: number | null, m: Metrics): string {
  const parts = [`${status} · ${m.chunks ?? 0} chunks`];
  if (m.ttftMs !== undefined) parts.push(`TTFT ${m.ttftMs} ms`);
  if (m.tokensPerSecond !== undefined) parts.push(`${m.tokensPerSecond} tok/s`);
  return parts.join(" · ");
}

/**
 * The forensics row's outcome: no request of its own, the base stream's status and observation, the stream's
 * metrics (see streamMetrics), and the findings settled into its verdict.
 */
export function settleForensics(
  f: Forensics,
  findings: readonly Finding[],
  firstContentMs: number | undefined,
  tokens: number,
): Outcome {
  const metrics = streamMetrics(f, firstContentMs, tokens);
  const outcome: Outcome = {
    phase: "C",
    httpStatus: f.base.httpStatus,
    latencyMs: f.base.latencyMs,
    problems: [],
    observation: { ...f.obs, facts: { ...f.obs.facts, analysedFrom: "base stream row" } },
    metrics,
  };
  return settle(outcome, findings, metricsNote(f.base.httpStatus, metrics));
}
