/**
 * The field lab in CI, without the lab: the committed recording of a real llama-server
 * (field/recordings/llama-server.json, made by `npm run field -- --save-recording`) is replayed with
 * `serve --replay`, probed, and held to
 *   1. the committed, hand-judged expectation (field/expect/llama-server-key.json), row by row; a row where
 *      aioc's current verdict is known to be wrong is listed there (`now`) and reported, not hidden;
 *   2. the modelled profile: `serve --quirks llama.cpp` must give the same verdict on every row, except the
 *      differences listed with their reason in field/expect/llama-profile.json.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { compare, loadExpectation } from "../scripts/field/expect.js";
import { runProbe } from "../src/probe/run.js";
import type { Report, Status } from "../src/report/types.js";
import { resolveQuirkList } from "../src/serve/quirks.js";
import { startReplay } from "../src/serve/replay.js";
import { type RunningServer, startServer } from "../src/serve/server.js";

const FIELD = join(import.meta.dirname, "../field");
const KEY = "sk-field-replay-0123456789abcdef";
/** What `npm run field` runs: standard depth, --timeout 120. */
const options = {
  timeoutMs: 120_000,
  concurrency: 4,
  maxBodyBytes: 16 << 20,
  depth: "standard",
  // The python SDK rows depend on the machine's python, not on the server (the field lab leaves them out too).
  skip: /^client:openai-python\//,
} as const;

interface ProfileDifference {
  id: string;
  real: Status;
  profile: Status;
  reason: string;
}

describe("field recording of llama-server, replayed", () => {
  let replay: RunningServer;
  let profile: RunningServer;
  let replayed: Report;
  let modelled: Report;
  before(async () => {
    replay = await startReplay({ file: join(FIELD, "recordings/llama-server.json") });
    const resolved = resolveQuirkList(["llama.cpp"]);
    profile = await startServer({
      apiKey: KEY,
      quirks: resolved.quirks,
      missing: resolved.missing,
      openapi: resolved.openapi,
    });
    [replayed, modelled] = await Promise.all([
      runProbe({ baseUrl: replay.url, apiKey: KEY, ...options }),
      runProbe({ baseUrl: profile.url, apiKey: KEY, ...options }),
    ]);
  });
  after(async () => {
    await replay.close();
    await profile.close();
  });

  test("the replay yields the committed expectation on every row (known wrong verdicts listed)", (t) => {
    const mismatches = compare(loadExpectation(join(FIELD, "expect/llama-server-key.json")), replayed);
    for (const m of mismatches.filter((x) => x.known)) {
      t.diagnostic(`known mismatch ${m.id}: expected ${m.expected}, aioc says ${m.got} (${m.known})`);
    }
    const unknown = mismatches
      .filter((m) => !m.known)
      .map((m) => `${m.id}: expected ${m.expected}, got ${m.got}`);
    assert.deepEqual(unknown, []);
  });

  test("serve --quirks llama.cpp gives the replay's verdict on every row, or a listed difference", (t) => {
    const allowed = JSON.parse(readFileSync(join(FIELD, "expect/llama-profile.json"), "utf8")) as {
      differences: ProfileDifference[];
    };
    const byId = new Map(modelled.results.map((r) => [r.id, r]));
    const unexplained: string[] = [];
    const seen = new Set<string>();
    for (const real of replayed.results) {
      const model = byId.get(real.id);
      const got = model?.status ?? "(absent)";
      if (got === real.status) continue;
      const listed = allowed.differences.find(
        (d) => d.id === real.id && d.real === real.status && d.profile === got,
      );
      if (listed) {
        seen.add(listed.id);
        t.diagnostic(`listed difference ${real.id}: real ${real.status}, profile ${got}: ${listed.reason}`);
      } else {
        unexplained.push(
          `${real.id}: real ${real.status} "${real.detail}", profile ${got} "${model?.detail ?? ""}"`,
        );
      }
    }
    for (const d of allowed.differences) {
      if (!seen.has(d.id)) t.diagnostic(`allow-list entry ${d.id} no longer differs: remove it`);
    }
    assert.deepEqual(unexplained, []);
  });
});
