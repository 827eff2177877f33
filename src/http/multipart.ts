/**
 * multipart/form-data encoding (RFC 7578) of a FormData, into one buffer: the transport sends it with a
 * Content-Length, and can send it again on a same-origin redirect.
 */
import { randomBytes } from "node:crypto";

/** Field names and file names go inside quoted strings; the HTML standard escapes these three characters. */
function quoted(s: string): string {
  return s.replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/"/g, "%22");
}

export async function encodeMultipart(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const boundary = `----aioc${randomBytes(12).toString("hex")}`;
  const parts: Buffer[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value.replace(/\r?\n|\r/g, "\r\n")}\r\n`,
        ),
      );
    } else {
      const type = value.type || "application/octet-stream";
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"; filename="${quoted(value.name)}"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        Buffer.from(await value.arrayBuffer()),
        Buffer.from("\r\n"),
      );
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
