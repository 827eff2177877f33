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
import type { Check } from "../probe/types.js";
import { userMessage } from "./chat-depth.js";
import { type Finding, finding, settle, startC } from "./depth.js";
import { envelopeFindings, errorCode, type Refusal, sendForRefusal, serverFault } from "./error-response.js";

/** The verdict for input OpenAI answers with 400 (malformed JSON, a missing required field). */
function badRequestFindings(r: Refusal, what: string): Finding[] {
  const status = r.status!;
  if (status >= 500) return [serverFault(status, what), ...envelopeFindings(r)];
  if (status < 300)
    return [
      finding("fail", "status", "400", String(status), `${status} for ${what}: the request was accepted`),
    ];
  const body = envelopeFindings(r);
  if (status === 400) return body;
  const why = status === 422 ? " (422 is common for validation errors; clients cope)" : "";
  return [
    finding("warn", "status", "400", String(status), `${status} for ${what}; OpenAI answers 400${why}`),
    ...body,
  ];
}

const invalidJson: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const r = await sendForRefusal(ctx, { method: "POST", path: ctx.row.path, raw: '{"model": ' });
  if (r.status === undefined) return r.outcome;
  return settle(r.outcome, badRequestFindings(r, "malformed JSON"), `${r.status} · error envelope`);
};

const missingField: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const r = await sendForRefusal(ctx, { method: "POST", path: ctx.row.path, json: { model: start.model } });
  if (r.status === undefined) return r.outcome;
  return settle(
    r.outcome,
    badRequestFindings(r, "a request without messages"),
    `${r.status} · error envelope`,
  );
};

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
  const status = r.status;
  if (status >= 500)
    return settle(r.outcome, [serverFault(status, "an unknown model"), ...envelopeFindings(r)]);
  if (status < 300) {
    const served = (r.json as { model?: unknown } | undefined)?.model;
    const by = typeof served === "string" ? ` (answered as ${JSON.stringify(served)})` : "";
    return settle(r.outcome, [
      finding(
        "warn",
        "status",
        "404",
        String(status),
        `${status} for unknown model ${JSON.stringify(model)}: silent fallback${by}; users cannot tell the model they asked for was not used`,
      ),
    ]);
  }
  const body = envelopeFindings(r);
  if (status === 404) {
    const code = errorCode(r.json);
    const note =
      code === "model_not_found"
        ? "404 · model_not_found"
        : `404 (error.code ${JSON.stringify(code ?? null)}; OpenAI sends model_not_found)`;
    return settle(r.outcome, body, note);
  }
  return settle(r.outcome, [
    finding(
      "warn",
      "status",
      "404",
      String(status),
      `${status} for an unknown model; OpenAI answers 404 model_not_found (openai-node raises another error class than NotFoundError)`,
    ),
    ...body,
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
  if (status < 300) {
    const isList = (r.json as { object?: unknown } | undefined)?.object === "list";
    if (isList) return settle(r.outcome, [], `${status} · lists stored chat completions, as OpenAI does`);
    return settle(r.outcome, [
      finding(
        "warn",
        "status",
        "405 (or 404)",
        String(status),
        `${status} to GET with a body that is not a list; expected 405 (or 404)`,
      ),
    ]);
  }
  return settle(r.outcome, [
    finding(
      "warn",
      "status",
      "405 (or 404)",
      String(status),
      `${status} for GET on a POST route; expected 405 (or 404)`,
    ),
  ]);
};

export const errorChecks: Record<string, Check> = {
  "/v1/chat/completions[error-invalid-json]": invalidJson,
  "/v1/chat/completions[error-missing-field]": missingField,
  "/v1/chat/completions[error-unknown-model]": unknownModel,
  "/v1/chat/completions[error-wrong-method]": wrongMethod,
};
