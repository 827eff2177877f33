/**
 * Writes docs/canonical-surface.md from the catalog (src/catalog/endpoints.ts). Run with `npm run gen:docs`;
 * test/catalog.test.ts fails when the committed file differs from what this would write.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ENDPOINTS } from "../src/catalog/endpoints.js";
import { canonicalSurfaceDoc } from "../src/catalog/render.js";

const out = fileURLToPath(new URL("../docs/canonical-surface.md", import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, canonicalSurfaceDoc(ENDPOINTS));
process.stdout.write(`wrote ${relative(process.cwd(), out) || out} (${ENDPOINTS.length} endpoints)\n`);
