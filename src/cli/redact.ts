/**
 * Secrets never reach any output. Every writer (stdout, stderr, report files) goes through `redact`,
 * so even a server that echoes the Authorization header back cannot make aioc print the key.
 */
import { scrubSecrets, secretForms } from "../http/secret-forms.js";

const REDACTED = "[REDACTED]";

export class Redactor {
  private readonly secrets: string[];
  /** Every spelling of every secret (raw, JSON-escaped, URL-encoded, hex, base64 at any alignment). */
  private readonly forms: string[];

  constructor(secrets: readonly (string | undefined)[]) {
    // Short strings would redact ordinary words; keys are long.
    this.secrets = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 4))];
    this.forms = [...new Set(this.secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  }

  text(s: string): string {
    return scrubSecrets(s, this.forms, REDACTED);
  }

  /** Deep-redacts every string (values and property names) in a JSON-like value; returns a copy. */
  value<T>(v: T): T {
    if (this.secrets.length === 0) return v;
    // Through JSON first: drops undefined and functions exactly as the report file would, and makes a copy.
    const walk = (x: unknown): unknown => {
      if (typeof x === "string") return this.text(x);
      if (Array.isArray(x)) return x.map(walk);
      if (x && typeof x === "object") {
        return Object.fromEntries(Object.entries(x).map(([k, val]) => [this.text(k), walk(val)]));
      }
      return x;
    };
    return walk(JSON.parse(JSON.stringify(v))) as T;
  }
}
