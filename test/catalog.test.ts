/**
 * The catalog (src/catalog/endpoints.ts) against the original canonical-surface page, the generated
 * docs/canonical-surface.md, and what `aioc spec` prints.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ENDPOINTS, type Endpoint, endpointsIn, GROUPS } from "../src/catalog/endpoints.js";
import { canonicalSurfaceDoc, catalogMarkdown } from "../src/catalog/render.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The 19 rows of the original canonical-surface page (/work/shared/seed-canonical-surface.txt), as written there:
 * variants read `/v1/chat/completions (stream)` and are catalogued as id `/v1/chat/completions[stream]`.
 */
const SEED_ROWS: readonly (readonly [label: string, method: string, kind: string])[] = [
  ["/v1/models", "GET", "core"],
  ["/v1/models/{model}", "GET", "core"],
  ["/v1/chat/completions", "POST", "core"],
  ["/v1/chat/completions (stream)", "POST", "core"],
  ["/v1/completions", "POST", "ext"],
  ["/v1/responses", "POST", "ext"],
  ["/v1/audio/speech", "POST", "core"],
  ["/v1/audio/transcriptions", "POST", "core"],
  ["/v1/audio/translations", "POST", "ext"],
  ["/v1/images/generations", "POST", "core"],
  ["/v1/images/edits", "POST", "core"],
  ["/v1/images/variations", "POST", "ext"],
  ["/v1/videos", "POST", "ours"],
  ["/v1/videos/{id}", "GET", "ours"],
  ["/v1/videos/{id}/content", "GET", "ours"],
  ["/v1/embeddings", "POST", "core"],
  ["/v1/files", "GET", "ext"],
  ["/v1/fine_tuning/jobs", "GET", "ext"],
  ["/v1/moderations", "POST", "ext"],
];

/** `/v1/chat/completions (stream)` → path `/v1/chat/completions`, id `/v1/chat/completions[stream]`. */
function fromLabel(label: string): { id: string; path: string } {
  const m = /^(\S+) \(([^)]+)\)$/.exec(label);
  return m ? { id: `${m[1]}[${m[2]}]`, path: m[1]! } : { id: label, path: label };
}

function locateSeed(): { path?: string; tried: string[] } {
  const tried = [
    join(REPO, "..", "shared", "seed-canonical-surface.txt"),
    "/work/shared/seed-canonical-surface.txt",
  ].map((p) => resolve(p));
  return { path: tried.find((p) => existsSync(p)), tried };
}

/** Table rows of the seed page: `<path>[ (<variant>)] <METHOD> <kind> <notes>`. */
function parseSeed(text: string): [string, string, string][] {
  const rows: [string, string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(\/\S+(?: \([^)]+\))?)\s+(GET|POST|PUT|PATCH|DELETE)\s+(core|ext|ours)\b/.exec(line);
    if (m) rows.push([m[1]!, m[2]!, m[3]!]);
  }
  return rows;
}

function checkSeedRows(rows: readonly (readonly [string, string, string])[]): string[] {
  const problems: string[] = [];
  for (const [label, method, kind] of rows) {
    const { id, path } = fromLabel(label);
    const e = ENDPOINTS.find((x) => x.id === id);
    if (!e) {
      problems.push(`${label}: no catalog row with id ${id}`);
      continue;
    }
    const got = `${e.path} ${e.method} ${e.kind}`;
    const want = `${path} ${method} ${kind}`;
    if (got !== want) problems.push(`${label}: catalog has "${got}", seed page has "${want}"`);
    if (!e.seed) problems.push(`${label}: catalog row ${id} is not flagged seed: true`);
  }
  return problems;
}

