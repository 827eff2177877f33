/**
 * A response body collected into one buffer. Node's `data` chunks are views into the socket's read buffers, so
 * keeping them and joining at the end holds about three times the body; copying each chunk into one growing
 * buffer (sized at once from Content-Length when the body is not encoded) holds it about once.
 */
const FIRST = 64 * 1024;

export class BodyBuffer {
  private buf: Uint8Array;
  private filled = 0;

  constructor(
    private readonly cap: number,
    expected?: number,
  ) {
    const exact = expected !== undefined && Number.isFinite(expected) && expected >= 0 && expected <= cap;
    this.buf = new Uint8Array(exact ? expected : Math.min(FIRST, cap));
  }

  get size(): number {
    return this.filled;
  }

  /** Appends `part`; the caller keeps the total under the cap. */
  push(part: Uint8Array): void {
    const needed = this.filled + part.length;
    if (needed > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.cap, Math.max(needed, this.buf.length * 2)));
      grown.set(this.buf.subarray(0, this.filled));
      this.buf = grown;
    }
    this.buf.set(part, this.filled);
    this.filled = needed;
  }

  /** The body; a buffer much larger than it is trimmed so the spare room can be freed. */
  bytes(): Uint8Array {
    const spare = this.buf.length - this.filled;
    return spare > FIRST && spare > this.filled / 4
      ? this.buf.slice(0, this.filled)
      : this.buf.subarray(0, this.filled);
  }

  /** A copy of the first `n` bytes, so the rest can be freed. */
  head(n: number): Uint8Array {
    return this.buf.slice(0, Math.min(n, this.filled));
  }
}
