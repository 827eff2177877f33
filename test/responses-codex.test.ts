/**
 * [codex-stream] and [codex-tools]: the Responses stream read as Codex CLI reads it (checks/responses-codex.ts).
 * Each case is `aioc serve` behind a proxy that alters the Responses stream in one way; status AND reason asserted.
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, describe, test } from "node:test";
import { runProbe } from "../src/probe/run.js";
import { byId } from "./helpers/results.js";
import { type ProxiedRequest, type ServeProxy, startServeProxy } from "./helpers/serve-proxy.js";

type Json = Record<string, unknown>;
/** The stream's events, altered, or an error answer instead of the stream. */
type EditEvents = (events: Json[], req: ProxiedRequest) => Json[] | { status: number; body: Json };

const ROWS = /^(\/v1\/models|\/v1\/responses(\[(stream|tools-stream|codex-stream|codex-tools)\])?)$/;
const isStream = (req: ProxiedRequest) =>
  req.method === "POST" && req.path === "/v1/responses" && req.json?.stream === true;
const withTools = (req: ProxiedRequest) => Array.isArray(req.json?.tools);

/** aioc serve, with the events of its Responses streams passed through `edit`. */
async function editedServer(edit: EditEvents, quirks?: string[]): Promise<ServeProxy> {
  let upstream = "";
  const proxy = await startServeProxy(async (req, res: ServerResponse) => {
    if (!isStream(req)) return false;
    const up = await fetch(`${upstream}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Uint8Array(req.body),
    });
    const events = (await up.text())
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => JSON.parse(l.slice(6)) as Json);
    const edited = edit(events, req);
    if (!Array.isArray(edited)) {
      res.writeHead(edited.status, { "content-type": "application/json" });
      res.end(JSON.stringify(edited.body));
      return true;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(edited.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join(""));
    return true;
  }, quirks);
  upstream = proxy.upstream;
  return proxy;
}

const probe = (url: string) =>
  runProbe({
    baseUrl: url,
    only: ROWS,
    depth: "standard",
    timeoutMs: 5000,
    concurrency: 4,
    maxBodyBytes: 1 << 20,
  });

const completedResponse = (e: Json) => e.response as Json;
const onCompleted =
  (edit: (r: Json) => Json): EditEvents =>
  (events) =>
    events.map((e) => (e.type === "response.completed" ? { ...e, response: edit(completedResponse(e)) } : e));
const onCallItem =
  (edit: (item: Json) => Json): EditEvents =>
  (events, req) =>
    !withTools(req)
      ? events
      : events.map((e) =>
          e.type === "response.output_item.done" && (e.item as Json).type === "function_call"
            ? { ...e, item: edit(e.item as Json) }
            : e,
        );

interface Case {
  name: string;
  edit: EditEvents;
  quirks?: string[];
  row: string;
  status: "PASS" | "WARN" | "FAIL";
  detail: RegExp;
}

const CASES: Case[] = [
  {
    name: "no response.output_item.done: Codex records no answer",
    edit: (events) => events.filter((e) => e.type !== "response.output_item.done"),
    row: "/v1/responses[codex-stream]",
    status: "FAIL",
    detail:
      /message item never came as a response\.output_item\.done, the only place Codex reads items from: the answer is not recorded/,
  },
  {
    name: "the stream stops before response.completed",
    edit: (events) => events.filter((e) => e.type !== "response.completed"),
    row: "/v1/responses[codex-stream]",
    status: "FAIL",
    detail: /^no response\.completed: Codex fails the turn with "stream closed before response\.completed"/,
  },
  {
    name: "response.failed",
    edit: (events) =>
      events.map((e) => (e.type === "response.completed" ? { ...e, type: "response.failed" } : e)),
    row: "/v1/responses[codex-stream]",
    status: "FAIL",
    detail: /^the stream ends with response\.failed: Codex reports it as the turn's error/,
  },
  {
    name: "response.completed without an id",
    edit: onCompleted(({ id: _id, ...rest }) => rest),
    row: "/v1/responses[codex-stream]",
    status: "FAIL",
    detail: /does not parse as Codex's ResponseCompleted \(response has no string id\)/,
  },
  {
    name: "usage without total_tokens",
    edit: onCompleted((r) => {
      const { total_tokens: _t, ...usage } = r.usage as Json;
      return { ...r, usage };
    }),
    row: "/v1/responses[codex-stream]",
    status: "FAIL",
    detail: /usage\.total_tokens is .*not an integer/,
  },
  {
    name: "usage details without cached_tokens",
    edit: onCompleted((r) => ({ ...r, usage: { ...(r.usage as Json), input_tokens_details: {} } })),
    row: "/v1/responses[codex-stream]",
    status: "FAIL",
    detail: /usage\.input_tokens_details\.cached_tokens is missing or not an integer/,
  },
  {
    name: "a message item without role is dropped",
    edit: (events) =>
      events.map((e) => {
        if (e.type !== "response.output_item.done") return e;
        const { role: _r, ...item } = e.item as Json;
        return { ...e, item };
      }),
    row: "/v1/responses[codex-stream]",
    status: "FAIL",
    detail: /the message has no role; Codex drops the item/,
  },
  {
    name: "a refusal part: Codex drops it, but the refusal is the model's",
    edit: (events) =>
      events.map((e) =>
        e.type === "response.output_item.done"
          ? { ...e, item: { ...(e.item as Json), content: [{ type: "refusal", refusal: "no" }] } }
          : e,
      ),
    row: "/v1/responses[codex-stream]",
    status: "WARN",
    detail: /a content part of type "refusal", which Codex's ContentItem does not know/,
  },
  {
    name: "openai-node's helper breaks on response.created without output, Codex does not",
    edit: (events) =>
      events.map((e) => {
        if (e.type !== "response.created") return e;
        const { output: _o, ...response } = e.response as Json;
        return { ...e, response };
      }),
    row: "/v1/responses[codex-stream]",
    status: "PASS",
    detail: /^200 · 1 item\(s\) as Codex reads them$/,
  },
  {
    name: "the streamed request fails with a 500 (Portkey 1.15.2 in the field lab): Codex fails with it",
    edit: () => ({ status: 500, body: { status: "failure", message: "Something went wrong" } }),
    row: "/v1/responses[codex-stream]",
    status: "FAIL",
    detail: /^the streamed request failed \(500 — .*\): Codex streams every turn$/,
  },
  {
    name: "arguments as an object",
    edit: onCallItem((item) => ({ ...item, arguments: { city: "x" } })),
    row: "/v1/responses[codex-tools]",
    status: "FAIL",
    detail: /the function_call's arguments is .*, not a string; Codex drops the item/,
  },
  {
    name: "no call_id",
    edit: onCallItem(({ call_id: _c, ...item }) => item),
    row: "/v1/responses[codex-tools]",
    status: "FAIL",
    detail: /the function_call's call_id is .*, not a string/,
  },
  {
    name: "a server that ignores the forced tool_choice proves nothing about Codex, which sends auto",
    edit: (events) => events,
    quirks: ["responses-tool-choice-named-ignored"],
    row: "/v1/responses[codex-tools]",
    status: "WARN",
    detail:
      /^inconclusive: the answer to the forced tool_choice holds no function call, so Codex's tool path is unproven here/,
  },
];

describe("Codex CLI's reading of the Responses stream", () => {
  const servers: ServeProxy[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));

  test("aioc serve: both rows PASS", async () => {
    const server = await editedServer((events) => events);
    servers.push(server);
    const report = await probe(server.url);
    const stream = byId(report, "/v1/responses[codex-stream]");
    const tools = byId(report, "/v1/responses[codex-tools]");
    assert.equal(stream.status, "PASS", stream.detail);
    assert.equal(tools.status, "PASS", tools.detail);
    assert.equal(tools.detail, "200 · a get_weather call Codex can run");
  });

  for (const c of CASES) {
    test(`${c.row}: ${c.name}`, async () => {
      const server = await editedServer(c.edit, c.quirks);
      servers.push(server);
      const r = byId(await probe(server.url), c.row);
      assert.equal(r.status, c.status, r.detail);
      assert.match(r.detail, c.detail);
    });
  }
});
