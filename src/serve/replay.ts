/**
 * `aioc serve --replay FILE`: answers from a recording made by `aioc probe --record` (docs/recording.md), so a
 * real server's behaviour can be reproduced without running it. Matching is in replay-match.ts; a request
 * nobody recorded gets a 404 with an OpenAI error envelope that says so. Streams are replayed as streams (one
 * write per SSE event); a recorded transport failure is replayed as a closed connection after what arrived.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { setImmediate as tick } from "node:timers/promises";
import { catalogPath } from "../http/connection.js";
import {
  bodyBytes,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordedExchange,
  type Recording,
} from "../http/record.js";
import { WRONG_KEY } from "../http/transport.js";
import { readBody } from "./body.js";
import { listen } from "./listen.js";
import { authOf, bodySignature, type Candidate, describeRequest, pick, unrandom } from "./replay-match.js";
import type { RunningServer } from "./server.js";
import { writeError } from "./write.js";

/** Response headers that belonged to the recorded connection, not to the answer (the body is stored decoded). */
const HOP_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "date",
]);

interface Entry extends Candidate {
  exchange: RecordedExchange;
}

export class RecordingError extends Error {}

/** Reads and checks a recording file; throws RecordingError with a one-line reason. */
export function loadRecording(path: string): Recording {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new RecordingError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let value: Partial<Recording>;
  try {
    value = JSON.parse(text) as Partial<Recording>;
  } catch {
    throw new RecordingError(`${path} is not JSON`);
  }
  if (value?.format !== RECORDING_FORMAT || !Array.isArray(value.exchanges)) {
    throw new RecordingError(`${path} is not an aioc recording (made by \`aioc probe --record\`)`);
  }
  if (value.version !== RECORDING_VERSION) {
    throw new RecordingError(
      `${path} is recording version ${value.version}; this aioc reads ${RECORDING_VERSION}`,
    );
  }
  return value as Recording;
}

/** The recorded target's base path: requests under it map back to catalog paths, so the replay serves at `/v1`. */
function basePathOf(recording: Recording): string {
  try {
    return new URL(recording.target.url).pathname;
  } catch {
    return "/v1";
  }
}

function index(recording: Recording): Map<string, Entry[]> {
  const basePath = basePathOf(recording);
  const byRoute = new Map<string, Entry[]>();
  recording.exchanges.forEach((exchange, order) => {
    const { request } = exchange;
    const path = catalogPath(basePath, request.path) ?? request.path;
    const body = bodyBytes(request.body);
    const entry: Entry = {
      method: request.method,
      path,
      auth: request.auth,
      signature: bodySignature(request.headers["content-type"] ?? "", body),
      body,
      served: 0,
      order,
      exchange,
    };
    const key = `${entry.method} ${unrandom(path)}`;
    byRoute.set(key, [...(byRoute.get(key) ?? []), entry]);
  });
  return byRoute;
}

function notRecorded(res: ServerResponse, method: string, path: string, signature: string, known: boolean) {
  const what = known
    ? `no recorded exchange for ${method} ${path} matches this request (body ${describeRequest(signature)})`
    : `no exchange for ${method} ${path} was recorded`;
  const body = JSON.stringify({
    error: {
      message: `aioc serve --replay: ${what}`,
      type: "invalid_request_error",
      param: null,
      code: "not_recorded",
    },
  });
  res.writeHead(404, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** One write per SSE event (split at blank lines), so clients see a stream, not one block. */
function* sseEvents(body: Buffer): Generator<Buffer> {
  let start = 0;
  const text = body.toString("latin1");
  const boundary = /\r?\n\r?\n/g;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    const end = m.index + m[0].length;
    yield body.subarray(start, end);
    start = end;
  }
  if (start < body.length) yield body.subarray(start);
}

async function answer(res: ServerResponse, exchange: RecordedExchange): Promise<void> {
  const recorded = exchange.response;
  if (!recorded) {
    // The recorded request got no response at all (refused, reset, timed out before the headers).
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded.headers)) {
    if (!HOP_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  const body = bodyBytes(recorded.body);
  const stream = /text\/event-stream/i.test(recorded.headers["content-type"] ?? "");
  const cut = !!exchange.error || !!recorded.body.truncated;
  if (!stream && !cut) headers["content-length"] = String(body.length);
  res.writeHead(recorded.status, headers);
  if (stream) {
    res.flushHeaders();
    for (const event of sseEvents(body)) {
      if (res.destroyed) return;
      res.write(event);
      await tick();
    }
  } else if (body.length) {
    res.write(body);
  }
  // A failed or cut exchange ends as the original did: without a proper end.
  if (exchange.error) res.destroy();
  else res.end();
}

export interface ReplayOptions {
  file: string;
  port?: number;
  host?: string;
  latencyMs?: number;
}

export async function startReplay(options: ReplayOptions): Promise<RunningServer & { exchanges: number }> {
  const recording = loadRecording(options.file);
  const routes = index(recording);
  const host = options.host ?? "127.0.0.1";

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(`http://localhost${req.url ?? "/"}`);
    const path = `${url.pathname}${url.search}`;
    const body = await readBody(req, 64 * 1024 * 1024);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const signature = bodySignature(String(req.headers["content-type"] ?? ""), body);
    const candidates = routes.get(`${method} ${unrandom(path)}`);
    const hit =
      candidates && pick(candidates, { auth: authOf(req.headers.authorization, WRONG_KEY), signature, body });
    if (!hit) return notRecorded(res, method, path, signature, !!candidates);
    hit.served++;
    await answer(res, hit.exchange);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      writeError(res, err);
      req.resume();
    });
  });
  const { port, origin, close } = await listen(server, options.port ?? 0, host);
  return { url: `${origin}/v1`, port, exchanges: recording.exchanges.length, close };
}
