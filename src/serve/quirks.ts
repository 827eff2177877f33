/**
 * Quirks make the reference server imitate a known deviation (e.g. a stream without usage), so the
 * prober can be tested against every verdict it gives. Handlers test `ctx.quirks.has(id)` where the
 * deviation happens. The deviation catalog and the implementation profiles are filled in separately.
 */
import { UsageError } from "../cli/errors.js";

/** Every quirk id the server implements, with what it changes. */
export const QUIRKS: Record<string, string> = {};

/** Implementation profiles: the quirks a given server shows. */
export const PROFILES: Record<string, string[]> = {
  "llama.cpp": [],
  vllm: [],
  ollama: [],
};

/** Expands `--quirks` entries (profile names and `dev:<id>`) into quirk ids; unknown names are an error. */
export function resolveQuirks(list: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const raw of list) {
    const entry = raw.trim();
    if (entry === "") continue;
    if (Object.hasOwn(PROFILES, entry)) {
      for (const id of PROFILES[entry] ?? []) ids.add(id);
    } else if (entry.startsWith("dev:") && Object.hasOwn(QUIRKS, entry.slice(4))) {
      ids.add(entry.slice(4));
    } else {
      const known = Object.keys(QUIRKS);
      throw new UsageError(
        `unknown quirk "${entry}"; expected a profile (${Object.keys(PROFILES).join(", ")}) or dev:<id>` +
          (known.length > 0 ? ` with id one of ${known.join(", ")}` : " (no deviation ids are defined yet)"),
      );
    }
  }
  return ids;
}
