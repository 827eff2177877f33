/** The probe plan: which catalog rows run for the chosen depth and filters, plus the rows they build on. */
import { type Depth, ENDPOINTS, type Endpoint, type Group } from "../catalog/endpoints.js";

export interface PlanOptions {
  depth: Depth;
  only?: RegExp;
  group?: Group;
  /** false skips the `client:` rows (real SDKs). */
  clients?: boolean;
}

const DEPTHS: Depth[] = ["quick", "standard", "deep"];

export function selectRows(opts: PlanOptions): Endpoint[] {
  const depth = DEPTHS.indexOf(opts.depth);
  return ENDPOINTS.filter(
    (e) =>
      DEPTHS.indexOf(e.depth) <= depth &&
      (opts.clients !== false || !e.id.startsWith("client:")) &&
      (!opts.group || e.group === opts.group) &&
      (!opts.only || opts.only.test(e.id) || opts.only.test(e.path)),
  );
}

/** The selected rows plus every row they transitively need, in catalog order. */
export function withDependencies(rows: readonly Endpoint[]): Endpoint[] {
  const ids = new Set(rows.map((r) => r.id));
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of ENDPOINTS) {
      if (ids.has(e.id) && e.needs && !ids.has(e.needs)) {
        ids.add(e.needs);
        grew = true;
      }
    }
  }
  return ENDPOINTS.filter((e) => ids.has(e.id));
}
