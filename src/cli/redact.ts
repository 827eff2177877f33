/**
 * Secrets never reach any output. Every writer (stdout, stderr, report files) goes through `redact`,
 * so even a server that echoes the Authorization header back cannot make aioc print the key.
 */
const REDACTED = "[REDACTED]";

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: readonly (string | undefined)[]) {
    // Short strings would redact ordinary words; keys are long.
    this.secrets = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 4))].sort(
      (a, b) => b.length - a.length,
    );
  }

  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      // JSON-escaped and URL-encoded forms of the key, in case a server re-encodes what it echoes
      for (const form of [JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
        if (form !== secret && out.includes(form)) out = out.split(form).join(REDACTED);
      }
    }
    return out;
  }

  /** Deep-redacts every string in a JSON-like value. */
  value<T>(v: T): T {
    if (this.secrets.length === 0) return v;
    return JSON.parse(this.text(JSON.stringify(v))) as T;
  }
}
