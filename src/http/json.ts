/** Byte sizes and strict JSON parsing of untrusted bodies. */
export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${Math.round(n / (1 << 30))} GB`;
  if (n >= 1 << 20) return `${Math.round(n / (1 << 20))} MB`;
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10))} KB`;
  return `${n} B`;
}

/** Decodes a body as strict UTF-8 and parses JSON; says precisely what is wrong when it cannot. */
export function parseJson(body: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return { ok: false, reason: "body is not valid UTF-8" };
  }
  if (text.trim() === "") return { ok: false, reason: "empty body" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const head = text.trimStart().slice(0, 1);
    return { ok: false, reason: head === "<" ? "body is HTML, not JSON" : "body is not valid JSON" };
  }
}
