/**
 * The LangChain JS and Python SDK rows (issue #14), judged on what the SDK returned: each PASSes against a
 * compliant server and FAILs where the SDK breaks or returns unusable data; the python runner keeps the key out of
 * argv and the environment, is killed at its deadline and cut at its output cap, and SKIPs saying how to enable it.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { PythonSession } from "../src/clients/openai-python.js";
import { runProbe } from "../src/probe/run.js";
import type { Report, Result } from "../src/report/types.js";
import { startServer } from "../src/serve/server.js";
import { type FakeOptions, startFake } from "./helpers/fake-openai.js";
import { NO_PYTHON, TEST_PYTHON } from "./helpers/python.js";
import { json, type ScriptedServer, sse, startScripted } from "./helpers/scripted-server.js";
import { startServeProxy } from "./helpers/serve-proxy.js";

const KEY = "sk-clients-sdks-test-key-4242";

async function probeUrl(url: string, only: RegExp, python?: string, apiKey?: string): Promise<Report> {
  return runProbe({
    baseUrl: url,
    apiKey,
    only,
    python,
    timeoutMs: 20_000,
    concurrency: 4,
    depth: "standard",
    maxBodyBytes: 1 << 20,
  });
}

async function probeFake(options: FakeOptions, only: RegExp, python?: string): Promise<Report> {
  const server = await startFake(options);
  try {
    return await probeUrl(server.url, only, python, options.apiKey);
  } finally {
    await server.close();
  }
}

function row(report: Report, id: string): Result {
  const r = report.results.find((x) => x.id === id);
  assert.ok(r, `no result for ${id}`);
  return r;
}

/** A server whose stream is not JSON, whose tool call has arguments that are not JSON, whose Responses is not one. */
function brokenServer(): Promise<ScriptedServer> {
  const completion = (message: object) => ({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "tiny-chat",
    choices: [
      { index: 0, message: { role: "assistant", ...message }, finish_reason: "stop", logprobs: null },
    ],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  });
  return startScripted({
    "GET /v1/models": (_q, res) =>
      json(res, 200, {
        object: "list",
        data: [{ id: "tiny-chat", object: "model", created: 1, owned_by: "t" }],
      }),
    "POST /v1/chat/completions": (_q, res, body) => {
      const req = JSON.parse(body.toString("utf8"));
      if (req.stream) return sse(res, ["{this is not json"]);
      if (req.tools) {
        const call = {
          id: "call_1",
          type: "function",
          function: { name: "get_weather", arguments: "{not json" },
        };
        return json(res, 200, completion({ content: null, tool_calls: [call] }));
      }
      return json(res, 200, completion({ content: "Hi." }));
    },
    "POST /v1/responses": (_q, res) => json(res, 200, { ...completion({ content: "Hi." }) }),
  });
}

