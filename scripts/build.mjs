// Bundles the CLI with esbuild: one ESM entry plus lazily loaded chunks (SDKs, renderers, the reference server).
// Fewer, larger modules start much faster than hundreds of small ones on Node 20's ESM loader.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { tsImport } from "tsx/esm/api";

// The shapes' Ajv validators, compiled now instead of at every run: generated/ (git-ignored) holds the
// standalone module, and the bundle takes it in place of the stub src/shapes/precompiled.ts.
const SHAPES_DIR = fileURLToPath(new URL("../src/shapes", import.meta.url));
const VALIDATORS = fileURLToPath(new URL("../generated/shape-validators.js", import.meta.url));
const { shapeValidatorsModule } = await tsImport("./gen-shape-validators.ts", import.meta.url);
mkdirSync(new URL("../generated", import.meta.url), { recursive: true });
writeFileSync(VALIDATORS, shapeValidatorsModule());

/** @type {import("esbuild").Plugin} */
const precompiledShapes = {
  name: "precompiled-shapes",
  setup(b) {
    b.onResolve({ filter: /^\.\/precompiled\.js$/ }, (args) =>
      args.resolveDir === SHAPES_DIR ? { path: VALIDATORS } : undefined,
    );
  },
};

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
  plugins: [precompiledShapes],
  // Bundled CommonJS dependencies (ajv) call require(); ESM has none, so give each chunk one.
  banner: {
    js: "import { createRequire as __aiocCreateRequire } from 'node:module'; const require = __aiocCreateRequire(import.meta.url);",
  },
});
