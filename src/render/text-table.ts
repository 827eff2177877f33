export interface FullWidth {
  width(s: string): number;
  truncate(s: string, width: number, position: "end" | "middle"): string;
}

let full: FullWidth | undefined;

/** Called by ./text-width-full.js when it loads. */
export function registerFullWidth(impl: FullWidth): void {
  full = impl;
}

const SGR = /\u001b\[[0-9;]*m/g;
/**
 * Characters one column wide in every terminal, with no combining or zero-width ones: printable ASCII, Latin-1
 * and Latin Extended (without the soft hyphen), general punctuation (dashes, quotes, bullet, ellipsis), arrows and
 * box drawing. Text made only of these needs no Unicode tables.
 */
const NARROW =
  /^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u257f]*$/;

/** True when `s` (colour codes aside) has a known width without the full Unicode tables. */
export function isNarrowText(s: string): boolean {
  return NARROW.test(s.replace(SGR, ""));
}

function fullWidth(): FullWidth {
  if (!full) throw new Error("internal: wide text rendered without importing render/text-width-full.js");
  return full;
}

/** Display width of a cell in terminal columns: ANSI colour codes take none, CJK and emoji take two. */
export function visibleWidth(s: string): number {
  const plain = s.replace(SGR, "");
  return NARROW.test(plain) ? plain.length : fullWidth().width(s);
}

/** Cuts `s` to `width` columns with an ellipsis (colour codes kept intact). */
export function truncate(s: string, width: number, position: "end" | "middle" = "end"): string {
  return visibleWidth(s) <= width ? s : fullWidth().truncate(s, Math.max(width, 1), position);
}

export interface FitOptions {
  /** Columns the whole line may take; the last column is cut to fit. */
  width?: number;
  /** A column that gives up room (cut in the middle) when the last one would get less than `minLast`. */
  shrink?: number;
  minLast?: number;
}

const MIN_SHRUNK = 16;

/**
 * Aligns rows of cells into columns separated by two spaces; the last column is not padded. With `width`, cells
 * are cut with an ellipsis so no line is wider.
 */
export function alignColumns(rows: readonly (readonly string[])[], fit: FitOptions = {}): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
  }
  if (fit.width !== undefined && widths.length > 0) {
    const last = widths.length - 1;
    const fixed = () => widths.slice(0, last).reduce((a, w) => a + w + 2, 0);
    const minLast = fit.minLast ?? 24;
    const deficit = minLast - (fit.width - fixed());
    if (deficit > 0 && fit.shrink !== undefined && fit.shrink < last) {
      const w = widths[fit.shrink]!;
      widths[fit.shrink] = Math.max(MIN_SHRUNK, w - deficit);
    }
    const lastWidth = Math.max(fit.width - fixed(), 8);
    const cut = rows.map((row) =>
      row.map((cell, i) =>
        i === last
          ? truncate(cell, lastWidth)
          : i === fit.shrink
            ? truncate(cell, widths[i]!, "middle")
            : cell,
      ),
    );
    return pad(cut, widths);
  }
  return pad(rows, widths);
}

function pad(rows: readonly (readonly string[])[], widths: readonly number[]): string[] {
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
