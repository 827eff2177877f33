/**
 * Headers and URL parts that carry credentials. Their values are secrets exactly like the API key: scrubbed from
 * every output (report, terminal, errors), and the ones that carry the target's own key are withheld from the
 * rows that deliberately probe without a key.
 */
import { UsageError } from "../cli/errors.js";

/** Header names whose values are credentials (case-insensitive). */
export function isCredentialHeader(name: string): boolean {
  return /^(authorization|proxy-authorization|api-key|x-api-key|cookie)$|-(key|token|secret|authorization)$/i.test(
    name,
  );
}

/** The headers that carry the target's own key: dropped for the no-key and wrong-key rows. */
export const KEY_HEADERS = ["authorization", "api-key", "x-api-key"] as const;

/** URL query parameters whose values are credentials (`?key=`, `?api-key=`, `?access_token=`, `?sig=` …). */
export function isCredentialParam(name: string): boolean {
  return /^(key|api[-_]?key|token|access[-_]?token|sig|signature|code|password|secret)$|[-_](key|token)$/i.test(
    name,
  );
}

// RFC 9110 token characters for a field name; a value may not contain CR, LF or NUL.
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses repeated `-H 'Name: value'` options into one header map (names lower-cased; a later one wins). */
export function parseHeaderArgs(args: readonly string[], what = "-H/--header"): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [i, arg] of args.entries()) {
    const colon = arg.indexOf(":");
    const name = colon > 0 ? arg.slice(0, colon).trim() : "";
    // The argument itself is not quoted: it may be a credential with the colon forgotten.
    if (!FIELD_NAME.test(name)) {
      throw new UsageError(
        `${what} #${i + 1}: expected 'Name: value' (e.g. -H 'x-portkey-provider: openai')`,
      );
    }
    const value = arg.slice(colon + 1).trim();
    checkHeader(name, value, what);
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** Validates one header (from a flag or a config file). */
export function checkHeader(name: string, value: string, what: string): void {
  if (!FIELD_NAME.test(name))
    throw new UsageError(`${what}: invalid header name ${JSON.stringify(clip(name))}`);
  if (/[\r\n\0]/.test(value)) {
    throw new UsageError(`${what}: the value of header "${name}" contains a line break or NUL`);
  }
  if (name.toLowerCase() === "host" || name.toLowerCase() === "content-length") {
    throw new UsageError(`${what}: header "${name}" is set by aioc itself and cannot be overridden`);
  }
}

/** Every secret in these headers: each credential value, and its token after a scheme word ("Bearer x"). */
export function headerSecrets(headers: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!isCredentialHeader(name)) continue;
    out.push(value);
    const token = /^[A-Za-z]+\s+(\S.*)$/.exec(value)?.[1];
    if (token) out.push(token);
    // A cookie's individual values, so `a=secret` is caught when echoed alone.
    if (name.toLowerCase() === "cookie") {
      for (const pair of value.split(";")) out.push(pair.split("=").slice(1).join("=").trim());
    }
  }
  return out.filter((s) => s.length >= 4);
}

/** The credential values in a URL's query string. */
export function querySecrets(url: string): string[] {
  const out: string[] = [];
  for (const [name, value] of new URL(url).searchParams)
    if (isCredentialParam(name) && value) out.push(value);
  return out.filter((s) => s.length >= 4);
}

/** True when these headers carry the target's key (so the probe counts as authenticated). */
export function carriesKey(headers: Record<string, string> | undefined): boolean {
  return Object.keys(headers ?? {}).some((n) => (KEY_HEADERS as readonly string[]).includes(n.toLowerCase()));
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
