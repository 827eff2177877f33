/**
 * The published package, as a user gets it: `npm pack` (its prepack step builds dist/ and the types), installed
 * offline into an empty folder. It must install nothing else and run no script, stay within 5 MB, ship its
 * LICENSE and the docs the CLI points to, run the CLI, and run the README's library example with its types.
 * The pack happens in a copy of the repository (node_modules linked), so the working tree is never touched.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NPM_ENV = {
  ...process.env,
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** The README's library example (the js block after the `library-example` marker). */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const m = /<!-- library-example[^>]*-->\n```js\n([\s\S]*?)\n```/.exec(readme);
  assert.ok(m, "README.md has the library example");
  return m[1]!;
}

describe("the packed package", () => {
  let scratch: string;
  let app: string;
  let installed: string;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "aioc-pack-"));
    const repo = join(scratch, "repo");
    mkdirSync(repo);
    for (const entry of [
      "bin",
      "docs",
      "scripts",
      "src",
      "package.json",
      "tsconfig.json",
      "tsconfig.build.json",
    ]) {
      cpSync(join(ROOT, entry), join(repo, entry), { recursive: true });
    }
    for (const file of ["README.md", "LICENSE"]) cpSync(join(ROOT, file), join(repo, file));
    symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", scratch], {
      cwd: repo,
      env: NPM_ENV,
      maxBuffer: 1 << 24,
    });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    app = join(scratch, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), '{ "name": "app", "private": true, "type": "module" }\n');
    // --offline: the package needs nothing from a registry.
    await run("npm", ["install", "--offline", join(scratch, filename)], { cwd: app, env: NPM_ENV });
    installed = join(app, "node_modules", "aioc");
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test("installs alone, runs no script, within 5 MB, with LICENSE, README and the docs", () => {
    assert.deepEqual(readdirSync(join(app, "node_modules")).sort(), [".bin", ".package-lock.json", "aioc"]);
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    assert.equal(manifest.scripts, undefined, "no lifecycle script can run at install");
    assert.equal(manifest.dependencies, undefined, "no runtime dependency");
    const size = bytesUnder(join(app, "node_modules"));
    assert.ok(size <= 5 * 1024 * 1024, `installed size ${(size / 2 ** 20).toFixed(1)} MB`);
    for (const file of [
      "LICENSE",
      "README.md",
      "docs/deviations.md",
      "docs/report.schema.json",
      "dist/index.js",
    ]) {
      assert.ok(existsSync(join(installed, file)), `${file} is shipped`);
    }
    assert.match(readFileSync(join(installed, "LICENSE"), "utf8"), /^MIT License/);
  });

  test("the CLI runs from node_modules/.bin", async () => {
    const bin = join(app, "node_modules", ".bin", "aioc");
    const { stdout } = await run(bin, ["--version"]);
    assert.equal(stdout.trim(), manifestVersion());
    const spec = await run(bin, ["spec", "--group", "videos"]);
    assert.match(spec.stdout, /\/v1\/videos/);
  });

  test("the README's library example runs against the installed package", async () => {
    writeFileSync(join(app, "example.mjs"), readmeExample());
    const { stdout } = await run(process.execPath, ["example.mjs"], { cwd: app });
    assert.match(stdout, /^# aioc report/m);
    assert.match(stdout, /^reference → llama\.cpp: [1-9]\d* regressions, 0 fixes$/m);
  });

  test("the types: the example typechecks against the package's declarations (no skipLibCheck)", async () => {
    writeFileSync(join(app, "example.ts"), readmeExample());
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
          typeRoots: [join(ROOT, "node_modules", "@types")],
          lib: ["ES2023", "DOM"],
        },
        files: ["example.ts"],
      }),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    await run(process.execPath, [tsc, "-p", app]).catch((err: { stdout?: string }) => {
      assert.fail(`the example does not typecheck:\n${err.stdout}`);
    });
  });
});

function manifestVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
}
