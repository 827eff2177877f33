/**
 * `openapi:declared`: finds the server's own OpenAPI document (probe/openapi-doc.ts) and checks it is readable.
 * What it declares is compared with OpenAI's spec and with the other rows once they have all run
 * (declared/report.ts): this check only fetches, so the row's requests are its own.
 */
import { DECLARED_ROW, readDocument } from "../declared/analyse.js";
import type { Check } from "../probe/types.js";

const declared: Check = async (ctx) => {
  const none = { phase: "C" as const, httpStatus: null, latencyMs: null, problems: [] };
  if (!ctx.openapi) return { ...none, skip: "no OpenAPI discovery in this context" };
  const found = await ctx.openapi();
  if (found.kind === "none")
    return { ...none, skip: `no OpenAPI document served (looked at ${found.tried.join(", ")})` };
  if (found.kind === "unreadable") {
    return {
      ...none,
      problems: [
        {
          pointer: `openapi:${found.at}`,
          expected: "a readable OpenAPI document",
          got: found.reason,
          severity: "warn",
        },
      ],
      verdict: { status: "WARN", detail: `${found.at} is not a readable OpenAPI document: ${found.reason}` },
    };
  }
  // Read once here too, so a document that stops a bound says so even when the run is cut short.
  const view = readDocument(found.doc, found.at, found.bytes);
  return {
    ...none,
    httpStatus: 200,
    verdict: { status: "PASS", detail: `${found.at}: ${view.keys.size} paths declared` },
  };
};

export const declaredChecks: Record<string, Check> = { [DECLARED_ROW]: declared };
