/** What the report keeps of each exchange: the request and a preview of the response, key redacted. */
import { isCredentialHeader } from "./credentials.js";
import type { HttpRequest } from "./types.js";

/** Every credential header's value replaced (the scheme word of `Authorization` kept: it is not secret). */
export function redactAuth(headers: Record<string, string>): Record<string, string> {
  const copy = { ...headers };
  for (const name of Object.keys(copy)) {
    if (!isCredentialHeader(name)) continue;
    const scheme = name === "authorization" ? /^[A-Za-z]+(?=\s)/.exec(copy[name]!)?.[0] : undefined;
    copy[name] = scheme ? `${scheme} [REDACTED]` : "[REDACTED]";
  }
  return copy;
}

export function describeRequestBody(req: HttpRequest): string | undefined {
  if (req.json !== undefined) return JSON.stringify(req.json).slice(0, 2048);
  if (req.raw !== undefined) return req.raw.slice(0, 2048);
  if (req.form) {
    const parts: string[] = [];
    req.form.forEach((value, key) => {
      parts.push(
        typeof value === "string" ? `${key}=${value}` : `${key}=<file ${value.name}, ${value.size} bytes>`,
      );
    });
    return `multipart/form-data: ${parts.join("; ")}`;
  }
  return undefined;
}

export function preview(body: Uint8Array, keep: number): string {
  const text = new TextDecoder().decode(body.subarray(0, keep));
  return /[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 512))
    ? `<${body.length} bytes of binary data>`
    : text;
}
