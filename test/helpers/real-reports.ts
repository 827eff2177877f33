/** Real reports, produced by probing the reference server (canonical and with a quirk profile). */
import { runProbe } from "../../src/probe/run.js";
import type { Report } from "../../src/report/types.js";
import { resolveQuirkList } from "../../src/serve/quirks.js";
import { startServer } from "../../src/serve/server.js";

/**
 * Probes `aioc serve --quirks <profile>` without a key: the profile brings WARN and FAIL rows, its missing
 * routes WARN/FAIL, and the auth rows SKIP, so all four statuses appear.
 */
export async function probeServe(profile?: string, name = profile ?? "aioc serve"): Promise<Report> {
  const { quirks, missing } = resolveQuirkList(profile ? [profile] : []);
  const server = await startServer({ port: 0, host: "127.0.0.1", quirks, missing });
  try {
    return await runProbe({
      baseUrl: server.url,
      name,
      depth: "standard",
      timeoutMs: 10_000,
      concurrency: 4,
      maxBodyBytes: 16 << 20,
    });
  } finally {
    await server.close();
  }
}
