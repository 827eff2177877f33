/**
 * Full Unicode display width (CJK, emoji, combining marks) from string-width and cli-truncate. Their Unicode
 * property regexes cost about 80 ms to compile, so only renderers that show server text import this module;
 * `aioc spec` and `aioc deviations` print only aioc's own narrow text and never pay for it.
 */
import cliTruncate from "cli-truncate";
import stringWidth from "string-width";
import { registerFullWidth } from "./text-table.js";

registerFullWidth({
  width: stringWidth,
  truncate: (s, width, position) => cliTruncate(s, width, { position }),
});
