/**
 * What a hostile server (or a hostile report file) can do to aioc's outputs: every string it controls carries
 * markup, Markdown breakers, XML-illegal characters, terminal escapes, workflow commands, a lone surrogate and
 * a very long token, and the key is echoed back. Each output keeps its shape: one Markdown row per result, XML
 * that a strict parser accepts, a terminal view with no control sequences and bounded lines, JSON that parses,
 * a recording with no raw C1/bidi characters, and no key anywhere.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SaxesParser } from "saxes";
import { slugify } from "../src/commands/probe-many.js";
import { renderReport } from "../src/render/index.js";
import { loadReport } from "../src/report/load.js";
import { runAiocChild } from "./helpers/hostile-server.js";
import { sampleReport } from "./helpers/sample-report.js";
import { startServeProxy } from "./helpers/serve-proxy.js";

const ESC = "\u001b";
const EVIL = [
  `<script>alert(1)</script></td>"><img src=x onerror=alert(1)>'`,
  `| a | b |\n# heading\n\`tick\` [x](javascript:alert(1)) <!-- ]]>`,
  `\u0000\u0007\b\r${ESC}[2J${ESC}]8;;http://evil.example${ESC}\\link${ESC}]8;;\u0007\u009b31m\u202eRTL\u2028`,
  "\ufffe\ud800x",
  "\n::add-mask::abc\n::error::injected\n",
].join("");
const KEY = "sk-outputs+Echo/Key=0123456789abcdefXYZ";
const LONG = "A".repeat(300_000);

/** C0 (but tab and newline), DEL, C1, line separators, bidi controls: nothing a terminal or editor acts on. */
const RAW_CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

function xmlError(xml: string): string | undefined {
  const parser = new SaxesParser();
  let error: string | undefined;
  parser.on("error", (e) => {
    error ??= e.message;
  });
  parser.write(xml).close();
  return error;
}

const outsideCode = (md: string) => md.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "CODE");

/** Every table row of a Markdown document has as many cells as its header. */
function brokenRows(md: string): string[] {
  const broken: string[] = [];
  let cells = -1;
  for (const line of md.split("\n")) {
    if (!line.startsWith("|")) {
      cells = -1;
      continue;
    }
    const n = outsideCode(line).replace(/\\\|/g, "").split("|").length;
    if (cells < 0) cells = n;
    else if (n !== cells) broken.push(line.slice(0, 120));
  }
  return broken;
}

