/**
 * Secrets never reach any output, and aioc's own text is never rewritten. The transport scrubs what the server
 * sends before any check reads it (so every detail, preview and quote is clipped from already-scrubbed text);
 * this pass covers a report as a whole: the fields that hold server text or the user's secret inputs (details,
 * findings, exchanges, model ids, the target URL), never row ids, paths, groups or other structural fields, so
 * a report still lines up with `gap` and `matrix` whatever the key is.
 */
import type { Exchange, Report, Result } from "../report/types.js";
import { MIN_SECRET, Scrubber } from "../secrets/scrubber.js";

export class Redactor {
  private readonly scrubber: Scrubber;

  constructor(secrets: readonly (string | undefined)[]) {
    this.scrubber = new Scrubber(secrets);
  }

  text(s: string): string {
    return this.scrubber.text(s);
  }

  /** One line for each secret too short to be told from ordinary text, or undefined. */
  warning(): string | undefined {
    if (this.scrubber.unreliable.length === 0) return undefined;
    return `aioc: warning: a secret shorter than ${MIN_SECRET} characters (such as the API key) cannot be redacted reliably; outputs may show it\n`;
  }

  /** A copy of `report` with its server-text fields scrubbed. */
  report(report: Report): Report {
    if (!this.scrubber.active) return report;
    const t = (s: string) => this.scrubber.text(s);
    return {
      ...report,
      target: { ...report.target, url: t(report.target.url) },
      models: Object.fromEntries(
        Object.entries(report.models).map(([role, id]) => [role, id === undefined ? id : t(id)]),
      ),
      results: report.results.map((r) => this.result(r)),
    };
  }

  private result(r: Result): Result {
    const t = (s: string) => this.scrubber.text(s);
    const out: Result = {
      ...r,
      detail: t(r.detail),
      problems: r.problems.map((p) => ({ ...p, expected: t(p.expected), got: t(p.got) })),
    };
    if (r.exchanges) out.exchanges = r.exchanges.map((e) => this.exchange(e));
    return out;
  }

  /**
   * Header names are protocol vocabulary or the user's own `-H` names, never secrets: only values are scrubbed,
   * so a key that shares 8 characters with a header name (`pk-portkey-…`, `x-portkey-api-key`) leaves it readable.
   */
  private exchange(e: Exchange): Exchange {
    const t = (s: string) => this.scrubber.text(s);
    const headers = (h: Record<string, string>) =>
      Object.fromEntries(Object.entries(h).map(([name, value]) => [name, t(value)]));
    const { request, response } = e;
    const out: Exchange = {
      request: {
        ...request,
        url: t(request.url),
        headers: headers(request.headers),
        ...(request.body === undefined ? {} : { body: t(request.body) }),
      },
    };
    if (response) out.response = { ...response, headers: headers(response.headers), body: t(response.body) };
    return out;
  }
}
