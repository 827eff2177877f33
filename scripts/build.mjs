// Bundles the CLI with esbuild: one ESM entry plus lazily loaded chunks (SDKs, renderers, the reference server).
// Fewer, larger modules start much faster than hundreds of small ones on Node 20's ESM loader.
import { rmSync } from "node:fs";
import { build } from "esbuild";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ["src/cli.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // Bundled CommonJS dependencies (ajv) call require(); ESM has none, so give each chunk one.
  banner: {
    js: "import { createRequire as __aiocCreateRequire } from 'node:module'; const require = __aiocCreateRequire(import.meta.url);",
  },
});