describe("catalog", () => {
  test("docs/canonical-surface.md is the generated text", () => {
    const file = join(REPO, "docs", "canonical-surface.md");
    const actual = existsSync(file) ? readFileSync(file, "utf8") : "(missing)";
    assert.ok(
      actual === canonicalSurfaceDoc(ENDPOINTS),
      "docs/canonical-surface.md is stale: run npm run gen:docs",
    );
  });

  test("every row of the seed page is in the catalog with the same path, method and kind", () => {
    assert.equal(SEED_ROWS.length, 19);
    assert.deepEqual(checkSeedRows(SEED_ROWS), []);
    const seeded = ENDPOINTS.filter((e) => e.seed).map((e) => e.id);
    assert.deepEqual(
      seeded.sort(),
      SEED_ROWS.map(([label]) => fromLabel(label).id).sort(),
      "seed: true rows",
    );
  });

  test("the seed page itself, when reachable, agrees with the hard-coded rows", (t) => {
    const { path, tried } = locateSeed();
    if (!path) {
      t.skip(`seed-canonical-surface.txt not found: tried ${tried.join(", ")}`);
      return;
    }
    const parsed = parseSeed(readFileSync(path, "utf8"));
    assert.deepEqual(parsed, SEED_ROWS, `rows parsed from ${path}`);
    assert.deepEqual(checkSeedRows(parsed), []);
  });

  test("ids are unique and every row not on the seed page says what it adds", () => {
    const ids = ENDPOINTS.map((e) => e.id);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    assert.deepEqual(dupes, [], "duplicate ids");
    const unexplained = ENDPOINTS.filter((e) => !e.seed && !e.notes.startsWith("Added:")).map((e) => e.id);
    assert.deepEqual(unexplained, [], 'non-seed rows whose note does not start with "Added:"');
  });
});

describe("aioc spec", () => {
  const bin = join(REPO, "bin", "aioc.js");
  const built = existsSync(join(REPO, "dist", "cli.js"));
  const spec = (...args: string[]) =>
    spawnSync(process.execPath, [bin, "spec", ...args], { cwd: REPO, encoding: "utf8", timeout: 30_000 });
  const pick = (e: Pick<Endpoint, "id" | "path" | "method" | "group" | "kind" | "notes">) => ({
    id: e.id,
    path: e.path,
    method: e.method,
    group: e.group,
    kind: e.kind,
    notes: e.notes,
  });

  test("dist is built (npm run build)", () => {
    assert.ok(built, "dist/cli.js is missing: run npm run build before these tests");
  });

  test("--json prints every row with path, method, group, kind and notes", { skip: !built }, () => {
    const out = spec("--json");
    assert.equal(out.status, 0, out.stderr);
    const rows = JSON.parse(out.stdout) as Endpoint[];
    assert.ok(Array.isArray(rows));
    for (const r of rows) {
      for (const key of ["path", "method", "group", "kind", "notes"] as const) {
        assert.equal(typeof r[key], "string", `${r.id}: ${key}`);
      }
    }
    assert.deepEqual(rows.map(pick), ENDPOINTS.map(pick));
  });

  test("--group audio prints only the audio rows", { skip: !built }, () => {
    const out = spec("--group", "audio", "--json");
    assert.equal(out.status, 0, out.stderr);
    const rows = JSON.parse(out.stdout) as Endpoint[];
    assert.ok(rows.length > 0);
    assert.deepEqual(rows.map(pick), endpointsIn("audio").map(pick));
    assert.ok(rows.every((r) => r.group === "audio"));
  });

  test("--markdown prints catalogMarkdown", { skip: !built }, () => {
    const out = spec("--markdown");
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.stdout, catalogMarkdown(ENDPOINTS));
  });

  test("the start-up fast path and commander give the same output for the same flags", {
    skip: !built,
  }, () => {
    // `--debug` before the command sends the same invocation through commander (cli.ts's fast path takes only `spec …`).
    const viaCommander = (...args: string[]) =>
      spawnSync(process.execPath, [bin, "--debug", "spec", ...args], {
        cwd: REPO,
        encoding: "utf8",
        timeout: 30_000,
      });
    for (const args of [[], ["--group=chat,audio", "-f", "json"], ["-fmarkdown"], ["--json", "--markdown"]]) {
      const fast = spec(...args);
      const slow = viaCommander(...args);
      assert.equal(fast.status, 0, fast.stderr);
      assert.equal(fast.stdout, slow.stdout, args.join(" "));
      assert.equal(fast.stderr, slow.stderr, args.join(" "));
    }
  });

  test("an unknown group exits 2 with one line and no stack trace", { skip: !built }, () => {
    const out = spec("--group", "nonsense");
    assert.equal(out.status, 2);
    assert.equal(out.stdout, "");
    const lines = out.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, `stderr: ${out.stderr}`);
    assert.match(lines[0]!, /unknown group "nonsense"/);
    for (const g of GROUPS) assert.ok(lines[0]!.includes(g), `error names the group ${g}`);
    assert.doesNotMatch(out.stderr, /^\s+at /m);
  });
});
