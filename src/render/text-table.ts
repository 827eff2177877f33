const ANSI = /\u001b\[[0-9;]*m/g;

/** Visible width of a cell (ANSI colour codes take no room). */
export function visibleWidth(s: string): number {
  return [...s.replace(ANSI, "")].length;
}

/** Aligns rows of cells into columns separated by two spaces; the last column is not padded. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
  }
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visibleWidth(cell)),
      )
      .join("  ")
      .trimEnd(),
  );
}

/**
 * Bidirectional formatting characters: embeddings and overrides (U+202A–202E), isolates (U+2066–2069) and the
 * implicit marks (LRM U+200E, RLM U+200F, ALM U+061C). Any of them can make text display as something it is not
 * ("Trojan Source"), so server text never carries them to an output raw. A character class body.
 */
export const BIDI_CONTROLS = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069";

/** Line/paragraph separators and bidi controls. */
const INVISIBLE_FORMATTING = new RegExp(`[\\u2028\\u2029${BIDI_CONTROLS}]`, "g");

/**
 * Makes untrusted text safe for a terminal: control characters and escape sequences become visible escapes
 * (`\x1b`), as do line separators and bidi overrides (`\u202e`).
 */
export function escapeControl(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
    .replace(INVISIBLE_FORMATTING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
