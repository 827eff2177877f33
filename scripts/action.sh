#!/usr/bin/env bash
# The GitHub Action's one step (action.yml runs it with the inputs as INPUT_* variables).
# It uses the built CLI shipped in the action's ref (release tags carry dist/, see README "GitHub Action") and the
# runner's Node; it installs nothing then. Only a ref without dist/ (a branch) is built, with the devDependencies
# asked for explicitly, so NODE_ENV=production in the job cannot break it.
set -uo pipefail
root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
cli="$root/bin/aioc.js"
if [ ! -f "$root/dist/cli.js" ]; then
  echo "aioc: this ref ships no built CLI (use a release tag such as @v1); building it from source" >&2
  if [ ! -x "$root/node_modules/.bin/esbuild" ]; then
    npm ci --prefix "$root" --include=dev --ignore-scripts --no-audit --no-fund --loglevel=error || exit 2
  fi
  npm run --prefix "$root" --silent build >&2 || exit 2
fi

out="${INPUT_OUT_DIR:-aioc-report}"
args=(probe --format table --quiet --out-dir "$out")
[ -n "${INPUT_BASE_URL:-}" ] && args+=("$INPUT_BASE_URL")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_NAME:-}" ] && args+=(--name "$INPUT_NAME")
[ -n "${INPUT_DEPTH:-}" ] && args+=(--depth "$INPUT_DEPTH")
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_MODEL:-}" ] && args+=(--model "$INPUT_MODEL")
[ -n "${INPUT_MODELS:-}" ] && args+=(--models "$INPUT_MODELS")
[ -n "${INPUT_ONLY:-}" ] && args+=(--only "$INPUT_ONLY")
[ -n "${INPUT_GROUP:-}" ] && args+=(--group "$INPUT_GROUP")
[ -n "${INPUT_AUTH:-}" ] && args+=(--auth "$INPUT_AUTH")
[ -n "${INPUT_TIMEOUT:-}" ] && args+=(--timeout "$INPUT_TIMEOUT")
[ -n "${INPUT_CONCURRENCY:-}" ] && args+=(--concurrency "$INPUT_CONCURRENCY")
[ -n "${INPUT_SHARD:-}" ] && args+=(--shard "$INPUT_SHARD")
# headers: one 'Name: value' per line.
while IFS= read -r line; do
  line="${line%$'\r'}"
  [ -n "${line//[[:space:]]/}" ] && args+=(-H "$line")
done <<<"${INPUT_HEADERS:-}"

# wait-ready: seconds to wait for the server to answer /models with anything but 503 (llama-server while it loads).
if [ -n "${INPUT_WAIT_READY:-}" ] && [ "${INPUT_WAIT_READY}" != "0" ]; then
  node --input-type=module - "${INPUT_BASE_URL:-}" "$INPUT_WAIT_READY" <<'JS' || exit 2
const [base, seconds] = process.argv.slice(2);
if (!base) process.exit(0); // a config's targets are not waited for
const url = `${base.replace(/\/+$/, "").replace(/\/v1$/, "")}/v1/models`;
const deadline = Date.now() + Number(seconds) * 1000;
for (;;) {
  const status = await fetch(url, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
  if (status !== 0 && status !== 503) process.exit(0);
  if (Date.now() > deadline) {
    console.error(`aioc: ${url} not ready after ${seconds} s (wait-ready)`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 1000));
}
JS
fi

node "$cli" "${args[@]}"
code=$?
# Outputs: the counts over every report written (one, or one per target and model), and the first report's path.
node - "$out" <<'JS' >>"${GITHUB_OUTPUT:-/dev/null}"
const { existsSync, readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const dir = process.argv[2];
const files = existsSync(join(dir, "report.json"))
  ? [join(dir, "report.json")]
  : existsSync(dir)
    ? readdirSync(dir).map((d) => join(dir, d, "report.json")).filter(existsSync).sort()
    : [];
if (files.length === 0) process.exit(0);
const total = { PASS: 0, WARN: 0, FAIL: 0, SKIP: 0 };
for (const f of files) {
  const s = JSON.parse(readFileSync(f, "utf8")).summary;
  for (const k of Object.keys(total)) total[k] += s[k];
}
for (const k of Object.keys(total)) console.log(`${k.toLowerCase()}=${total[k]}`);
console.log(`report=${files[0]}`);
console.log(`reports=${files.length}`);
JS
exit $code
