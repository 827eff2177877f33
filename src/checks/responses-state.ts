/**
 * Phase C for the Responses API's state (OpenAI API reference: Responses — create with `store`, retrieve,
 * input_items, delete, previous_response_id) and its extension routes (compact, conversations, uploads).
 * Everything here is protocol: what the server kept, returned and accounted, never what the model said.
 */
import { pathSegment } from "../http/path-segment.js";
import type { HttpRequest } from "../http/types.js";
import type { Check, Outcome, ProbeContext } from "../probe/types.js";
import type { ShapeName } from "../shapes/schemas.js";
import { PROMPT } from "./chat.js";
import { excerpt } from "./chat-depth.js";
import {
  asRecord,
  type Finding,
  finding,
  INCONCLUSIVE,
  refusedOptional,
  settle,
  skipC,
  startC,
} from "./depth.js";
import { expectJson, judged, requireModel, sendUsable } from "./expect.js";

const RESPONSES = "/v1/responses";
/** What a stateful row found, for the responses-no-state deviation (src/deviations/responses.ts). */
export const STATE_FACT = "responsesState";

const byId = (id: string) => `${RESPONSES}/${pathSegment(id)}`;

/** POSTs a Responses request and validates the Response; `body` only when usable. */
export async function postResponse(
  ctx: ProbeContext,
  json: Record<string, unknown>,
): Promise<{ outcome: Outcome; body?: Record<string, unknown> }> {
  const outcome = await expectJson(ctx, { method: "POST", path: RESPONSES, json }, "Response");
  outcome.phase = "C";
  if (outcome.verdict) return { outcome };
  return { outcome, body: asRecord(outcome.observation?.json) ?? {} };
}

const created = (body: Record<string, unknown>) => (typeof body.id === "string" ? body.id : undefined);

function usageOf(body: Record<string, unknown> | undefined) {
  const u = asRecord(body?.usage);
  const counted = typeof u?.input_tokens === "number" && typeof u.output_tokens === "number";
  return { input: Number(u?.input_tokens) || 0, output: Number(u?.output_tokens) || 0, counted };
}

/** The output compared by what clients read: item types, ids, texts and call arguments. */
const outputDigest = (output: unknown) =>
  JSON.stringify(
    (Array.isArray(output) ? output : []).map((item) => {
      const r = asRecord(item) ?? {};
      const content = Array.isArray(r.content) ? r.content.map((c) => asRecord(c)?.text) : undefined;
      return [r.type, r.id, content, r.arguments];
    }),
  );

/** A GET (or DELETE) with the shape expected when it succeeds. */
const fetchAs = (ctx: ProbeContext, req: HttpRequest, shape: ShapeName) =>
  expectJson(ctx, req, shape).then((o) => ({ ...o, phase: "C" as const }));

function stateAbsent(outcome: Outcome, what: string): Outcome {
  if (outcome.observation) outcome.observation.facts[STATE_FACT] = "absent";
  const reason = outcome.verdict?.detail ?? String(outcome.httpStatus);
  outcome.problems = outcome.problems.map((p) => (p.pointer === "status" ? { ...p, severity: "warn" } : p));
  outcome.verdict = { status: "WARN", detail: `${what}: ${reason}` };
  return outcome;
}

/** store: true, then GET /v1/responses/{id}: the same id and output. */
const store: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const { outcome, body } = await postResponse(ctx, {
    model: start.model,
    input: PROMPT,
    max_output_tokens: 16,
    store: true,
  });
  const id = body && created(body);
  if (!body || !id) return settle(outcome, id || !body ? [] : [noId()]);
  const got = await fetchAs(ctx, { method: "GET", path: byId(id) }, "Response");
  got.observation ??= { status: null, headers: {}, contentType: "", facts: {} };
  got.observation.facts.storedId = id;
  got.observation.facts.storedUsage = usageOf(body);
  if (got.httpStatus === 404) {
    // A clean "not found" for an id it just made: the server keeps no responses (an optional feature).
    return stateAbsent(got, "store: true accepted but the response is not retrievable (GET → 404)");
  }
  if (got.verdict) return settle(got, []);
  const json = asRecord(got.observation.json) ?? {};
  const findings: Finding[] = [];
  if (json.id !== id) {
    findings.push(
      finding("fail", "/id", id, excerpt(json.id), `GET /v1/responses/${id} returns id ${excerpt(json.id)}`),
    );
  } else if (outputDigest(json.output) !== outputDigest(body.output)) {
    findings.push(
      finding(
        "fail",
        "/output",
        "the output the create call returned",
        "a different output",
        "the retrieved response's output differs from the one returned when it was created",
      ),
    );
  }
  if (!findings.length) got.observation.facts.retrievable = true;
  return settle(got, findings, `${got.httpStatus} · GET returned ${id} with the same output`);
};

