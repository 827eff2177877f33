// `npm test`'s pretest step, second part: the client:openai-python rows are tested against the official Python
// SDK, pinned in python/requirements.txt, installed into a git-ignored virtualenv (.venv-python/). Fast when it is
// already there (a stamp of the requirements file); one line either way. AIOC_SKIP_PYTHON=1 skips it (the python
// tests then skip too, saying so).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const VENV = `${ROOT}.venv-python`;
const PYTHON = `${VENV}/bin/python`;
const REQUIREMENTS = `${ROOT}python/requirements.txt`;
const STAMP = `${VENV}/.aioc-requirements`;
const say = (line) => process.stderr.write(`pretest: ${line}\n`);

if (process.env.AIOC_SKIP_PYTHON === "1") process.exit(0);
const wanted = readFileSync(REQUIREMENTS, "utf8");
if (existsSync(PYTHON) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === wanted) process.exit(0);

const run = (cmd, args) => spawnSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
const started = Date.now();
const venv = run("python3", ["-m", "venv", "--clear", VENV]);
if (venv.status !== 0) {
  say(
    `python3 -m venv failed (${(venv.stderr || venv.error?.message || "").trim().split("\n").at(-1)}); set AIOC_SKIP_PYTHON=1 to skip`,
  );
  process.exit(1);
}
const pip = run(PYTHON, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", REQUIREMENTS]);
if (pip.status !== 0) {
  say(
    `pip could not install python/requirements.txt (${(pip.stderr || "").trim().split("\n").at(-1)}); set AIOC_SKIP_PYTHON=1 to skip`,
  );
  process.exit(1);
}
writeFileSync(STAMP, wanted);
say(`python openai SDK installed in .venv-python (${((Date.now() - started) / 1000).toFixed(0)} s)`);
