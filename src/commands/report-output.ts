import { Redactor } from "../cli/redact.js";
import { loadReport } from "../report/load.js";
import type { Report } from "../report/types.js";

/**
 * A saved report, its server-text fields redacted again with the keys aioc knows from the environment (reports
 * are redacted when written; this covers a file that came from elsewhere). Structural fields stay as they are.
 */
export function loadRedactedReport(path: string, env: NodeJS.ProcessEnv = process.env): Report {
  return new Redactor([env.AIOC_API_KEY, env.OPENAI_API_KEY]).report(loadReport(path));
}
