/**
 * The field lab in CI, without the lab: the committed recordings of a real llama-server
 * (field/recordings/llama-server.json, made by `npm run field -- --save-recording`) and of a real Ollama v0.17.4
 * (field/recordings/ollama.json, the lab's .field/out/ollama.recording.json) are replayed with
 * `serve --replay`, probed, and held to
 *   1. the committed, hand-judged expectation (field/expect/llama-server-key.json), row by row; a row where
 *      aioc's current verdict is known to be wrong is listed there (`now`) and reported, not hidden;
 *   2. the modelled profile: `serve --quirks llama.cpp` (`ollama`) must give the same verdict on every row,
 *      except the differences listed with their reason in field/expect/llama-profile.json (ollama-profile.json).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { compare, loadExpectation } from "../scripts/field/expect.js";
import type { ModelChoice } from "../src/probe/models.js";
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

interface Suite {
  /** The real server, as named in the test titles. */
  server: string;
  recording: string;
  expectation: string;
  profile: string;
  differences: string;
  /** The key the lab probed with (Ollama has none). */
  keyed: boolean;
  /** Models the lab named (`--embedding-model`). */
  models?: ModelChoice;
}

function replaySuite(s: Suite) {
  describe(`field recording of ${s.server}, replayed`, () => {
    let replay: RunningServer;
    let profile: RunningServer;
    let replayed: Report;
    let modelled: Report;
    const auth = s.keyed ? { apiKey: KEY } : {};
    const probe = { ...options, ...(s.models ? { models: s.models } : {}) };
    before(async () => {
      replay = await startReplay({ file: join(FIELD, "recordings", s.recording) });
      const resolved = resolveQuirkList([s.profile]);
      profile = await startServer({
        ...auth,
        quirks: resolved.quirks,
        missing: resolved.missing,
        openapi: resolved.openapi,
      });
      [replayed, modelled] = await Promise.all([
        runProbe({ baseUrl: replay.url, ...auth, ...probe }),
        // the reference server lists its own models; the names are the real server's
        runProbe({ baseUrl: profile.url, ...auth, ...options }),
      ]);
    });
    after(async () => {
      await replay.close();
      await profile.close();
    });

    test("the replay yields the committed expectation on every row (known wrong verdicts listed)", (t) => {
      const mismatches = compare(loadExpectation(join(FIELD, "expect", s.expectation)), replayed);
      for (const m of mismatches.filter((x) => x.known)) {
        t.diagnostic(`known mismatch ${m.id}: expected ${m.expected}, aioc says ${m.got} (${m.known})`);
      }
      const unknown = mismatches
        .filter((m) => !m.known)
        .map((m) => `${m.id}: expected ${m.expected}, got ${m.got}`);
      assert.deepEqual(unknown, []);
    });

    test(`serve --quirks ${s.profile} gives the replay's verdict on every row, or a listed difference`, (t) => {
      const allowed = JSON.parse(readFileSync(join(FIELD, "expect", s.differences), "utf8")) as {
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
}

replaySuite({
  server: "llama-server",
  recording: "llama-server.json",
  expectation: "llama-server-key.json",
  profile: "llama.cpp",
  differences: "llama-profile.json",
  keyed: true,
});

// Ollama v0.17.4, probed without a key (it has none) and with --embedding-model tiny:latest, as the lab does.
replaySuite({
  server: "Ollama",
  recording: "ollama.json",
  expectation: "ollama.json",
  profile: "ollama",
  differences: "ollama-profile.json",
  keyed: false,
  models: { embedding: "tiny:latest" },
});
