// Bundles the CLI and the library with esbuild: two ESM entries (dist/cli.js, dist/index.js) plus lazily loaded
// chunks (SDKs, renderers, the reference server). Fewer, larger modules start much faster than hundreds of small
// ones on Node 20's ESM loader. Every dependency is bundled, so the package has none at run time.
//   --types           also emit the library's declarations into dist/types (prepack: the published package)
//   --unless-packing  do nothing under `npm pack`/`npm publish`, whose prepack step has built already (prepare)
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";
import { tsImport } from "tsx/esm/api";

const args = process.argv.slice(2);
if (args.includes("--unless-packing") && ["pack", "publish"].includes(process.env.npm_command ?? "")) {
  process.exit(0);
}

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
const built = await build({
  // The client worker (src/clients/worker-pool.ts) is started from dist/client-worker.js.
  entryPoints: { cli: "src/cli.ts", index: "src/index.ts", "client-worker": "src/clients/client-worker.ts" },
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
  metafile: true,
});

// clients (issue #14): the LangChain chunk is almost all vendor code (@langchain/core, langsmith) and would be a
// quarter of the package; minified (names kept, so errors still say which class threw) it is half the size.
const MINIFIED_ENTRIES = new Set(["src/clients/langchain.ts"]);
for (const [file, out] of Object.entries(built.metafile.outputs)) {
  if (!MINIFIED_ENTRIES.has(out.entryPoint ?? "")) continue;
  const code = readFileSync(file, "utf8");
  const min = await transform(code, { format: "esm", target: "node20", minify: true, keepNames: true });
  writeFileSync(file, min.code);
}

if (args.includes("--types")) {
  const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
