/** Phase B for the read-only listings of files, fine-tuning jobs and batches (nothing is created). */

import type { Check } from "../probe/types.js";
import type { ShapeName } from "../shapes/schemas.js";
import { expectJson } from "./expect.js";

const listing =
  (shape: ShapeName): Check =>
  (ctx) =>
    expectJson(ctx, { method: "GET", path: ctx.row.path }, shape);

export const fileChecks: Record<string, Check> = {
  "/v1/files": listing("FileList"),
  "/v1/fine_tuning/jobs": listing("FineTuningJobList"),
  "/v1/batches": listing("BatchList"),
};
