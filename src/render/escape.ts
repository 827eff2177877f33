/**
 * One escape helper per output language. Every string in a report may come from a hostile server, so each
 * renderer passes untrusted text through the helper for its language and nothing else.
 */
import { BIDI_CONTROLS, escapeControl } from "./text-table.js";

/** C0/C1 control characters other than tab, newline and carriage return; line separators; bidi controls. */
const CONTROL_EXCEPT_WHITESPACE = new RegExp(
  `[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u2028\\u2029${BIDI_CONTROLS}]`,
  "g",
);

/**
 * Control characters (ESC, BEL, NUL…), U+2028/U+2029 and bidi overrides become visible `\xNN`/`\uNNNN`; tab
 * and newlines stay.
 */
export function visibleControls(s: string): string {
  return s.replace(CONTROL_EXCEPT_WHITESPACE, escapeControl);
}

const JSON_INVISIBLE = new RegExp(`[\\u007f-\\u009f\\u2028\\u2029${BIDI_CONTROLS}]`, "g");

/**
 * Pretty JSON for a terminal or a file: also DEL, C1 controls, line separators and bidi controls as `\uNNNN`
 * (JSON.stringify escapes only C0), so the same value parses back and nothing drives the display.
 */
export function terminalSafeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(
    JSON_INVISIBLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Safe in HTML text and in quoted attribute values. */
export function escapeHtml(s: string): string {
  return visibleControls(s).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

const SCRIPT_UNSAFE = new RegExp(`[<>&\\u007f-\\u009f\\u2028\\u2029${BIDI_CONTROLS}]`, "g");

/**
 * A value inside `<script type="application/json">`: `<` `>` `&` can never close the element or open a
 * comment, U+2028/U+2029 are escaped for pre-ES2019 parsers, and DEL/C1 and bidi controls (which JSON allows) too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    SCRIPT_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Characters XML 1.0 forbids (most controls, lone surrogates, U+FFFE/U+FFFF). Controls (and, as in every
 * other output, DEL, C1, line separators and bidi controls) become visible `\xNN`/`\uNNNN`, the rest U+FFFD,
 * so a hostile detail still shows what the server sent.
 */
const XML_ILLEGAL =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function xmlLegal(s: string): string {
  return visibleControls(s).replace(XML_ILLEGAL, "\ufffd");
}

const XML_ENTITIES: Record<string, string> = {
  ...HTML_ENTITIES,
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** XML element text: legal characters only, markup escaped (so `]]>` cannot matter either). */
export function xmlText(s: string): string {
  return xmlLegal(s).replace(/[&<>]/g, (c) => XML_ENTITIES[c]!);
}

/** XML attribute value (double-quoted): also keeps tabs and newlines from being normalised away. */
export function xmlAttr(s: string): string {
  return xmlLegal(s).replace(/[&<>"'\t\n\r]/g, (c) => XML_ENTITIES[c]!);
}

/**
 * Markdown inline text (table cells, headings, text after other text). Inline punctuation is backslash-escaped
 * so a server cannot inject links, images, emphasis or table cells; `<` `>` and entity-starting `&` become
 * entities so no raw HTML reaches GitHub; newlines become `<br>`.
 */
export function escapeMarkdown(s: string): string {
  return visibleControls(s)
    .replace(/[\\`*_[\]#!|~]/g, "\\$&")
    .replace(/[<>]|&(?=[A-Za-z0-9#])/g, (c) => HTML_ENTITIES[c]!)
    .replace(/\r\n|\r|\n/g, "<br>")
    .replace(/\t/g, " ");
}

/** Markdown text that starts a line: as `escapeMarkdown`, and nothing at the start can open a list or code block. */
export function escapeMarkdownParagraph(s: string): string {
  return escapeMarkdown(s.trimStart())
    .replace(/^([-+=])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/** A Markdown code span that no backtick in `s` can close early; `inCell` escapes `|` for table cells. */
export function markdownCode(s: string, inCell = true): string {
  const oneLine = visibleControls(s).replace(/[\r\n\t]+/g, " ");
  const flat = inCell ? oneLine.replace(/\|/g, "\\|") : oneLine;
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** The longest server-chosen name (a model id) a view shows; the report's JSON keeps it whole. */
export const MAX_SHOWN_NAME = 200;

/**
 * `s` cut to `max` characters with an ellipsis, for one-line display of untrusted text (a 1 MB model id stays
 * a short line). Apply after redaction, so a cut can never split a secret past the redactor; a surrogate pair
 * is never split.
 */
export function clipText(s: string, max = MAX_SHOWN_NAME): string {
  if (s.length <= max) return s;
  const end = /[\ud800-\udbff]/.test(s[max - 1] ?? "") ? max - 1 : max;
  return `${s.slice(0, end)}… (${s.length} characters)`;
}
