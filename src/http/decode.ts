/** Content-Encoding decoding under the caller's byte count: bombs stop at the cap, not in memory. */
/** The response body, decoded per Content-Encoding (gzip, deflate, br; in the order applied). Unknown codings pass through as they are. */
import type { IncomingMessage } from "node:http";
import { Duplex, PassThrough, type Readable, type Transform, Writable } from "node:stream";
import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  constants as z,
} from "node:zlib";
import { firstLine } from "./errors.js";
import type { TransportError } from "./types.js";

export function decode(res: IncomingMessage, encoding: string): Readable {
  const codings = encoding
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c && c !== "identity")
    .reverse();
  let stream: Readable = res;
  for (const coding of codings) {
    let next: Duplex;
    // Sync flush: a server that cuts its compressed stream short yields what it sent, not an error (like fetch).
    if (coding === "gzip" || coding === "x-gzip") {
      next = createGunzip({ flush: z.Z_SYNC_FLUSH, finishFlush: z.Z_SYNC_FLUSH });
    } else if (coding === "deflate") next = inflateAny();
    else if (coding === "br") {
      next = createBrotliDecompress({
        flush: z.BROTLI_OPERATION_FLUSH,
        finishFlush: z.BROTLI_OPERATION_FLUSH,
      });
    } else return stream;
    stream.on("error", (err) => next.destroy(err));
    stream = stream.pipe(next);
  }
  return stream;
}

/** `deflate` is meant to be zlib-wrapped, but some servers send raw deflate; the first byte tells. */
export function inflateAny(): Duplex {
  const options = { flush: z.Z_SYNC_FLUSH, finishFlush: z.Z_SYNC_FLUSH };
  const readable = new PassThrough();
  let inner: Transform | undefined;
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!inner) {
        inner = (chunk[0]! & 0x0f) === 8 ? createInflate(options) : createInflateRaw(options);
        inner.on("error", (err) => readable.destroy(err));
        inner.pipe(readable);
      }
      if (inner.write(chunk)) callback();
      else inner.once("drain", () => callback());
    },
    final(callback) {
      if (inner) inner.end();
      else readable.end();
      callback();
    },
  });
  return Duplex.from({ writable, readable });
}

export function isDecodeError(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? "";
  return /^Z_|^ERR_BROTLI|^ERR__?ZLIB/.test(code) || (err as { errno?: number })?.errno === z.Z_DATA_ERROR;
}

export function decodeError(encoding: string, err: unknown): TransportError {
  const message = err instanceof Error ? err.message : String(err);
  return {
    kind: "protocol",
    message: `body does not decode as Content-Encoding ${encoding}: ${firstLine(message)}`,
  };
}
