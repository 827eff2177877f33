/**
 * The Responses API in depth (issue #14): every new row PASSes against `aioc serve`, and each check catches its
 * defect. A defect is `aioc serve` behind a loopback proxy (helpers/serve-proxy.ts) that forwards a request and
 * alters the answer (or the request) in exactly one way; each case asserts the status AND the reason.
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, test } from "node:test";
import { runProbe } from "../src/probe/run.js";
import type { Report } from "../src/report/types.js";
import { startServer } from "../src/serve/server.js";
import { byId } from "./helpers/results.js";
import {
  type Intercept,
  type ProxiedRequest,
  type ServeProxy,
  startServeProxy,
} from "./helpers/serve-proxy.js";

type Json = Record<string, unknown>;

const NEW_ROWS = [
  "/v1/responses[store]",
  "/v1/responses[input_items]",
  "/v1/responses[delete]",
  "/v1/responses[no-store]",
  "/v1/responses[previous_response_id]",
  "/v1/responses[tools]",
  "/v1/responses[tool-result]",
  "/v1/responses[tools-stream]",
  "/v1/responses[json_schema]",
  "/v1/responses[incomplete]",
  "/v1/responses[stream-forensics]",
  "/v1/responses/compact",
  "/v1/conversations",
  "/v1/uploads",
  "client:openai-node/responses.stream",
  "client:openai-node/responses.tools",
];

const only = (...ids: string[]) =>
  new RegExp(`^(${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`);

const probe = (url: string, ids: string[]) =>
  runProbe({
    baseUrl: url,
    only: only(...ids),
    depth: "deep",
    timeoutMs: 5000,
    concurrency: 4,
    maxBodyBytes: 1 << 20,
  });

/** Forwards the request (its JSON body replaced by `json` when given) to `aioc serve` and returns the answer. */
async function forward(proxy: ServeProxy, req: ProxiedRequest, json?: Json) {
  const res = await fetch(new URL(req.path, proxy.upstream), {
    method: req.method,
    headers: { "content-type": "application/json" },
    body:
      req.method === "GET" || req.method === "DELETE"
        ? undefined
        : json
          ? JSON.stringify(json)
          : new Uint8Array(req.body),
  });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
}

function send(res: ServerResponse, status: number, body: unknown, contentType = "application/json") {
  res.writeHead(status, { "content-type": contentType });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

type Edit = (proxy: ServeProxy, req: ProxiedRequest, res: ServerResponse) => Promise<boolean>;

/** Alters the JSON answer of matching requests. */
const json =
  (
    match: (req: ProxiedRequest) => boolean,
    edit: (body: Json, req: ProxiedRequest) => Json,
    sentAs?: (j: Json) => Json,
  ): Edit =>
  async (proxy, req, res) => {
    if (!match(req)) return false;
    const up = await forward(proxy, req, sentAs && req.json ? sentAs(req.json) : undefined);
    send(res, up.status, up.status === 200 ? edit(JSON.parse(up.text) as Json, req) : up.text);
    return true;
  };

/** Alters the events of a matching stream. */
const events =
  (match: (req: ProxiedRequest) => boolean, edit: (events: Json[]) => Json[]): Edit =>
  async (proxy, req, res) => {
    if (!match(req) || req.json?.stream !== true) return false;
    const up = await forward(proxy, req);
    const frames = up.text
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => JSON.parse(l.slice(6)) as Json);
    send(
      res,
      200,
      edit(frames)
        .map((e) => `data: ${JSON.stringify(e)}\n\n`)
        .join(""),
      "text/event-stream",
    );
    return true;
  };

const post = (req: ProxiedRequest) => req.method === "POST" && req.path === "/v1/responses";
const retrieve = (req: ProxiedRequest) =>
  req.method === "GET" && /^\/v1\/responses\/resp_[^/]+$/.test(req.path);
const withTools = (req: ProxiedRequest) =>
  post(req) && Array.isArray(req.json?.tools) && req.json?.tool_choice !== undefined;
const without = (j: Json, ...keys: string[]) =>
  Object.fromEntries(Object.entries(j).filter(([k]) => !keys.includes(k)));
