/**
 * Phase C error handling on chat completions: how the server refuses bad requests.
 *
 * Verdicts (FAIL when the official SDK or typical clients break, WARN when they cope):
 *  - a 5xx for a client mistake FAILs: openai-node retries 5xx, so the bad request is sent again and again;
 *  - a 2xx for malformed or incomplete input FAILs: the client never learns its request was wrong;
 *  - another 4xx than the one OpenAI sends is WARN: the SDK still raises an API error, only of another class;
 *  - a body that is not the error envelope is WARN (see error-response.ts).
 */
import { randomBytes } from "node:crypto";
import type { HttpRequest } from "../http/types.js";
import type { Check } from "../probe/types.js";
import { userMessage } from "./chat-depth.js";
import { type Finding, finding, settle, startC } from "./depth.js";
import { errorCode, type Refusal, refusalFindings, sendForRefusal, serverFault } from "./error-response.js";

/** The verdict for input OpenAI answers with 400 (malformed JSON, a missing required field). */
function badRequestFindings(r: Refusal, what: string): Finding[] {
  return (
    refusalFindings(r, 400, what, (status) =>
      status === 422 ? " (422 is common for validation errors; clients cope)" : "",
    ) ?? [
      finding("fail", "status", "400", String(r.status), `${r.status} for ${what}: the request was accepted`),
    ]
  );
}

/** A row sending input OpenAI refuses with 400; `what` names the mistake in details. */
function badRequestCheck(what: string, request: (path: string, model: string) => HttpRequest): Check {
  return async (ctx) => {
    const start = await startC(ctx);
    if (start.skip) return start.skip;
    const r = await sendForRefusal(ctx, request(ctx.row.path, start.model));
    if (r.status === undefined) return r.outcome;
    return settle(r.outcome, badRequestFindings(r, what), `${r.status} · error envelope`);
  };
}

const invalidJson = badRequestCheck("malformed JSON", (path) => ({
  method: "POST",
  path,
  raw: '{"model": ',
}));

const missingField = badRequestCheck("a request without messages", (path, model) => ({
  method: "POST",
  path,
  json: { model },
}));

/**
 * OpenAI answers 404 `model_not_found`. A 200 is a silent fallback to some other model: nothing breaks in the
 * SDK, but users are misled about what answered, so WARN with the model that did (single-model servers such
 * as llama.cpp ignore `model` by design).
 */
const unknownModel: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const model = `aioc-no-such-model-${randomBytes(4).toString("hex")}`;
  const json = { model, messages: userMessage("Say hi."), max_tokens: 1 };
  const r = await sendForRefusal(ctx, { method: "POST", path: ctx.row.path, json });
  if (r.status === undefined) return r.outcome;
  if (r.outcome.observation) r.outcome.observation.facts.unknownModel = model;
  const findings = refusalFindings(
    r,
    404,
    "an unknown model",
    () => " model_not_found (openai-node raises another error class than NotFoundError)",
  );
  if (findings) {
    // Shown only when nothing is found, that is for a 404 with a clean envelope.
    const code = errorCode(r.json);
    const note =
      code === "model_not_found"
        ? "404 · model_not_found"
        : `404 (error.code ${JSON.stringify(code ?? null)}; OpenAI sends model_not_found)`;
    return settle(r.outcome, findings, note);
  }
  const served = (r.json as { model?: unknown } | undefined)?.model;
  const by = typeof served === "string" ? ` (answered as ${JSON.stringify(served)})` : "";
  return settle(r.outcome, [
    finding(
      "warn",
      "status",
      "404",
      `${r.status}${by}`,
      `${r.status} for unknown model ${JSON.stringify(model)}: silent fallback${by}; users cannot tell the model they asked for was not used`,
    ),
  ]);
};

/**
 * 405 is the textbook answer. 404 is fine too, and so is a 200 list: OpenAI itself serves
 * GET /v1/chat/completions as "list stored chat completions". The body is not judged: no client sends this.
 */
const wrongMethod: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const r = await sendForRefusal(ctx, { method: "GET", path: ctx.row.path });
  if (r.status === undefined) return r.outcome;
  const status = r.status;
  if (status === 405) return settle(r.outcome, [], "405 · method not allowed");
  if (status === 404)
    return settle(
      r.outcome,
      [],
      "404 · no GET route (acceptable: OpenAI routes GET here to its stored-completions list)",
    );
  if (status >= 500) return settle(r.outcome, [serverFault(status, "GET on a POST route")]);
  const isList = (r.json as { object?: unknown } | undefined)?.object === "list";
  if (status < 300 && isList)
    return settle(r.outcome, [], `${status} · lists stored chat completions, as OpenAI does`);
  const got = status < 300 ? "to GET with a body that is not a list" : "for GET on a POST route";
  return settle(r.outcome, [
    finding("warn", "status", "405 (or 404)", String(status), `${status} ${got}; expected 405 (or 404)`),
  ]);
};

export const errorChecks: Record<string, Check> = {
  "/v1/chat/completions[error-invalid-json]": invalidJson,
  "/v1/chat/completions[error-missing-field]": missingField,
  "/v1/chat/completions[error-unknown-model]": unknownModel,
  "/v1/chat/completions[error-wrong-method]": wrongMethod,
};
