/**
 * Whether to colour output written to `stream`: NO_COLOR (non-empty, see no-color.org) always wins, then
 * FORCE_COLOR (`0`/`false` turn colour off), then whether the stream is a terminal.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return stream.isTTY === true && env.TERM !== "dumb";
}
