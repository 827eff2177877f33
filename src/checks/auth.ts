/**
 * Phase C authentication on /v1/models, only with --api-key (without one there is nothing to compare).
 *
 * Verdicts:
 *  - 401 with the envelope: PASS (403 is WARN: openai-node raises PermissionDeniedError, not AuthenticationError);
 *  - 200 without a key: WARN "server does not require a key". Many local servers are open on purpose, and
 *    some gateways list models publicly; the key the user passed is then simply not needed here;
 *  - 200 with a wrong key while no key gets 401: FAIL. The server checks that a key is present, not that it
 *    is valid: authentication that looks enabled but is not. (A wrong key that passes because the server
 *    accepts anything, no key included, is the WARN above.);
 *  - 5xx: FAIL (openai-node retries it; an auth error is not a server fault), unless the keyed base row got a
 *    5xx too: the route fails whatever the key, so the answer says nothing about authentication (SKIP).
 */
import type { Auth } from "../http/types.js";
import type { Check, Outcome } from "../probe/types.js";
import { finding, settle, skipC, startC } from "./depth.js";
import { type Refusal, refusalFindings, sendForRefusal } from "./error-response.js";

const NO_AUTH_SKIP = "pass --api-key to check auth";
const OPEN = "the server does not require a key (or lists models publicly)";

/** The findings for an answer that should be 401; undefined when it was a 2xx (the caller decides). */
const unauthorisedFindings = (r: Refusal, what: string) =>
  refusalFindings(r, 401, what, (status) =>
    status === 403 ? " (openai-node raises PermissionDeniedError, not AuthenticationError)" : "",
  );

const send = (path: string, auth: Auth) => ({ method: "GET" as const, path, auth });

/** A 5xx here, when the keyed request failed with a 5xx as well, is the route failing, not authentication. */
function failsWhateverTheKey(r: Refusal, base: Outcome, what: string): Outcome | undefined {
  if (r.status === undefined || r.status < 500 || base.httpStatus === null || base.httpStatus < 500) return;
  return skipC(
    `inconclusive: ${base.httpStatus} with the key too, so ${r.status} for ${what} says nothing about authentication`,
  );
}

const noKey: Check = async (ctx) => {
  if (!ctx.authenticated) return skipC(NO_AUTH_SKIP);
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const r = await sendForRefusal(ctx, send(ctx.row.path, "none"));
  if (r.status === undefined) return r.outcome;
  const broken = failsWhateverTheKey(r, start.base, "a request without a key");
  if (broken) return broken;
  const findings = unauthorisedFindings(r, "a request without a key") ?? [
    finding("warn", "status", "401", String(r.status), `${r.status} without a key: ${OPEN}`),
  ];
  return settle(r.outcome, findings, `${r.status} without a key`);
};

const wrongKey: Check = async (ctx) => {
  if (!ctx.authenticated) return skipC(NO_AUTH_SKIP);
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const r = await sendForRefusal(ctx, send(ctx.row.path, "wrong"));
  if (r.status === undefined) return r.outcome;
  const broken = failsWhateverTheKey(r, start.base, "a wrong key");
  if (broken) return broken;
  const findings = unauthorisedFindings(r, "a wrong key");
  if (findings) return settle(r.outcome, findings, `${r.status} for a wrong key`);
  // A wrong key got in: is the server open to everyone, or does it only check that some key is present?
  const none = await sendForRefusal(ctx, send(ctx.row.path, "none"));
  if (none.status === undefined) {
    return settle(r.outcome, [
      finding(
        "warn",
        "status",
        "401",
        String(r.status),
        `${r.status} for a wrong key; a request without a key got no answer`,
      ),
    ]);
  }
  if (none.status < 300) {
    return settle(r.outcome, [
      finding("warn", "status", "401", String(r.status), `${r.status} for a wrong key: ${OPEN}`),
    ]);
  }
  return settle(r.outcome, [
    finding(
      "fail",
      "status",
      "401",
      String(r.status),
      `${r.status} for a wrong key while no key gets ${none.status}: the key is not verified, only required`,
    ),
  ]);
};

export const authChecks: Record<string, Check> = {
  "/v1/models[auth-no-key]": noKey,
  "/v1/models[auth-wrong-key]": wrongKey,
};