function assertSafeMarkdown(md: string, what: string): void {
  assert.deepEqual(brokenRows(md), [], `${what}: a table row gained or lost cells`);
  const live = outsideCode(md);
  assert.ok(!/<(?!br>)[a-z/!?]/i.test(live), `${what}: raw HTML outside code spans`);
  assert.ok(!/(?<!\\)\]\((?!#[a-z0-9_-]+\))/.test(live), `${what}: a link other than an in-page anchor`);
  assert.ok(!RAW_CONTROL.test(md), `${what}: raw control character`);
  for (const line of md.split("\n")) {
    assert.ok(!line.startsWith("#") || /^(# aioc report: |## |### )/.test(line), `${what}: heading ${line}`);
  }
}

const poison = (x: unknown, key = ""): unknown => {
  if (typeof x === "string") {
    const structural = ["object", "type", "role", "finish_reason", "status", "arguments", "b64_json"];
    return structural.includes(key) ? x : `${x}${EVIL}`;
  }
  if (Array.isArray(x)) return x.map((v) => poison(v, key));
  if (x && typeof x === "object")
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, poison(v, k)]));
  return x;
};

describe("a server whose every string is hostile", { concurrency: 1 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), "aioc-outputs-"));
  const files = new Map<string, string>();
  let table: Awaited<ReturnType<typeof runAiocChild>>;
  let many: Awaited<ReturnType<typeof runAiocChild>>;

  before(async () => {
    // `aioc serve` behind a proxy that appends EVIL to every string it answers, lists extra models (the key,
    // a 300 KB id), echoes the Authorization header in error bodies and headers, and poisons SSE event names.
    const proxy = await startServeProxy(async (req, res, raw) => {
      const auth = String(raw.headers.authorization ?? "");
      if (raw.headers.upgrade) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `no realtime ${EVIL}`, type: "x" } }));
        return true;
      }
      const headers: Record<string, string> = {};
      for (const k of ["content-type", "accept", "openai-beta"]) {
        const v = raw.headers[k];
        if (typeof v === "string") headers[k] = v;
      }
      const answer = await fetch(new URL(raw.url ?? "/", proxy.upstream), {
        method: req.method,
        headers,
        body: req.method === "GET" ? undefined : new Uint8Array(req.body),
      });
      const type = answer.headers.get("content-type") ?? "";
      const bytes = Buffer.from(await answer.arrayBuffer());
      let body: Buffer | string = bytes;
      if (type.includes("json")) {
        try {
          const json = poison(JSON.parse(bytes.toString())) as Record<string, unknown>;
          const data = json.data;
          if (req.path.endsWith("/models") && Array.isArray(data)) {
            for (const id of [KEY, Buffer.from(KEY).toString("base64"), encodeURIComponent(KEY), `m${LONG}`])
              data.push({ id, object: "model", created: 0, owned_by: EVIL });
          }
          const error = json.error as { message?: string } | undefined;
          if (error) error.message = `${error.message} echo: ${auth}`;
          body = JSON.stringify(json);
        } catch {}
      } else if (type.includes("event-stream")) {
        body = bytes
          .toString()
          .split("\n")
          .map((line) => {
            if (line.startsWith("event: ")) return `${line}${EVIL.replace(/[\r\n]/g, " ")}`;
            if (!line.startsWith("data: {")) return line;
            return `data: ${JSON.stringify(poison(JSON.parse(line.slice(6))))}`;
          })
          .join("\n");
      }
      res.writeHead(answer.status, {
        "content-type": type,
        "x-echo": auth,
        "x-evil": "\u009b31m<script>|`[x](javascript:a)",
      });
      res.end(body);
      return true;
    });
    try {
      const base = ["probe", proxy.url, "--api-key", KEY, "--no-clients"];
      const record = join(scratch, "recording.json");
      const outDir = join(scratch, "out");
      table = await runAiocChild([...base, "-f", "table", "-v", "--record", record, "--out-dir", outDir]);
      files.set("table stdout", table.stdout);
      files.set("table stderr", table.stderr);
      files.set("recording", readFileSync(record, "utf8"));
      for (const f of readdirSync(outDir)) files.set(f, readFileSync(join(outDir, f), "utf8"));
      // --all-models: one report per advertised chat model, names from the server, a JSON array on stdout.
      many = await runAiocChild([
        ...base,
        "--depth",
        "quick",
        "--all-models",
        "--max-models",
        "2",
        "-f",
        "json",
      ]);
      files.set("all-models stdout", many.stdout);
      files.set("all-models stderr", many.stderr);
    } finally {
      await proxy.close();
    }
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test("the probe ends with a report and its summary line (a lone surrogate in a model id crashed it)", () => {
    assert.equal(table.code, 1, table.stderr.slice(-500));
    assert.match(table.stdout, /^\d+ PASS · \d+ WARN · \d+ FAIL · \d+ SKIP in /m);
    assert.ok(!/internal error/.test(table.stdout + table.stderr), table.stderr.slice(-500));
    const report = JSON.parse(files.get("report.json")!);
    assert.ok(JSON.stringify(report).includes("[REDACTED]"), "the echo reached aioc");
    assert.ok(report.models.chat.includes("<script>"), "the hostile model id was used");
  });

  test("no output holds the key", () => {
    for (const [name, text] of files) {
      for (const spelling of [
        KEY,
        encodeURIComponent(KEY),
        Buffer.from(KEY).toString("base64"),
        KEY.slice(3, 20),
      ])
        assert.ok(!text.includes(spelling), `${name} holds ${spelling}`);
    }
  });

  test("terminal output: no control sequence from the server, lines bounded (a 300 KB model id made a 2 MB line)", () => {
    for (const name of ["table stdout", "table stderr", "all-models stderr"]) {
      const text = files.get(name)!;
      assert.ok(!RAW_CONTROL.test(text), `${name}: ${JSON.stringify(RAW_CONTROL.exec(text)?.[0])}`);
      const longest = Math.max(...text.split("\n").map((l) => l.length));
      assert.ok(longest < 5000, `${name}: a line of ${longest} characters`);
      assert.ok(!/^\s*::/m.test(text), `${name}: a line a CI runner reads as a workflow command`);
    }
  });

  test("JSON outputs parse and carry no raw C1 or bidi characters (the recording and --all-models JSON did)", () => {
    for (const name of ["report.json", "recording", "all-models stdout"]) {
      const text = files.get(name)!;
      assert.doesNotThrow(() => JSON.parse(text), name);
      assert.ok(!RAW_CONTROL.test(text), `${name}: ${JSON.stringify(RAW_CONTROL.exec(text)?.[0])}`);
    }
    assert.ok(JSON.parse(files.get("all-models stdout")!).length >= 2, "several reports");
  });

  test("Markdown keeps one row per result; JUnit parses as XML", () => {
    assertSafeMarkdown(files.get("report.md")!, "report.md");
    assert.equal(xmlError(files.get("report.junit.xml")!), undefined);
    assert.ok(
      !RAW_CONTROL.test(files.get("report.junit.xml")!.replace(/[\r\n\t]/g, "")),
      "JUnit: bidi shown",
    );
  });
});