describe("client:langchain rows", () => {
  test("PASS against a compliant server, one request each", async () => {
    const report = await probeFake({ apiKey: KEY }, /^client:langchain\//);
    for (const call of ["invoke", "stream", "tools", "embeddings"]) {
      const r = row(report, `client:langchain/${call}`);
      assert.equal(r.status, "PASS", `${call}: ${r.detail}`);
      assert.equal(r.requests, 1, call);
    }
  });

  test("FAIL where LangChain breaks: no choices, an ignored forced tool, floats for base64", async () => {
    const empty = await probeFake({ defects: ["choices-empty"] }, /^client:langchain\/invoke$/);
    assert.equal(row(empty, "client:langchain/invoke").status, "FAIL");
    assert.match(
      row(empty, "client:langchain/invoke").detail,
      /^langchain threw: TypeError: .* \(in invoke\)$/,
    );

    const ignored = await probeFake({ defects: ["ignore-tool-choice-named"] }, /^client:langchain\/tools$/);
    assert.equal(row(ignored, "client:langchain/tools").status, "FAIL");
    assert.match(
      row(ignored, "client:langchain/tools").detail,
      /tool_choice naming get_weather not enforced/,
    );

    const floats = await probeFake({ defects: ["base64-ignored"] }, /^client:langchain\/embeddings$/);
    assert.equal(row(floats, "client:langchain/embeddings").status, "FAIL");
    assert.match(row(floats, "client:langchain/embeddings").detail, /^encoding_format base64 ignored/);
  });

  test("a stream that is not JSON FAILs; tool arguments that are not JSON are the model's (WARN)", async () => {
    const server = await brokenServer();
    try {
      const report = await probeUrl(server.url, /^client:langchain\/(stream|tools)$/);
      assert.equal(row(report, "client:langchain/stream").status, "FAIL");
      assert.match(row(report, "client:langchain/stream").detail, /^langchain threw: /);
      const tools = row(report, "client:langchain/tools");
      assert.equal(tools.status, "WARN", tools.detail);
      assert.match(tools.detail, /\(model behaviour\)/);
    } finally {
      await server.close();
    }
  });
});

describe("client:openai-python rows", { skip: NO_PYTHON }, () => {
  test("PASS against aioc serve; the key reaches the server, not the report", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1", apiKey: KEY });
    try {
      const report = await probeUrl(server.url, /^client:openai-python\//, TEST_PYTHON, KEY);
      for (const call of ["chat", "chat.stream", "tools", "responses", "embeddings"]) {
        const r = row(report, `client:openai-python/${call}`);
        assert.equal(r.status, "PASS", `${call}: ${r.detail}`);
        assert.match(r.detail, /\(python, 1 request straight to the target\)$/);
        assert.equal(r.requests, 0, "python's requests are not aioc's");
      }
      assert.ok(!JSON.stringify(report).includes(KEY), "the key is not in the report");
    } finally {
      await server.close();
    }
  });

  test("FAIL where the SDK returns unusable data: no choices, an ignored forced tool, floats for base64", async () => {
    const empty = await probeFake(
      { defects: ["choices-empty"] },
      /^client:openai-python\/chat$/,
      TEST_PYTHON,
    );
    assert.equal(row(empty, "client:openai-python/chat").status, "FAIL");
    assert.match(row(empty, "client:openai-python/chat").detail, /^returned choices: \[\] \(no answer\)/);

    const ignored = await probeFake(
      { defects: ["ignore-tool-choice-named"] },
      /^client:openai-python\/tools$/,
      TEST_PYTHON,
    );
    assert.match(
      row(ignored, "client:openai-python/tools").detail,
      /tool_choice naming get_weather not enforced/,
    );
    assert.equal(row(ignored, "client:openai-python/tools").status, "FAIL");

    const floats = await probeFake(
      { defects: ["base64-ignored"] },
      /^client:openai-python\/embeddings$/,
      TEST_PYTHON,
    );
    assert.equal(row(floats, "client:openai-python/embeddings").status, "FAIL");
    assert.match(row(floats, "client:openai-python/embeddings").detail, /^encoding_format base64 ignored/);
  });

  test("a Response the server failed, or whose text is not typed output_text, is the server's doing, not the model's", async () => {
    const response = (extra: Record<string, unknown>) => ({
      id: "resp_1",
      object: "response",
      created_at: 1,
      model: "aioc-chat",
      status: "completed",
      error: null,
      output: [],
      ...extra,
    });
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { status: "failed", error: { code: "server_error", message: "model crashed" } },
        /^the server failed the response \(status "failed"\): server_error: model crashed/,
      ],
      [
        {
          output: [
            {
              type: "message",
              id: "m1",
              role: "assistant",
              status: "completed",
              content: [{ type: "text", text: "hi" }],
            },
          ],
        },
        /^output_text is empty: the message's text is in a content part typed "text", not "output_text"/,
      ],
    ];
    for (const [extra, detail] of cases) {
      const proxy = await startServeProxy((req, res) => {
        if (req.method !== "POST" || req.path !== "/v1/responses") return false;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(response(extra)));
        return true;
      });
      try {
        const report = await probeUrl(proxy.url, /^client:openai-(python|node)\/responses$/, TEST_PYTHON);
        for (const sdk of ["python", "node"]) {
          const r = row(report, `client:openai-${sdk}/responses`);
          assert.equal(r.status, "FAIL", `${sdk}: ${r.detail}`);
          assert.match(r.detail, detail, sdk);
        }
      } finally {
        await proxy.close();
      }
    }
  });

  test("FAIL where the SDK raises or the answer is not what was asked: a broken stream, a Responses that is not one", async () => {
    const server = await brokenServer();
    try {
      const report = await probeUrl(
        server.url,
        /^client:openai-python\/(chat\.stream|responses)$/,
        TEST_PYTHON,
      );
      const stream = row(report, "client:openai-python/chat.stream");
      assert.equal(stream.status, "FAIL", stream.detail);
      assert.match(stream.detail, /^openai-python raised /);
      const responses = row(report, "client:openai-python/responses");
      assert.equal(responses.status, "FAIL", responses.detail);
      // The SDK itself breaks on it (output_text walks an output that is not there).
      assert.match(responses.detail, /^openai-python raised TypeError: /);
    } finally {
      await server.close();
    }
  });
});

