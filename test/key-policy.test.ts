/** Which key goes where: a key from the environment never reaches a host the user did not name it for. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { resolveApiKey } from "../src/probe/target.js";
import { json, type ScriptedServer, startScripted } from "./helpers/scripted-server.js";

const run = promisify(execFile);
const ENV_KEY = "sk-from-the-environment-0123456789";
const models = { object: "list", data: [{ id: "m", object: "model", created: 1, owned_by: "x" }] };

let server: ScriptedServer;
before(async () => {
  server = await startScripted({ "GET /v1/models": (_q, res) => json(res, 200, models) });
});
after(() => server.close());

async function probeWith(env: Record<string, string>, args: string[] = []) {
  server.requests.length = 0;
  const clean = { ...process.env };
  delete clean.AIOC_API_KEY;
  delete clean.OPENAI_API_KEY;
  const { stdout, stderr } = await run(
    "node",
    [
      "bin/aioc.js",
      "probe",
      server.url,
      "--depth",
      "quick",
      "--only",
      "^/v1/models$",
      "--format",
      "json",
      ...args,
    ],
    { env: { ...clean, ...env } },
  );
  return { stdout, stderr, auth: server.requests.map((r) => r.headers.authorization) };
}

test("$OPENAI_API_KEY is never sent to a server other than api.openai.com", async () => {
  const { auth, stdout, stderr } = await probeWith({ OPENAI_API_KEY: ENV_KEY });
  assert.ok(auth.length > 0);
  assert.deepEqual(
    auth,
    auth.map(() => undefined),
    "no Authorization header at all",
  );
  assert.ok(!stdout.includes(ENV_KEY) && !stderr.includes(ENV_KEY));
});

test("$AIOC_API_KEY is aioc's own: sent to the target, redacted from output", async () => {
  const { auth, stdout } = await probeWith({ AIOC_API_KEY: ENV_KEY });
  assert.ok(auth.every((a) => a === `Bearer ${ENV_KEY}`));
  assert.ok(!stdout.includes(ENV_KEY));
  assert.equal(JSON.parse(stdout).options.authenticated, true);
});

test("--api-key wins over the environment", async () => {
  const { auth } = await probeWith({ AIOC_API_KEY: ENV_KEY }, ["--api-key", "sk-flag-key-9876543210"]);
  assert.ok(auth.every((a) => a === "Bearer sk-flag-key-9876543210"));
});

test("resolveApiKey: $OPENAI_API_KEY only for OpenAI's own host", () => {
  const env = { OPENAI_API_KEY: ENV_KEY };
  assert.deepEqual(resolveApiKey("https://api.openai.com/v1", undefined, env), {
    key: ENV_KEY,
    source: "$OPENAI_API_KEY",
  });
  assert.deepEqual(resolveApiKey("https://api.openai.com.evil.example/v1", undefined, env), {});
  assert.deepEqual(resolveApiKey("http://127.0.0.1:8080/v1", undefined, env), {});
});
