// The published package.json carries no scripts and no devDependencies: everything is bundled into dist/, so
// installing the package runs nothing and fetches nothing. `prepack` strips them (keeping the repository's file
// aside), `postpack` puts the repository's file back; the repository's scripts stay for clones and git installs.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const MANIFEST = new URL("../package.json", import.meta.url);
const KEPT = new URL("../package.json.repo", import.meta.url);

if (process.argv[2] === "strip") {
  if (!existsSync(KEPT)) renameSync(MANIFEST, KEPT);
  const { scripts: _scripts, devDependencies: _dev, ...published } = JSON.parse(readFileSync(KEPT, "utf8"));
  writeFileSync(MANIFEST, `${JSON.stringify(published, null, 2)}\n`);
} else if (process.argv[2] === "restore") {
  if (existsSync(KEPT)) renameSync(KEPT, MANIFEST);
} else {
  throw new Error("usage: pack-manifest.mjs strip|restore");
}
