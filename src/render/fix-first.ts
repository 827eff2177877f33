/**
 * "Fix first": the findings that break clients (FAIL rows), most severe first, for the top of the HTML and
 * Markdown reports. A real client that broke comes first, then core routes, then extensions; within a rank, the
 * report's order.
 */
import type { Result } from "../report/types.js";

export const FIX_FIRST_LIMIT = 8;

function rank(r: Result): number {
  if (r.id.startsWith("client:")) return 0;
  if (r.kind === "core") return r.phase === "C" ? 2 : 1;
  return 3;
}

/** Every FAIL row, most severe first. */
export function fixFirst(results: readonly Result[]): Result[] {
  return results
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.status === "FAIL")
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => r);
}

/** Why a rank breaks clients, as a short tag for the list. */
export function fixFirstTag(r: Result): string {
  if (r.id.startsWith("client:")) return "client broke";
  return r.kind === "core" ? "core" : r.kind === "ours" ? "extension" : "optional";
}
