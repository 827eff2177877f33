/**
 * Writes docs/deviations.md from the deviation catalog (src/deviations/catalog.ts). Run with
 * `npm run gen:deviations`; test/deviations.test.ts fails when the committed file differs from what this writes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { DEVIATIONS } from "../src/deviations/catalog.js";
import { deviationsDoc } from "../src/deviations/docs.js";

const out = fileURLToPath(new URL("../docs/deviations.md", import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, deviationsDoc(DEVIATIONS));
process.stdout.write(`wrote ${relative(process.cwd(), out) || out} (${DEVIATIONS.length} deviations)\n`);
