import { ENDPOINTS } from "../catalog/endpoints.js";

/** Result ids in catalog order, then ids this version does not know in first-seen order; no duplicates. */
export function catalogOrder(ids: Iterable<string>): string[] {
  const present = new Set(ids);
  const known = ENDPOINTS.map((e) => e.id).filter((id) => present.has(id));
  const knownSet = new Set(known);
  return [...known, ...[...present].filter((id) => !knownSet.has(id))];
}
