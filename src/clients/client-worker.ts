/**
 * The client worker: runs the SDK calls of `client:` rows on a thread of their own, so compiling and running the
 * SDKs (a few hundred ms of CPU) overlaps the probe's own rows instead of following them. Started by
 * worker-pool.ts; each SDK request is handed back to the probe thread (see wire.ts).
 */
import { parentPort } from "node:worker_threads";
import { isLocalHref, raceAbort, signalOf, toHttpRequest, toResponse } from "../probe/fetch.js";
import { executeCall, preload } from "./execute.js";
import { type FromWorker, type ToWorker, toWire } from "./wire.js";

const port = parentPort;
if (!port) throw new Error("client-worker.ts runs only as a worker thread");

const waiting = new Map<number, (out: Extract<ToWorker, { type: "answer" }>["out"]) => void>();
let nextRequest = 0;
const post = (message: FromWorker) => port.postMessage(message);

function bridgedFetch(id: number): typeof fetch {
  return async (input, init) => {
    if (isLocalHref(input)) return fetch(input instanceof Request ? input.url : String(input));
    const signal = signalOf(input, init);
    const req = await toWire(await toHttpRequest(input, init));
    const request = nextRequest++;
    const answered = new Promise<Extract<ToWorker, { type: "answer" }>["out"]>((resolve) =>
      waiting.set(request, resolve),
    );
    post({ type: "send", id, request, req });
    return toResponse(await raceAbort(answered, signal));
  };
}

port.on("message", (message: ToWorker) => {
  if (message.type === "preload") preload(message.sdks);
  else if (message.type === "answer") {
    waiting.get(message.request)?.(message.out);
    waiting.delete(message.request);
  } else {
    const { id, job } = message;
    void executeCall(job, bridgedFetch(id)).then(({ result, status }) =>
      post({ type: "done", id, result, status }),
    );
  }
});
