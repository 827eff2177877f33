/**
 * The messages between the probe and its client worker. The worker runs the SDKs; every request they make comes
 * back here as a `send` and goes out through the row's HTTP (counted, capped, recorded, the key added), so the
 * worker never sees the key or the network. FormData does not cross threads, so forms travel as entries.
 */
import type { HttpRequest } from "../http/types.js";
import type { FetchOutcome } from "../probe/fetch.js";
import type { ClientJob, Sdk } from "./execute.js";
import type { ClientResult } from "./types.js";

type FormEntry =
  | { name: string; value: string }
  | { name: string; bytes: Uint8Array; filename: string; type: string };

export type WireRequest = Omit<HttpRequest, "form"> & { form?: FormEntry[] };

export type ToWorker =
  | { type: "preload"; sdks: Sdk[] }
  | { type: "run"; id: number; job: ClientJob }
  | { type: "answer"; id: number; request: number; out: FetchOutcome };

export type FromWorker =
  | { type: "send"; id: number; request: number; req: WireRequest }
  | { type: "done"; id: number; result: ClientResult; status: number | null };

export async function toWire(req: HttpRequest): Promise<WireRequest> {
  const { form, ...rest } = req;
  if (!form) return rest;
  const entries: FormEntry[] = [];
  for (const [name, value] of form) {
    if (typeof value === "string") entries.push({ name, value });
    else
      entries.push({
        name,
        bytes: new Uint8Array(await value.arrayBuffer()),
        filename: value.name,
        type: value.type,
      });
  }
  return { ...rest, form: entries };
}

export function fromWire(wire: WireRequest): HttpRequest {
  const { form, ...rest } = wire;
  if (!form) return rest;
  const data = new FormData();
  for (const e of form) {
    if ("value" in e) data.append(e.name, e.value);
    else data.append(e.name, new File([e.bytes as Uint8Array<ArrayBuffer>], e.filename, { type: e.type }));
  }
  return { ...rest, form: data };
}
