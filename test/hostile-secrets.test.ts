/**
 * Redaction, property style (issue #13 §1–3): a server leaks the key back in one spelling per run, at an offset
 * and a stream split that move from run to run across the clip points (120-character details, 40-character
 * tool-argument quotes, 80-character Location quotes, the 4 KiB body preview) and across SSE deltas. Every
 * output is checked by a leak detector written independently of the redactor: the table, JSON, Markdown, HTML
 * and JUnit reports, --verbose stderr, and render/gap/matrix of the saved report.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadRedactedReport } from "../src/commands/report-output.js";
import { diffReports } from "../src/gap/diff.js";
import { GAP_FORMATS } from "../src/gap/render.js";
import { renderReport } from "../src/render/index.js";
import { renderMatrix } from "../src/render/matrix.js";
import { runAiocChild } from "./helpers/hostile-server.js";
import { ENCODINGS, spell, startKeyEcho } from "./helpers/key-echo-server.js";

/** `/`, `+` and `=` make the encoded spellings differ from the raw one. */
const KEY = "sk-proj-Ab3/Cd+Ef=Gh0123456789WxYzQ-secretTail";
const SECRET = KEY.slice("sk-proj-".length);
/** Rows whose id or path matches: so every chat variant too (they go to the same routes). */
const ONLY = "^/v1/(models(/\\{model\\})?|embeddings|chat/completions)($|\\[)";

const scratch = mkdtempSync(join(tmpdir(), "aioc-secrets-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Undoes percent-encoding, HTML numeric entities and JSON/JS escapes, a few layers deep, and folds case. */
function normalise(text: string): string {
  let out = text;
  for (let i = 0; i < 4; i++) {
    const next = out
      .replace(/%([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16)))
      .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
      .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
      .replace(/&amp;/g, "&")
      .replace(/\\u([0-9a-f]{4})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16)))
      .replace(/\\([/\\"])/g, "$1");
    if (next === out) break;
    out = next;
  }
  return out.toLowerCase();
}

/** Every base64 run decoded at each alignment, so `base64("Bearer " + key)` shows as text. */
function base64Views(text: string): string[] {
  const views: string[] = [];
  for (const run of text.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []) {
    for (let shift = 0; shift < 4; shift++) {
      views.push(
        Buffer.from(run.slice(shift).replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("latin1"),
      );
    }
  }
  return views;
}

/** Fragments of 8 or more characters of the secret part found in `text`, in any spelling. */
function leaks(text: string): string[] {
  const haystacks = [normalise(text), ...base64Views(text).map((v) => v.toLowerCase())];
  const secret = SECRET.toLowerCase();
  const found = new Set<string>();
  for (let i = 0; i + 8 <= secret.length; i++) {
    const gram = secret.slice(i, i + 8);
    if (haystacks.some((h) => h.includes(gram))) found.add(gram);
  }
  return [...found];
}

describe("the key, spelled any way, at any clip point or stream split, reaches no output", {
  concurrency: 3,
}, () => {
  test("the leak detector finds every spelling, and cut pieces of 8 characters", () => {
    for (const encoding of ENCODINGS) {
      assert.notDeepEqual(leaks(`x ${spell(KEY, encoding)} y`), [], encoding);
    }
    assert.notDeepEqual(leaks(`${KEY.slice(0, 16)}…`), []);
    assert.deepEqual(leaks("sk-proj- [REDACTED] chat.completions"), []);
  });

  ENCODINGS.forEach((encoding, i) => {
    // Offsets sweep the 120-character detail clip (and, mod 40/80, the tool-argument and Location quotes);
    // the split point sweeps the spelled key.
    const offset = 70 + ((i * 37) % 60);
    const split = 1 + ((i * 11) % Math.max(2, spell(KEY, encoding).length - 4));
    test(`${encoding} (offset ${offset}, stream split at ${split})`, async () => {
      const server = await startKeyEcho({ encoding, offset, split });
      const outputs = new Map<string, string>();
      try {
        const dir = join(scratch, encoding);
        const reportFile = join(dir, "report.json");
        const run = await runAiocChild(
          ["probe", server.url, "--api-key", KEY, "--only", ONLY, "--format", "table", "--verbose"],
          { killAfterMs: 60_000 },
        );
        assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
        outputs.set("table stdout", run.stdout);
        outputs.set("verbose stderr", run.stderr);
        const files = await runAiocChild(
          ["probe", server.url, "--api-key", KEY, "--only", ONLY, "-q", "--format", "json", "--out-dir", dir],
          { killAfterMs: 60_000 },
        );
        outputs.set("json stdout", files.stdout);
        for (const f of readdirSync(dir)) outputs.set(`--out-dir ${f}`, readFileSync(join(dir, f), "utf8"));
        // render, gap and matrix of the saved report, with no key in the environment to redact it again.
        const report = loadRedactedReport(reportFile, {});
        for (const format of ["table", "json", "markdown", "html", "junit"]) {
          outputs.set(`render ${format}`, renderReport(report, format));
        }
        const diff = diffReports(report, report);
        for (const [format, render] of Object.entries(GAP_FORMATS))
          outputs.set(`gap ${format}`, render(diff));
        outputs.set("matrix markdown", renderMatrix([report], "markdown"));
        outputs.set("matrix html", renderMatrix([report], "html"));

        // Not vacuous: every leak site was served, and the redaction shows.
        for (const site of ["models", "location", "stream", "tool-args", "error-detail"]) {
          assert.ok(server.served.has(site), `${site} was never served`);
        }
        assert.match(outputs.get("json stdout")!, /\[REDACTED\]/);
        for (const [name, text] of outputs) assert.deepEqual(leaks(text), [], `${name} leaks the key`);
        // Structural fields intact: the rows asked for, under their own ids.
        const ids = new Set(report.results.map((r) => r.id));
        for (const id of [
          "/v1/models",
          "/v1/models/{model}",
          "/v1/embeddings",
          "/v1/chat/completions[tools]",
        ]) {
          assert.ok(ids.has(id), `${id} missing from ${[...ids].join(", ")}`);
        }
      } finally {
        await server.close();
      }
    });
  });
});
