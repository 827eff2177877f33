/**
 * Every spelling of a secret a hostile server could echo back: as sent, JSON-escaped, URL-encoded, hex, and
 * base64/base64url at each of the three byte alignments it can have inside a longer encoded string (e.g.
 * `base64("Bearer " + key)`). For base64 only the characters determined by the secret alone are listed, so a
 * match is found wherever the secret sits; at most the two edge characters (under two bytes of it) survive.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  const bytes = Buffer.from(secret, "utf8");
  const hex = bytes.toString("hex");
  forms.add(hex).add(hex.toUpperCase());
  for (let align = 0; align < 3; align++) {
    const padded = Buffer.concat([Buffer.alloc(align), bytes, Buffer.alloc(2)]);
    const encoded = padded.toString("base64");
    // Character k carries bits [6k, 6k + 6); keep those that lie wholly inside the secret's bits.
    const first = Math.ceil((8 * align) / 6);
    const end = Math.floor((8 * (align + bytes.length)) / 6);
    const core = encoded.slice(first, end);
    // Short cores would match ordinary text; a real key gives dozens of characters.
    if (core.length < 8) continue;
    forms.add(core).add(core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

/** Replaces every form of every secret in `text`. */
export function scrubSecrets(text: string, forms: readonly string[], replacement = "[REDACTED]"): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(replacement);
  return out;
}
