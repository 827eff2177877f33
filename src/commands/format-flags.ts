/** The `--json`/`--markdown` shorthands for `-f`, shared by commands (no argument parser loaded). */

/** `--json` wins over `--markdown`, and both over `-f/--format`. */
export function chosenFormat(
  flags: { format?: string; json?: boolean; markdown?: boolean },
  fallback: string,
) {
  return flags.json ? "json" : flags.markdown ? "markdown" : (flags.format ?? fallback);
}