describe("a hostile report file", () => {
  const dir = mkdtempSync(join(tmpdir(), "aioc-hostile-report-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A sample report whose sections and enum-typed fields hold the wrong types and markup. */
  function hostileFile(): string {
    const r = JSON.parse(JSON.stringify(sampleReport())) as Record<string, unknown> & {
      results: Record<string, unknown>[];
    };
    r.results[0]!.kind = `core${EVIL}`;
    r.results[0]!.label = `protocol${EVIL}`;
    r.results[1]!.paramGrade = `accepted${EVIL}`;
    r.results[1]!.id = `/v1/chat/completions[param:x${EVIL}]`;
    r.clients = [
      {
        id: "x",
        name: `C${EVIL}`,
        basis: EVIL,
        verdict: `READY${EVIL}`,
        gaps: [],
        notProbed: [],
        judged: 1,
        sources: [],
      },
      {
        id: "y",
        name: `D${EVIL}`,
        basis: EVIL,
        verdict: "NOT READY",
        gaps: "nope",
        judged: "2",
        sources: EVIL,
      },
    ];
    r.declared = {
      source: { path: `/openapi.json${EVIL}`, bytes: `<b>${EVIL}`, openapi: "3.1" },
      openaiPaths: { declared: EVIL, total: 2 },
      catalogPaths: { declared: [EVIL], undeclared: EVIL },
      coverage: [{ group: `newgroup${EVIL}`, declared: `<img src=x onerror=alert(1)>`, total: 3 }],
      params: [{ path: EVIL, shared: EVIL, openai: 1, missing: [EVIL], extra: null }],
    };
    r.connection = { auth: EVIL, headers: EVIL, proxy: EVIL };
    r.scope = { rule: EVIL, text: EVIL, absent: "1" };
    const file = join(dir, "hostile.json");
    writeFileSync(file, JSON.stringify(r));
    return file;
  }

  test("renders in every format without crashing (declared with an unknown group crashed Markdown and HTML)", () => {
    const report = loadReport(hostileFile());
    for (const format of ["table", "markdown", "html", "junit", "json"])
      assert.doesNotThrow(() => renderReport(report, format), format);
  });

  test("the sections are read as their types: a number is a number, a verdict one of four", () => {
    const report = loadReport(hostileFile());
    assert.deepEqual(
      report.clients?.map((c) => c.verdict),
      ["NOT READY"],
    );
    assert.equal(report.declared?.coverage[0]?.declared, 0);
    assert.equal(report.declared?.source.bytes, 0);
    assert.equal(report.connection?.auth, "bearer");
    assert.deepEqual(report.connection?.headers, []);
    assert.equal(report.scope?.rule, "kind");
    assert.equal(report.results[1]?.paramGrade, undefined);
  });

  test("Markdown stays one row per result (kind, label and paramGrade were pasted raw)", () => {
    assertSafeMarkdown(renderReport(loadReport(hostileFile()), "markdown"), "markdown");
  });

  test("HTML gets no element or attribute from the file; JUnit parses", () => {
    const report = loadReport(hostileFile());
    const html = renderReport(report, "html");
    assert.ok(
      !/<img|<b>[^R]|onerror=alert\(1\)>/i.test(
        html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, ""),
      ),
    );
    assert.equal(xmlError(renderReport(report, "junit")), undefined);
  });

  test("the table shows no control character from the file (a client's verdict and basis were raw)", () => {
    const report = loadReport(hostileFile());
    report.clients = [{ ...report.clients![0]!, basis: EVIL as "run" }];
    const text = renderReport(report, "table");
    assert.ok(!RAW_CONTROL.test(text), JSON.stringify(RAW_CONTROL.exec(text)?.[0]));
  });

  test("merge --out-dir: a target named '..' stays inside the folder", () => {
    for (const name of ["..", ".", "../..", "...x"]) {
      const slug = slugify(name);
      assert.ok(!slug.startsWith("."), `${name} → ${slug}`);
    }
    const out = join(dir, "merged");
    const shard = JSON.parse(JSON.stringify(sampleReport()));
    shard.target.name = "..";
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    writeFileSync(a, JSON.stringify(shard));
    writeFileSync(
      b,
      JSON.stringify({ ...shard, target: { ...shard.target, name: "x", url: "http://other/v1" } }),
    );
    return runAiocChild(["merge", a, b, "--out-dir", out]).then((run) => {
      assert.equal(run.code, 0, run.stderr);
      assert.ok(!readdirSync(dir).includes("report.json"), "report.json written above --out-dir");
      assert.ok(statSync(join(out, "matrix.md")).isFile());
    });
  });
});
