// A report's row by id, failing the test when the row is missing.
import assert from "node:assert/strict";
import type { Report, Result } from "../../src/report/types.js";

export function byId(report: Report, id: string): Result {
  const r = report.results.find((x) => x.id === id);
  assert.ok(r, `no result for ${id}`);
  return r;
}
