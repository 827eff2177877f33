import { createHash } from "node:crypto";

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/**
 * A Content-Security-Policy for aioc's HTML pages: nothing loads from anywhere, and only the page's own inline
 * style and script (by hash) apply, so even a missed escape could neither run code nor phone home.
 */
export function contentSecurityPolicy(style: string, script?: string): string {
  return [
    "default-src 'none'",
    `style-src ${sha256(style)}`,
    `script-src ${script === undefined ? "'none'" : sha256(script)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** The shared `<head>` of aioc's self-contained pages (`title` already escaped), up to and including `</head>`. */
export function htmlHead(title: string, style: string, script?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(style, script)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<style>${style}</style>
</head>`;
}
