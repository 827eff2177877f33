/**
 * Runs `client:` rows' SDK calls on one worker thread per process (client-worker.ts), started when a plan has
 * such rows. The worker's requests are sent here through the row's HTTP (probe/fetch.ts), exactly as an
 * in-thread call's would be. If the worker cannot run, calls run in this thread instead: same requests, same
 * verdicts, only slower.
 */
import { Worker } from "node:worker_threads";
import { fetchVia } from "../probe/fetch.js";
import type { RowHttp } from "../probe/types.js";
import { type ClientJob, executeCall, type Sdk } from "./execute.js";
import type { ClientResult } from "./types.js";
import { type FromWorker, fromWire, type ToWorker } from "./wire.js";

export interface ClientRun {
  result: ClientResult;
  status: number | null;
  /** False when the call ran in this thread (no worker could run). */
  inWorker: boolean;
}

interface Pending {
  job: ClientJob;
  http: RowHttp;
  resolve: (run: ClientRun) => void;
}

function spawn(): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const file = new URL(`./client-worker.${fromSource ? "ts" : "js"}`, import.meta.url);
  if (!fromSource) return new Worker(file);
  // Running from source (the tests, under tsx): Node 20 gives workers no loader hooks, so it loads tsx itself.
  const tsx = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  return new Worker(`import(${tsx}).then((t) => t.tsImport(${JSON.stringify(file.href)}, ${tsx}));`, {
    eval: true,
  });
}

async function inThread(job: ClientJob, http: RowHttp): Promise<ClientRun> {
  return { ...(await executeCall(job, fetchVia(http))), inWorker: false };
}

class ClientWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private broken = false;
  private readonly worker: Worker;

  constructor() {
    this.worker = spawn();
    this.worker.on("message", (m: FromWorker) => this.onMessage(m));
    this.worker.on("error", () => this.fallBack());
    this.worker.on("exit", () => this.fallBack());
    // After the listeners: adding a "message" listener refs the worker's port again.
    this.worker.unref();
  }

  preload(sdks: Sdk[]): void {
    this.post({ type: "preload", sdks });
  }

  run(job: ClientJob, http: RowHttp): Promise<ClientRun> {
    if (this.broken) return inThread(job, http);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { job, http, resolve });
      // Referenced only while it has work: an idle worker must not keep the process alive.
      if (this.pending.size === 1) this.worker.ref();
      this.post({ type: "run", id, job });
    });
  }

  private post(message: ToWorker): void {
    if (!this.broken) this.worker.postMessage(message);
  }

  private onMessage(m: FromWorker): void {
    const pending = this.pending.get(m.id);
    if (!pending) return;
    if (m.type === "done") {
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      pending.resolve({ result: m.result, status: m.status, inWorker: true });
      return;
    }
    const answer = (out: Extract<ToWorker, { type: "answer" }>["out"]) =>
      this.post({ type: "answer", id: m.id, request: m.request, out });
    pending.http.send(fromWire(m.req)).then(
      (out) =>
        answer(
          out.ok
            ? { ok: true, res: { status: out.res.status, headers: out.res.headers, body: out.res.body } }
            : { ok: false, error: { message: out.error.message } },
        ),
      (err: unknown) => answer({ ok: false, error: { message: String(err) } }),
    );
  }

  /** The worker died or never started: its unfinished calls run again here, and so do all later ones. */
  private fallBack(): void {
    if (this.broken) return;
    this.broken = true;
    for (const { job, http, resolve } of this.pending.values()) void inThread(job, http).then(resolve);
    this.pending.clear();
  }
}

let shared: ClientWorker | undefined;
const pool = () => {
  shared ??= new ClientWorker();
  return shared;
};

/** Starts the worker and its SDKs' compile, so both overlap discovery and the protocol rows. */
export function preloadInWorker(sdks: Sdk[]): void {
  if (sdks.length > 0) pool().preload(sdks);
}

export function runClientCall(job: ClientJob, http: RowHttp): Promise<ClientRun> {
  return pool().run(job, http);
}