const output = (body: Json) => body.output as Json[];

const failure = { code: "server_error", message: "model crashed" };
const errorEvent = (n: number) => ({ type: "error", ...failure, param: null, sequence_number: n });
/** created and in_progress, then the failure. */
const failedStream = (es: Json[]) => [
  ...es.slice(0, 2),
  {
    type: "response.failed",
    sequence_number: 2,
    response: { ...(es[0]!.response as Json), status: "failed", error: failure },
  },
];
const errorStream = (es: Json[]) => [...es.slice(0, 2), errorEvent(2)];

interface Case {
  name: string;
  row: string;
  edit: Edit;
  status: "PASS" | "WARN" | "FAIL";
  detail: RegExp;
}

const CASES: Case[] = [
  {
    name: "GET returns another output",
    row: "/v1/responses[store]",
    edit: json(retrieve, (b) => ({ ...b, output: [] })),
    status: "FAIL",
    detail: /^the retrieved response's output differs from the one returned when it was created/,
  },
  {
    name: "stored responses are not retrievable",
    row: "/v1/responses[store]",
    edit: async (_p, req, res) => {
      if (!retrieve(req)) return false;
      send(res, 404, {
        error: { message: "File Not Found", type: "not_found_error", param: null, code: null },
      });
      return true;
    },
    status: "WARN",
    // The row's own reason is "store: true accepted but the response is not retrievable (GET → 404)".
    detail: /^the Responses API is stateless: .* — known: llama\.cpp, Ollama$/,
  },
  {
    // Ollama v0.17.4's bytes (field lab): GET is not routed, a text/plain 404. The row's own deviation leads; the
    // non-envelope body is a deviation any route may show, counted in "+1 more".
    name: "stored responses are not retrievable, the 404 is plain text (Ollama)",
    row: "/v1/responses[store]",
    edit: async (_p, req, res) => {
      if (!retrieve(req)) return false;
      send(res, 404, "404 page not found", "text/plain");
      return true;
    },
    status: "WARN",
    detail: /^the Responses API is stateless: .* — known: llama\.cpp, Ollama \(\+1 more\)$/,
  },
  {
    name: "input_items lists nothing",
    row: "/v1/responses[input_items]",
    edit: json(
      (req) => req.method === "GET" && req.path.endsWith("/input_items"),
      (b) => ({ ...b, data: [] }),
    ),
    status: "FAIL",
    detail: /^input_items does not list the input the response was created with/,
  },
  {
    name: "DELETE deletes nothing",
    row: "/v1/responses[delete]",
    edit: async (_p, req, res) => {
      if (req.method !== "DELETE") return false;
      send(res, 200, {});
      return true;
    },
    status: "FAIL",
    detail: /^the response was deleted, yet GET returns it/,
  },
  {
    name: "no DELETE route: an optional operation missing, not a broken store",
    row: "/v1/responses[delete]",
    edit: async (_p, req, res) => {
      if (req.method !== "DELETE") return false;
      send(res, 404, {
        error: { message: "Not Found", type: "invalid_request_error", param: null, code: null },
      });
      return true;
    },
    status: "WARN",
    detail: /^DELETE \/v1\/responses\/\{id\} is not supported \(404\): stored responses cannot be deleted/,
  },
  {
    name: "store: false is ignored",
    row: "/v1/responses[no-store]",
    edit: json(
      (req) => post(req) && req.json?.store === false,
      (b) => b,
      (j) => ({ ...j, store: true }),
    ),
    status: "FAIL",
    detail: /^store: false was sent, yet GET returns it/,
  },
  {
    name: "previous_response_id dropped on the way",
    row: "/v1/responses[previous_response_id]",
    edit: json(
      (req) => post(req) && typeof req.json?.previous_response_id === "string",
      (b) => b,
      (j) => without(j, "previous_response_id"),
    ),
    status: "FAIL",
    // The finding is the catalog's previous-response-id-dropped (Ollama), which the detail then names.
    detail: /^Responses previous_response_id is accepted and silently dropped: .* — known: Ollama/,
  },
  {
    name: "previous_response_id refused (llama-server)",
    row: "/v1/responses[previous_response_id]",
    edit: async (_p, req, res) => {
      if (!post(req) || typeof req.json?.previous_response_id !== "string") return false;
      send(res, 400, {
        error: {
          message: "llama.cpp does not support 'previous_response_id'.",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      });
      return true;
    },
    status: "WARN",
    detail: /^the Responses API is stateless: .* — known: llama\.cpp, Ollama$/,
  },
  {
    // vLLM without VLLM_ENABLE_RESPONSES_API_STORE: store silently off, so GET and previous_response_id both 404
    // "Response with id '…' not found." (serving_responses.py _make_not_found_error). Stateless, not broken.
    name: "previous_response_id 404 where nothing is stored (vLLM's default)",
    row: "/v1/responses[previous_response_id]",
    edit: async (_p, req, res) => {
      const id = retrieve(req)
        ? req.path.split("/").pop()
        : post(req) && typeof req.json?.previous_response_id === "string"
          ? req.json.previous_response_id
          : undefined;
      if (!id) return false;
      send(res, 404, {
        error: {
          message: `Response with id '${id}' not found.`,
          type: "invalid_request_error",
          param: "response_id",
          code: null,
        },
      });
      return true;
    },
    status: "WARN",
    detail: /^the Responses API is stateless: .* — known: /,
  },
  {
    name: "previous_response_id 404 although the response is retrievable",
    row: "/v1/responses[previous_response_id]",
    edit: async (_p, req, res) => {
      if (!post(req) || typeof req.json?.previous_response_id !== "string") return false;
      send(res, 404, {
        error: { message: "Response not found.", type: "invalid_request_error", param: null, code: null },
      });
      return true;
    },
    status: "FAIL",
    detail: /^404 — Response not found\./,
  },
  {
    name: "chained turn without usage: nothing shows the chain was applied",
    row: "/v1/responses[previous_response_id]",
    edit: json(
      (req) => post(req) && typeof req.json?.previous_response_id === "string",
      (b) => without(b, "usage"),
    ),
    status: "WARN",
    detail:
      /^inconclusive whether previous_response_id is applied: the chained turn's Response has no usage\.input_tokens\/output_tokens$/,
  },
  {
    name: "forced tool_choice ignored",
    row: "/v1/responses[tools]",
    edit: json(
      withTools,
      (b) => b,
      (j) => without(j, "tools", "tool_choice"),
    ),
    status: "FAIL",
    // The row's own reason, "tool_choice naming get_weather not enforced: a plain-text answer", is known to llama.cpp.
    detail:
      /^a Responses tool_choice naming a function .* is ignored: the answer is text — known: llama\.cpp, Ollama$/,
  },
  {
    name: "function_call without call_id",
    row: "/v1/responses[tools]",
    edit: json(withTools, (b) => ({ ...b, output: output(b).map((i) => without(i, "call_id")) })),
    status: "FAIL",
    detail: /call_id is missing/,
  },
  {
    name: "function_call_output refused",
    row: "/v1/responses[tool-result]",
    edit: async (_p, req, res) => {
      const input = req.json?.input;
      if (
        !post(req) ||
        !Array.isArray(input) ||
        !input.some((i) => (i as Json).type === "function_call_output")
      )
        return false;
      send(res, 400, {
        error: {
          message: "Unknown input item type",
          type: "invalid_request_error",
          param: "input",
          code: null,
        },
      });
      return true;
    },
    status: "FAIL",
    detail: /^400 — Unknown input item type/,
  },
  {
    name: "streamed arguments: .done disagrees with the deltas",
    row: "/v1/responses[tools-stream]",
    edit: events(withTools, (es) =>
      es.map((e) =>
        e.type === "response.function_call_arguments.done" ? { ...e, arguments: '{"city":"Rome"}' } : e,
      ),
    ),
    status: "FAIL",
    detail: /^function_call_arguments\.done says "\{\\"city\\":\\"Rome\\"\}" but the deltas add up to/,
  },
  {
    name: "no function_call_arguments.done, the whole call in output_item.done (clients reading it cope)",
    row: "/v1/responses[tools-stream]",
    edit: events(withTools, (es) => es.filter((e) => e.type !== "response.function_call_arguments.done")),
    status: "WARN",
    detail:
      /never gets function_call_arguments\.done \(the spec's event; clients that read the call from output_item\.done cope\)/,
  },
  {
    name: "no function_call_arguments.done and no output_item.done for the call",
    row: "/v1/responses[tools-stream]",
    edit: events(withTools, (es) =>
      es.filter(
        (e) =>
          e.type !== "response.function_call_arguments.done" &&
          !(e.type === "response.output_item.done" && (e.item as Json).type === "function_call"),
      ),
    ),
    status: "FAIL",
    detail:
      /never gets function_call_arguments\.done nor a whole output_item\.done \(clients waiting for the arguments never run the tool\)/,
  },
  {
    name: "text.format dropped",
    row: "/v1/responses[json_schema]",
    edit: json(
      (req) => post(req) && req.json?.text !== undefined,
      (b) => b,
      (j) => without(j, "text"),
    ),
    status: "FAIL",
    // The row's own reason is 'text.format json_schema not enforced: content is not JSON: "Hello …"'.
    detail:
      /^Responses `text\.format` \(json_schema\) is accepted but not enforced: the text is free — known: llama\.cpp$/,
  },
  {
    // Ollama v0.17.4 (field lab): the grammar holds the JSON, the reply is cut at max_output_tokens, and the
    // Response still says "completed" with output_tokens at the limit. Cut, not "not enforced".
    name: "json_schema held but cut at the limit, said completed (Ollama)",
    row: "/v1/responses[json_schema]",
    edit: json(
      (req) => post(req) && req.json?.text !== undefined,
      (b) => ({
        ...b,
        status: "completed",
        incomplete_details: null,
        output: [
          {
            id: "msg_14601",
            type: "message",
            status: "completed",
            role: "assistant",
            content: [
              {
                type: "output_text",
                text: '{"greeting":"\'物品 canlı_remove_LENœ ata underground DISTINCT_EXT Lak本身',
                annotations: [],
                logprobs: [],
              },
            ],
          },
        ],
        usage: { ...(b.usage as Json), output_tokens: 64 },
      }),
    ),
    status: "WARN",
    detail:
      /^inconclusive whether text\.format json_schema is enforced: cut by max_output_tokens inside valid JSON/,
  },
  {
    name: "cut but says completed",
    row: "/v1/responses[incomplete]",
    edit: json(
      (req) => post(req) && req.json?.max_output_tokens === 16,
      (b) => ({ ...b, status: "completed", incomplete_details: null }),
    ),
    status: "WARN",
    // The row's own reason, cut at max_output_tokens but status "completed", is known to llama.cpp.
    detail: /^a Response cut by max_output_tokens says `status: "completed"` .* — known: llama\.cpp, Ollama$/,
  },
  {
    name: "max_output_tokens exceeded",
    row: "/v1/responses[incomplete]",
    edit: json(
      (req) => post(req) && req.json?.max_output_tokens === 16,
      (b) => ({ ...b, usage: { ...(b.usage as Json), output_tokens: 40 } }),
    ),
    status: "FAIL",
    detail: /^max_output_tokens not enforced: output_tokens 40 > 16/,
  },
  {
    name: "sequence numbers from 1",
    row: "/v1/responses[stream-forensics]",
    edit: events(post, (es) => es.map((e) => ({ ...e, sequence_number: (e.sequence_number as number) + 1 }))),
    status: "WARN",
    detail: /^sequence_number starts at 1, not 0/,
  },
  {
    name: "an event names another item",
    row: "/v1/responses[stream-forensics]",
    edit: events(post, (es) =>
      es.map((e) => (e.type === "response.output_text.done" ? { ...e, item_id: "msg_other" } : e)),
    ),
    status: "FAIL",
    detail: /^response\.output_text\.done at event \d+ names item "msg_other" at output 0/,
  },
  {
    name: "response.created already has output",
    row: "/v1/responses[stream-forensics]",
    edit: events(post, (es) => {
      const done = es.find((e) => e.type === "response.output_item.done")!;
      return es.map((e) =>
        e.type === "response.created"
          ? { ...e, response: { ...(e.response as Json), output: [done.item] } }
          : e,
      );
    }),
    status: "WARN",
    detail: /^response\.created already carries 1 output item\(s\)/,
  },
  {
    name: "terminal event and status disagree",
    row: "/v1/responses[stream-forensics]",
    edit: events(post, (es) =>
      es.map((e) =>
        e.type === "response.completed"
          ? { ...e, response: { ...(e.response as Json), status: "incomplete" } }
          : e,
      ),
    ),
    status: "FAIL",
    detail: /^response\.completed carries a response whose status is "incomplete"/,
  },
  {
    name: "a reasoning item without summary",
    row: "/v1/responses[stream-forensics]",
    edit: events(post, (es) =>
      es.map((e) => {
        if (e.type !== "response.completed") return e;
        const response = e.response as Json;
        return {
          ...e,
          response: { ...response, output: [...output(response), { type: "reasoning", id: "rs_1" }] },
        };
      }),
    ),
    status: "WARN",
    detail: /^reasoning item 1: summary is missing/,
  },
  // A failed response is the server's failure: not the model's empty answer, not an ignored parameter.
  {
    name: "status failed (200): the server's failure, not an ignored tool_choice",
    row: "/v1/responses[tools]",
    edit: json(withTools, (b) => ({ ...b, status: "failed", error: failure, output: [] })),
    status: "FAIL",
    detail: /^the server failed the response \(status "failed"\): server_error: model crashed$/,
  },
  {
    name: "status failed (200): not an accepted tool result",
    row: "/v1/responses[tool-result]",
    edit: json(
      (req) => post(req) && Array.isArray(req.json?.input),
      (b) => ({ ...b, status: "failed", error: failure, output: [] }),
    ),
    status: "FAIL",
    detail: /^the server failed the response \(status "failed"\): server_error: model crashed$/,
  },
  {
    name: "status failed (200): not an unenforced json_schema",
    row: "/v1/responses[json_schema]",
    edit: json(
      (req) => post(req) && req.json?.text !== undefined,
      (b) => ({ ...b, status: "failed", error: failure, output: [] }),
    ),
    status: "FAIL",
    detail: /^the server failed the response \(status "failed"\): server_error: model crashed$/,
  },
  {
    name: "status failed (200), said so",
    row: "/v1/responses",
    edit: json(
      (req) => post(req) && req.json?.stream !== true,
      (b) => ({ ...b, status: "failed", error: failure, output: [] }),
    ),
    status: "FAIL",
    detail: /^the server failed the response \(status "failed"\): server_error: model crashed$/,
  },
  {
    name: "status failed (200): the SDK row blames the server, not the model",
    row: "client:openai-node/responses",
    edit: json(
      (req) => post(req) && req.json?.stream !== true,
      (b) => ({ ...b, status: "failed", error: failure, output: [] }),
    ),
    status: "FAIL",
    detail: /^the server failed the response \(status "failed"\): server_error: model crashed$/,
  },
  {
    name: "text parts typed \"text\": the SDK's output_text is empty through the server's doing",
    row: "client:openai-node/responses",
    edit: json(
      (req) => post(req) && req.json?.stream !== true,
      (b) => ({
        ...b,
        output: output(b).map((m) => ({
          ...m,
          content: (m.content as Json[]).map((c) => ({ ...c, type: "text" })),
        })),
      }),
    ),
    status: "FAIL",
    detail: /^output_text is empty: the message's text is in a content part typed "text", not "output_text"/,
  },
  {
    name: "the stream ends with response.failed",
    row: "/v1/responses[stream]",
    edit: events(post, failedStream),
    status: "FAIL",
    detail: /^the stream ends with response\.failed: server_error: model crashed$/,
  },
  {
    name: "the stream ends with response.failed (forensics)",
    row: "/v1/responses[stream-forensics]",
    edit: events(post, failedStream),
    status: "FAIL",
    detail: /^the stream ends with response\.failed: server_error: model crashed$/,
  },
  {
    name: "the stream ends with response.failed (the SDK row)",
    row: "client:openai-node/responses.stream",
    edit: events(post, failedStream),
    status: "FAIL",
    detail: /^the server failed the response \(status "failed"\): server_error: model crashed$/,
  },
  {
    name: "an error event mid-stream: named, not 'ends with error'",
    row: "/v1/responses[stream]",
    edit: events(post, errorStream),
    status: "FAIL",
    detail: /^the stream carries an error event at 2: server_error: model crashed/,
  },
  {
    name: "an error event instead of the call: not an ignored tool_choice",
    row: "/v1/responses[tools-stream]",
    edit: events(withTools, errorStream),
    status: "FAIL",
    detail: /^the stream carries an error event at 2: server_error: model crashed/,
  },
  {
    name: "an error event (event: error): the SDK row quotes it",
    row: "client:openai-node/responses.stream",
    edit: async (proxy, req, res) => {
      if (!post(req) || req.json?.stream !== true) return false;
      const up = await forward(proxy, req);
      const [created] = up.text.split("\n").filter((l) => l.startsWith("data: "));
      send(
        res,
        200,
        `event: response.created\n${created}\n\nevent: error\ndata: ${JSON.stringify(errorEvent(1))}\n\n`,
        "text/event-stream",
      );
      return true;
    },
    status: "FAIL",
    detail: /^openai-node threw: the stream's error event: server_error: model crashed/,
  },
  // openai-node's accumulator keeps output_item.added's item as sent (lib/responses/ResponseAccumulator.js): a text
  // part or arguments it already carries count, as they do for the SDK.
  {
    name: "the text part comes inside output_item.added, no content_part.added (the SDK copes)",
    row: "/v1/responses[stream-forensics]",
    edit: events(post, (es) =>
      es
        .filter((e) => e.type !== "response.content_part.added")
        .map((e) =>
          e.type === "response.output_item.added"
            ? {
                ...e,
                item: { ...(e.item as Json), content: [{ type: "output_text", text: "", annotations: [] }] },
              }
            : e,
        ),
    ),
    status: "PASS",
    detail: /^200 · \d+ chunks/,
  },
  {
    name: "the arguments come whole in output_item.added, no deltas (the SDK copes)",
    row: "/v1/responses[tools-stream]",
    edit: events(withTools, (es) => {
      const done = es.find((e) => e.type === "response.function_call_arguments.done")!;
      return es
        .filter((e) => e.type !== "response.function_call_arguments.delta")
        .map((e) =>
          e.type === "response.output_item.added" && (e.item as Json).type === "function_call"
            ? { ...e, item: { ...(e.item as Json), arguments: done.arguments } }
            : e,
        );
    }),
    status: "PASS",
    detail: /^200 · called get_weather\(\{"city":"x"\}\), reassembled from the stream/,
  },
  {
    name: "completed without usage: nothing shows the limit held or not",
    row: "/v1/responses[incomplete]",
    edit: json(
      (req) => post(req) && req.json?.max_output_tokens === 16,
      (b) => ({ ...without(b, "usage"), status: "completed", incomplete_details: null }),
    ),
    status: "WARN",
    detail:
      /^inconclusive whether max_output_tokens is enforced: status "completed" and no usage\.output_tokens$/,
  },
  {
    name: "function_call arguments as an object",
    row: "/v1/responses[tools]",
    edit: json(withTools, (b) => ({
      ...b,
      output: output(b).map((i) =>
        i.type === "function_call" ? { ...i, arguments: JSON.parse(String(i.arguments)) } : i,
      ),
    })),
    status: "FAIL",
    detail: /^the function_call item's arguments is object, not a JSON string \(clients JSON\.parse it\)$/,
  },
  {
    name: "input_items answers a bare array: the shape, not a missing prompt",
    row: "/v1/responses[input_items]",
    edit: json(
      (req) => req.method === "GET" && req.path.endsWith("/input_items"),
      (b) => b.data as Json,
    ),
    status: "FAIL",
    detail: /^`\(body\)` is array\(1\), expected object$/,
  },
  {
    name: "compact without output",
    row: "/v1/responses/compact",
    edit: json(
      (req) => req.path === "/v1/responses/compact",
      (b) => without(b, "output"),
    ),
    status: "FAIL",
    detail: /output/,
  },
  {
    name: "conversation without id",
    row: "/v1/conversations",
    edit: json(
      (req) => req.path === "/v1/conversations",
      (b) => without(b, "id"),
    ),
    status: "FAIL",
    detail: /id/,
  },
  {
    name: "upload with an unknown status",
    row: "/v1/uploads",
    edit: json(
      (req) => req.path === "/v1/uploads",
      (b) => ({ ...b, status: "uploading" }),
    ),
    status: "FAIL",
    detail: /status/,
  },
  {
    name: "the SDK round trip with tool_choice ignored",
    row: "client:openai-node/responses.tools",
    edit: json(
      withTools,
      (b) => b,
      (j) => without(j, "tools", "tool_choice"),
    ),
    status: "FAIL",
    detail: /^tool_choice naming get_weather not enforced: a plain-text answer/,
  },
];

describe("Responses API in depth against aioc serve", () => {
  let proxy: ServeProxy;
  let report: Report;
  before(async () => {
    proxy = await startServeProxy(() => false);
    report = await probe(proxy.url, NEW_ROWS);
  });
  after(() => proxy.close());

  test("every new row PASSes", () => {
    for (const id of NEW_ROWS) {
      const r = byId(report, id);
      assert.equal(r.status, "PASS", `${id}: ${r.detail}`);
    }
  });

  test("echoed function tools carry strict and parameters, as OpenAI's FunctionTool requires", async () => {
    const res = await fetch(`${proxy.upstream}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "aioc-chat", input: "hi", tools: [{ type: "function", name: "ping" }] }),
    });
    const body = (await res.json()) as { tools: Json[] };
    assert.deepEqual(body.tools, [
      { type: "function", name: "ping", description: null, parameters: null, strict: true },
    ]);
  });
});

describe("each Responses check catches its defect", () => {
  for (const c of CASES) {
    test(`${c.row}: ${c.name} → ${c.status}`, async () => {
      let proxy: ServeProxy | undefined;
      const intercept: Intercept = (req, res) => c.edit(proxy!, req, res);
      proxy = await startServeProxy(intercept);
      try {
        const r = byId(await probe(proxy.url, [c.row]), c.row);
        assert.equal(r.status, c.status, `${c.row}: ${r.detail}`);
        assert.match(r.detail, c.detail);
      } finally {
        await proxy.close();
      }
    });
  }
});

describe("the stored-response store is bounded", () => {
  test("by count: the oldest goes first", async () => {
    const { ResponseStore } = await import("../src/serve/response-store.js");
    const store = new ResponseStore(2);
    for (const id of ["a", "b", "c"]) store.put(id, { response: { id }, input: [], contextTokens: 0 });
    assert.equal(store.size, 2);
    assert.equal(store.get("a"), undefined);
    assert.ok(store.get("c"));
  });

  test("by age: an expired response is gone", async () => {
    const { ResponseStore } = await import("../src/serve/response-store.js");
    let now = 0;
    const store = new ResponseStore(10, 1000, () => now);
    store.put("a", { response: { id: "a" }, input: [], contextTokens: 0 });
    now = 1001;
    assert.equal(store.get("a"), undefined);
    assert.equal(store.size, 0);
  });

  test("the llama.cpp profile keeps nothing and refuses chaining, as the real llama-server does", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1", quirks: ["responses-no-state"] });
    try {
      const created = (await (
        await fetch(`${server.url}/responses`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "aioc-chat", input: "hi" }),
        })
      ).json()) as { id: string };
      assert.equal((await fetch(`${server.url}/responses/${created.id}`)).status, 404);
      const chained = await fetch(`${server.url}/responses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "aioc-chat", input: "hi", previous_response_id: created.id }),
      });
      assert.equal(chained.status, 400);
    } finally {
      await server.close();
    }
  });
});