const noId = () =>
  finding(
    "fail",
    "/id",
    "a response id",
    "missing",
    "the Response has no id: it cannot be retrieved or chained",
  );

/** The id [store] stored, or the row's SKIP. */
async function storedId(ctx: ProbeContext): Promise<{ id: string } | { skip: Outcome }> {
  const start = await startC(ctx);
  if (start.skip) return { skip: start.skip };
  const facts = start.base.observation?.facts;
  const id = facts?.storedId;
  if (typeof id !== "string" || facts?.retrievable !== true) {
    return { skip: skipC(`base row ${ctx.row.needs} could not retrieve a stored response`) };
  }
  return { id };
}

/**
 * The rows that use [store]'s response run one after the other ([store] → [previous_response_id] → [input_items] →
 * [delete]), so the DELETE comes last; each passes the stored id on.
 */
function carry(outcome: Outcome, base: Outcome | undefined): Outcome {
  const from = base?.observation?.facts;
  if (!from) return outcome;
  outcome.observation ??= { status: outcome.httpStatus, headers: {}, contentType: "", facts: {} };
  outcome.observation.facts.storedId = from.storedId;
  outcome.observation.facts.retrievable = from.retrievable;
  return outcome;
}

const inputItems: Check = async (ctx) => {
  const s = await storedId(ctx);
  if ("skip" in s) return s.skip;
  const out = await fetchAs(ctx, { method: "GET", path: `${byId(s.id)}/input_items` }, "ResponseItemList");
  if (out.verdict) return carry(settle(out, []), await ctx.dependency());
  const data = asRecord(out.observation?.json)?.data;
  const texts = (Array.isArray(data) ? data : []).flatMap((item) => {
    const content = asRecord(item)?.content;
    if (typeof content === "string") return [content];
    return Array.isArray(content) ? content.map((c) => asRecord(c)?.text) : [];
  });
  // Not a list at all: the shape problem says so; "the prompt is missing" would only follow from it.
  const findings =
    texts.includes(PROMPT) || !Array.isArray(data)
      ? []
      : [
          finding(
            "fail",
            "/data",
            `an input message with ${excerpt(PROMPT)}`,
            `${Array.isArray(data) ? data.length : 0} item(s) without it`,
            `input_items does not list the input the response was created with (${excerpt(PROMPT)})`,
          ),
        ];
  return carry(
    settle(out, findings, `${out.httpStatus} · ${texts.length} input item(s), the prompt among them`),
    await ctx.dependency(),
  );
};

/** GET after a DELETE (or after store: false) must be 404; `what` says why it should be gone. */
async function mustBeGone(ctx: ProbeContext, id: string, what: string, note: string): Promise<Outcome> {
  const out = await fetchAs(ctx, { method: "GET", path: byId(id) }, "Response");
  if (out.httpStatus === 404) {
    out.verdict = undefined;
    out.problems = out.problems.filter((p) => p.pointer !== "status");
    return settle(out, [], note);
  }
  if (out.httpStatus !== null && out.httpStatus >= 200 && out.httpStatus < 300) {
    return settle(out, [
      finding("fail", "status", "404", String(out.httpStatus), `${what}, yet GET returns it`),
    ]);
  }
  return settle(out, []);
}

/** DELETEs [store]'s response, last in its chain, then a GET must be 404. */
const del: Check = async (ctx) => {
  const s = await storedId(ctx);
  if ("skip" in s) return s.skip;
  const sent = await sendUsable(ctx, { method: "DELETE", path: byId(s.id) });
  const status = sent.unusable?.httpStatus;
  // A server that keeps responses but has no DELETE route: a missing optional operation clients rarely call.
  if (sent.unusable && (status === 404 || status === 405 || status === 501)) {
    const out = { ...sent.unusable, phase: "C" as const, verdict: undefined, problems: [] };
    return settle(out, [
      finding(
        "warn",
        "status",
        "2xx",
        String(status),
        `DELETE /v1/responses/{id} is not supported (${status}): stored responses cannot be deleted`,
      ),
    ]);
  }
  if (sent.unusable) return settle({ ...sent.unusable, phase: "C" }, []);
  const gone = { ...judged(sent, []), phase: "C" as const };
  // OpenAI answers {id, object: "response.deleted", deleted: true}; the spec gives no schema, so only the status counts.
  return mustBeGone(ctx, s.id, "the response was deleted", `${gone.httpStatus} · deleted; GET then 404`);
};

