import type { ValidateFunction } from "ajv/dist/2020.js";
import type { ShapeName } from "./schemas.js";

/**
 * Build-time validators. This stub (what tsx and tsc see) has none, so shapes compile at run time; the esbuild
 * bundle swaps in the standalone validators scripts/build.mjs generates (see scripts/gen-shape-validators.ts).
 */
export const precompiled: Readonly<Record<ShapeName, ValidateFunction>> | undefined = undefined;
