// `npm test`'s pretest step: the browser test of the HTML report needs Debian's chromium at /usr/bin/chromium.
// When it is missing and we are root with apt-get, install it; otherwise stop at once with one line saying what
// to do, instead of running the whole suite to have the browser tests cancelled with the reason buried.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
const say = (line) => process.stderr.write(`pretest: ${line}\n`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return r.status === 0;
}

const onPath = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

if (process.env.AIOC_SKIP_BROWSER === "1" || existsSync(CHROMIUM)) process.exit(0);

const hint = "install Debian's chromium (apt-get install -y chromium) or set AIOC_SKIP_BROWSER=1 to skip";
if (process.getuid?.() !== 0 || !onPath("apt-get")) {
  say(`${CHROMIUM} is missing (needed by the HTML report's browser test): ${hint}`);
  process.exit(1);
}
say(`${CHROMIUM} is missing: installing Debian's chromium with apt-get (once)`);
const started = Date.now();
if (!run("apt-get", ["update", "-qq"]) || !run("apt-get", ["install", "-y", "-qq", "chromium"])) {
  say(`apt-get could not install chromium: ${hint}`);
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  say(`apt-get installed chromium but ${CHROMIUM} is still missing: ${hint}`);
  process.exit(1);
}
say(`chromium installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
