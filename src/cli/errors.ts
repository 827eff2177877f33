/** An error caused by what the user asked for (bad URL, unreadable file, unreachable host): exit 2, one line. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
