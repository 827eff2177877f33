/**
 * Issue #12: config files and environment, several models, several targets, --shard and `aioc merge`, all over
 * loopback HTTP against `aioc serve` (and the Portkey-style gateway) through the built CLI.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Report } from "../src/report/types.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { runAiocChild } from "./helpers/hostile-server.js";
import { type Front, portkeyGuard, startFront } from "./helpers/reach.js";

const KEY = "sk-reach-config-0123456789abcdef";
const scratch = mkdtempSync(join(tmpdir(), "aioc-config-"));
const ENV = { AIOC_API_KEY: "", AIOC_BASE_URL: "", AIOC_CONFIG: "" };
let backend: RunningServer;
let gw: Front;
before(async () => {
  backend = await startServer({ port: 0, host: "127.0.0.1", apiKey: KEY });
  gw = await startFront(backend.url, portkeyGuard);
});
after(async () => {
  await gw.close();
  await backend.close();
  rmSync(scratch, { recursive: true, force: true });
});

function writeConfig(name: string, config: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

async function aioc(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
  return runAiocChild(args, { env: { ...ENV, ...env }, cwd });
}

describe("config file", () => {
  test("two targets (a plain server, a gateway needing headers): both probed, a matrix side by side", async () => {
    const config = writeConfig("two.json", {
      defaults: { depth: "quick", apiKey: `${"$"}{REACH_KEY}`, scope: { group: "chat" } },
      targets: [
        { url: backend.url, name: "direct" },
        { url: gw.url, name: "gateway", headers: { "x-portkey-provider": "openai" } },
      ],
    });
    const out = join(scratch, "two-out");
    const r = await aioc(["probe", "--config", config, "--out-dir", out, "--format", "json"], {
      REACH_KEY: KEY,
    });
    assert.equal(r.code, 0, r.stderr);
    const reports = JSON.parse(r.stdout) as Report[];
    assert.deepEqual(reports.map((x) => x.target.name).sort(), ["direct", "gateway"]);
    for (const x of reports) {
      assert.equal(
        x.summary.FAIL,
        0,
        `${x.target.name}: ${JSON.stringify(x.results.filter((y) => y.status === "FAIL"))}`,
      );
      assert.ok(
        x.results.every((y) => y.group === "chat" || y.id === "/v1/models"),
        "scope from defaults",
      );
      assert.equal(x.options.depth, "quick");
    }
    assert.ok(!r.stdout.includes(KEY));
    assert.deepEqual(readdirSync(out).sort(), ["direct", "gateway", "matrix.html", "matrix.md"]);
    const matrix = readFileSync(join(out, "matrix.md"), "utf8");
    assert.match(matrix, /direct/);
    assert.match(matrix, /gateway/);
    assert.match(r.stderr, /aioc: gateway: \d+ PASS/);
  });

  test("explicit command-line options win over the file; ./aioc.config.json is found in the working folder", async () => {
    const dir = mkdtempSync(join(scratch, "cwd-"));
    writeFileSync(
      join(dir, "aioc.config.json"),
      JSON.stringify({ targets: [{ url: backend.url, apiKey: KEY, depth: "standard" }] }),
    );
    const r = await aioc(
      ["probe", "--depth", "quick", "--only", "^/v1/models$", "--format", "json"],
      {},
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.options.depth, "quick");
    assert.equal(report.options.authenticated, true);
  });

  test("$AIOC_CONFIG and $AIOC_BASE_URL", async () => {
    const config = writeConfig("env.json", {
      targets: [{ url: backend.url, apiKey: KEY, name: "from-env-config" }],
    });
    const a = await aioc(["probe", "--only", "^/v1/models$", "--format", "json"], { AIOC_CONFIG: config });
    assert.equal(a.code, 0, a.stderr);
    assert.equal((JSON.parse(a.stdout) as Report).target.name, "from-env-config");
    const b = await aioc(["probe", "--only", "^/v1/models$", "--format", "json"], {
      AIOC_BASE_URL: backend.url,
      AIOC_API_KEY: KEY,
    });
    assert.equal(b.code, 0, b.stderr);
    assert.equal((JSON.parse(b.stdout) as Report).target.url, backend.url);
  });

  test("validation: one line naming the file, the field's path and the problem", async () => {
    const cases: [unknown, RegExp][] = [
      [
        { targets: [{ url: "x", auth: "basic" }] },
        /: \/targets\/0\/auth must be one of bearer, api-key, none$/,
      ],
      [{ targets: [{ name: "no url" }] }, /: \/targets\/0 lacks required field "url"$/],
      [{ targets: [{ url: "x", header: {} }] }, /: \/targets\/0 has unknown field "header"$/],
      [{ targets: [{ url: "x", timeout: "30" }] }, /: \/targets\/0\/timeout must be number$/],
      [{ targets: [] }, /: \/targets must NOT have fewer than 1 items$/],
      [
        { targets: [{ url: "x", apiKey: `${"$"}{UNSET_REACH_VAR}` }] },
        /: \/targets\/0\/apiKey uses \$\{UNSET_REACH_VAR\}, which is not set$/,
      ],
      [
        { targets: [{ url: "x", headers: { "bad name": "v" } }] },
        /\/targets\/0\/headers: invalid header name "bad name"$/,
      ],
    ];
    for (const [config, message] of cases) {
      const path = writeConfig("bad.json", config);
      const r = await aioc(["probe", "--config", path]);
      assert.equal(r.code, 2, JSON.stringify(config));
      assert.equal(r.stderr.split("\n").length, 2, r.stderr);
      assert.match(r.stderr.trim(), message);
      assert.ok(r.stderr.startsWith(`aioc: config ${path}`), r.stderr);
    }
    const notJson = join(scratch, "nope.json");
    writeFileSync(notJson, "{ nope");
    const r = await aioc(["probe", "--config", notJson]);
    assert.match(r.stderr, /^aioc: config .*nope\.json is not valid JSON/);
  });
});

describe("several models", () => {
  test("--models: model rows once per model, shared rows once, one report per model", async () => {
    const r = await aioc(
      [
        "probe",
        backend.url,
        "--api-key",
        KEY,
        "--depth",
        "quick",
        "--models",
        "aioc-chat,no-such-model",
      ].concat(["--format", "json"]),
    );
    assert.equal(r.code, 1, "the second model fails");
    const [a, b] = JSON.parse(r.stdout) as Report[];
    assert.ok(a && b);
    assert.equal(a.models.chat, "aioc-chat");
    assert.equal(b.models.chat, "no-such-model");
    assert.match(a.target.name, /· aioc-chat$/);
    assert.equal(a.summary.FAIL, 0);
    const chat = b.results.find((x) => x.id === "/v1/chat/completions")!;
    assert.equal(chat.status, "FAIL");
    assert.equal(chat.httpStatus, 404);
    const emb = (x: Report) => x.results.find((y) => y.id === "/v1/embeddings")!;
    assert.deepEqual(emb(b), emb(a), "shared rows are probed once and appear in both reports");
    assert.ok(
      b.requests < a.requests,
      `the second run only re-probes model rows (${b.requests} < ${a.requests})`,
    );
    assert.deepEqual(
      b.results.map((x) => x.id),
      a.results.map((x) => x.id),
    );
  });

  test("--all-models probes the advertised chat models, capped by --max-models", async () => {
    const model = (id: string) => ({ id, object: "model", created: 1, owned_by: "x" });
    const lister = await startFront(backend.url, (req) =>
      req.url === "/v1/models"
        ? {
            status: 200,
            body: { object: "list", data: ["aioc-chat", "chat-b", "aioc-embedding", "chat-c"].map(model) },
          }
        : undefined,
    );
    try {
      const r = await aioc(
        ["probe", lister.url, "--api-key", KEY, "--depth", "quick", "--group", "chat"].concat([
          "--all-models",
          "--max-models",
          "2",
          "--format",
          "json",
        ]),
      );
      const reports = JSON.parse(r.stdout) as Report[];
      assert.deepEqual(
        reports.map((x) => x.models.chat),
        ["aioc-chat", "chat-b"],
      );
      assert.equal(r.code, 1, "chat-b is unknown to the backend: its chat rows fail");
    } finally {
      await lister.close();
    }
  });
});

describe("--shard and aioc merge", () => {
  test("two shards cover every row exactly once; merge joins them into the full report", async () => {
    const base = [backend.url, "--api-key", KEY, "--depth", "quick", "--format", "json"];
    const full = JSON.parse((await aioc(["probe", ...base])).stdout) as Report;
    const files: string[] = [];
    const ids: string[][] = [];
    for (const shard of ["1/2", "2/2"]) {
      const r = await aioc(["probe", ...base, "--shard", shard]);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as Report;
      assert.equal(report.connection?.shard, shard);
      ids.push(report.results.map((x) => x.id));
      const file = join(scratch, `shard-${shard.replace("/", "of")}.json`);
      writeFileSync(file, r.stdout);
      files.push(file);
    }
    assert.ok(ids[0]!.length > 0 && ids[1]!.length > 0);
    assert.equal(ids[0]!.filter((id) => ids[1]!.includes(id)).length, 0, "no row in both shards");
    const again = JSON.parse((await aioc(["probe", ...base, "--shard", "1/2"])).stdout) as Report;
    assert.deepEqual(
      again.results.map((x) => x.id),
      ids[0],
      "the deal is deterministic",
    );
    const merged = await aioc(["merge", ...files]);
    assert.equal(merged.code, 0, merged.stderr);
    const m = JSON.parse(merged.stdout) as Report;
    assert.deepEqual(
      m.results.map((x) => x.id),
      full.results.map((x) => x.id),
    );
    assert.deepEqual(m.summary, full.summary);
    assert.equal(m.connection?.shard, undefined);
    const partial = await aioc(["merge", files[0]!]);
    assert.match(partial.stderr, /^aioc: warning: shard 2\/2 missing; the merge is partial$/m);
    const bad = await aioc(["probe", ...base, "--shard", "3/2"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^aioc: --shard must be i\/n with 1 ≤ i ≤ n/);
  });
});