const noStore: Check = async (ctx) => {
  const s = await storedId(ctx);
  if ("skip" in s) return s.skip;
  const model = requireModel(ctx);
  if (typeof model !== "string") return { ...model, phase: "C" };
  const { outcome, body } = await postResponse(ctx, {
    model,
    input: PROMPT,
    max_output_tokens: 16,
    store: false,
  });
  const id = body && created(body);
  if (!id) return settle(outcome, body ? [noId()] : []);
  return mustBeGone(ctx, id, "store: false was sent", "store: false honoured: GET gives 404");
};

/** Chaining: accepted, and the second turn's input_tokens count the first turn's input and output. */
const chain: Check = async (ctx) => {
  // Chains on [store]'s response: only its creation counts, so a server that cannot GET it still shows whether
  // it takes previous_response_id.
  const base = await ctx.dependency();
  const id = base?.observation?.facts.storedId;
  if (typeof id !== "string") return skipC(`base row ${ctx.row.needs} created no response to chain on`);
  const model = requireModel(ctx);
  if (typeof model !== "string") return { ...model, phase: "C" };
  const start = { model };
  const first = asRecord(base?.observation?.facts.storedUsage);
  const before = (Number(first?.input) || 0) + (Number(first?.output) || 0);
  const s = { id };
  const json = {
    model: start.model,
    input: "And once more.",
    previous_response_id: id,
    max_output_tokens: 16,
  };
  const { outcome, body } = await postResponse(ctx, json);
  if (!body && outcome.httpStatus === 404 && base?.observation?.facts[STATE_FACT] === "absent") {
    // A server that keeps nothing cannot find the id it made ([store] got 404 for it too): vLLM without
    // VLLM_ENABLE_RESPONSES_API_STORE answers "Response with id '…' not found." (serving_responses.py).
    return settle(stateAbsent(outcome, "previous_response_id refused: nothing is stored"), []);
  }
  if (!body) {
    const refused = refusedOptional(outcome, ctx.row, "previous_response_id");
    if (refused.verdict?.status === "WARN" && refused.observation)
      refused.observation.facts[STATE_FACT] = "absent";
    return settle(refused, []);
  }
  const findings: Finding[] = [];
  const usage = usageOf(body);
  const input = usage.input;
  if (body.previous_response_id !== undefined && body.previous_response_id !== s.id) {
    findings.push(
      finding(
        "warn",
        "/previous_response_id",
        s.id,
        excerpt(body.previous_response_id),
        `the Response echoes previous_response_id ${excerpt(body.previous_response_id)}, not the id sent`,
      ),
    );
  }
  if (!usage.counted || first?.counted !== true) {
    // Without token counts on both turns nothing shows whether the first turn reached the model.
    findings.push(
      finding(
        "warn",
        "/usage/input_tokens",
        "input_tokens on both turns",
        `missing ${INCONCLUSIVE}`,
        `inconclusive whether previous_response_id is applied: ${usage.counted ? "the first" : "the chained"} turn's Response has no usage.input_tokens/output_tokens`,
      ),
    );
  } else if (input < before + 1) {
    findings.push(
      finding(
        "fail",
        "/usage/input_tokens",
        `more than ${before} (the first turn's input and output)`,
        String(input),
        `previous_response_id accepted but not applied: input_tokens ${input} do not include the first turn's ${before} tokens`,
      ),
    );
  }
  return settle(
    outcome,
    findings,
    `${outcome.httpStatus} · chained: input_tokens ${input} include the first turn's ${before}`,
  );
};

/** A Phase B row for an extension route: one request, the spec's shape. */
const previousResponseId: Check = async (ctx) => carry(await chain(ctx), await ctx.dependency());

const create =
  (shape: ShapeName, body: (model: string) => Record<string, unknown>, needsModel: boolean): Check =>
  async (ctx) => {
    let model = "";
    if (needsModel) {
      const m = requireModel(ctx);
      if (typeof m !== "string") return m;
      model = m;
    }
    return expectJson(ctx, { method: "POST", path: ctx.row.path, json: body(model) }, shape);
  };

export const responsesStateChecks: Record<string, Check> = {
  "/v1/responses[store]": store,
  "/v1/responses[input_items]": inputItems,
  "/v1/responses[delete]": del,
  "/v1/responses[no-store]": noStore,
  "/v1/responses[previous_response_id]": previousResponseId,
  "/v1/responses/compact": create(
    "CompactResource",
    (model) => ({ model, input: [{ role: "user", content: PROMPT }] }),
    true,
  ),
  "/v1/conversations": create("Conversation", () => ({ metadata: { client: "aioc" } }), false),
  "/v1/uploads": create(
    "Upload",
    () => ({ filename: "aioc-probe.jsonl", purpose: "batch", bytes: 2, mime_type: "application/jsonl" }),
    false,
  ),
};