describe("the python runner", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "aioc-python-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A fake `python`: a shell script standing in for the interpreter. */
  const fakePython = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  test("SKIP with how to enable it when the python has no openai package or does not exist", async () => {
    const server = await startFake({});
    try {
      const none = await probeUrl(server.url, /^client:openai-python\/chat$/, join(dir, "no-such-python"));
      const r = row(none, "client:openai-python/chat");
      assert.equal(r.status, "SKIP");
      assert.match(
        r.detail,
        /^not run: cannot start .*no-such-python.*; needs python3 with the openai package/,
      );
      assert.match(r.detail, /--python PATH/);
      const bare = fakePython(
        "bare",
        'echo \'{"ok": false, "unavailable": "ModuleNotFoundError: No module named openai"}\'',
      );
      const skipped = row(
        await probeUrl(server.url, /^client:openai-python\/chat$/, bare),
        "client:openai-python/chat",
      );
      assert.equal(skipped.status, "SKIP");
      assert.match(skipped.detail, /No module named openai; needs python3 with the openai package/);
    } finally {
      await server.close();
    }
  });

  test("a python without the SDK is started once per run, not once per row", async () => {
    const server = await startFake({});
    const starts = join(dir, "starts.txt");
    try {
      const counted = fakePython(
        "counted",
        `echo start >> ${starts}\nsleep 0.2\necho '{"ok": false, "unavailable": "ModuleNotFoundError: No module named openai"}'`,
      );
      const report = await probeUrl(server.url, /^client:openai-python\//, counted);
      const rows = report.results.filter((r) => r.id.startsWith("client:openai-python/"));
      assert.equal(rows.length, 5);
      for (const r of rows) assert.match(r.detail, /^not run: .*No module named openai/, r.id);
      assert.equal(readFileSync(starts, "utf8").trim().split("\n").length, 1);
    } finally {
      await server.close();
    }
  });

  test("one python answers every row of a run, each call on its own line", async () => {
    const server = await startFake({});
    const starts = join(dir, "multi-starts.txt");
    try {
      const multi = fakePython(
        "multi",
        `echo start >> ${starts}\necho '{"ready": true}'\nwhile read -r line; do\n  id=$(echo "$line" | sed 's/.*"id":\\([0-9]*\\)}$/\\1/')\n  echo "{\\"id\\": $id, \\"ok\\": false, \\"error\\": \\"BoomError: call $id\\", \\"requests\\": 0, \\"status\\": null}"\ndone`,
      );
      const report = await probeUrl(server.url, /^client:openai-python\//, multi);
      const rows = report.results.filter((r) => r.id.startsWith("client:openai-python/"));
      assert.equal(rows.length, 5);
      for (const r of rows) assert.match(r.detail, /^openai-python raised BoomError: call \d/, r.id);
      assert.equal(new Set(rows.map((r) => r.detail.split(" (")[0])).size, 5, "each row got its own answer");
      assert.equal(readFileSync(starts, "utf8").trim().split("\n").length, 1);
    } finally {
      await server.close();
    }
  });

  test("the key goes on stdin only: never in argv nor in the child's environment", async () => {
    const seen = join(dir, "seen.txt");
    process.env.AIOC_TEST_PARENT_SECRET = "parent-env-secret-value";
    try {
      const spy = fakePython(
        "spy",
        `{ echo "argv: $0 $*"; env; } > ${seen}\necho '{"ready": true}'\nread -r line\necho "$line" >> ${seen}\necho '{"id": 0, "ok": true, "value": {"chunks": 1, "text": "hi"}, "requests": 1, "status": 200}'`,
      );
      const session = new PythonSession(spy, 10_000);
      const out = await session.call({ apiKey: KEY, call: "chat.stream" }, 10_000);
      session.close();
      assert.ok("out" in out && out.out.ok, JSON.stringify(out));
      const text = readFileSync(seen, "utf8");
      const [before, stdin] = [text.slice(0, text.lastIndexOf("{")), text.slice(text.lastIndexOf("{"))];
      assert.ok(!before.includes(KEY), "not in argv or the environment");
      assert.ok(stdin.includes(KEY), "on stdin");
      assert.ok(!before.includes("parent-env-secret-value"), "the parent's environment is not passed on");
    } finally {
      delete process.env.AIOC_TEST_PARENT_SECRET;
    }
  });

  test("killed at its deadline, cut at its output cap", async () => {
    const slow = fakePython("slow", "exec sleep 30");
    const t0 = Date.now();
    const late = await new PythonSession(slow, 300).call({}, 300);
    assert.ok(
      "broken" in late && /did not start the python SDK within 0 s \(killed\)/.test(late.broken),
      JSON.stringify(late),
    );
    assert.ok(Date.now() - t0 < 5000);
    const hangs = fakePython("hangs", "echo '{\"ready\": true}'\nexec sleep 30");
    const stuckSession = new PythonSession(hangs, 5000);
    const stuck = await stuckSession.call({}, 300);
    stuckSession.close();
    assert.ok(
      "broken" in stuck && /the python SDK call did not finish/.test(stuck.broken),
      JSON.stringify(stuck),
    );
    const loud = fakePython("loud", "echo '{\"ready\": true}'\nhead -c 6000000 /dev/zero | tr '\\\\0' x");
    const capped = await new PythonSession(loud, 5000).call({}, 5000);
    assert.ok(
      "broken" in capped && /printed over \d+ bytes \(killed\)/.test(capped.broken),
      JSON.stringify(capped),
    );
  });

  test("what python prints is scrubbed of the key", async () => {
    const server = await startFake({});
    try {
      const echo = fakePython(
        "echo-key",
        `echo '{"ready": true}'\nread -r line\necho '{"id": 0, "ok": false, "error": "APIStatusError: bad key ${KEY}", "requests": 1, "status": 401}'`,
      );
      const report = await probeUrl(server.url, /^client:openai-python\/chat$/, echo, KEY);
      const r = row(report, "client:openai-python/chat");
      assert.equal(r.status, "FAIL");
      assert.match(r.detail, /^openai-python raised APIStatusError: bad key \[REDACTED\]/);
      assert.ok(!JSON.stringify(report).includes(KEY));
    } finally {
      await server.close();
    }
  });
});
