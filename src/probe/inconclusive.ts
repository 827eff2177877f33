/** Rows that cannot be judged because the server refused for now (429/503 after openai-node-style retries). */
import { errorSummary } from "../checks/expect.js";
import { TRANSIENT_STATUSES } from "../http/retry.js";
import type { HttpOutcome } from "../http/types.js";

export function transientRefusal(out: HttpOutcome): boolean {
  return out.ok && TRANSIENT_STATUSES.has(out.res.status);
}

/** The SKIP reason for a row one of whose requests stayed refused. */
export function refusedReason(out: HttpOutcome): string {
  if (!out.ok) return "inconclusive: the server refused the request";
  const { status, retries = 0, body } = out.res;
  const why = status === 429 ? "rate limited" : "unavailable: busy or loading";
  const tries = retries === 1 ? "1 retry" : `${retries} retries`;
  return `inconclusive: ${status} ${why}, still after ${tries}: ${errorSummary(body)}`;
}
