/**
 * Issue #13's figures for `npm run bench`: the cost of a hostile body after it has arrived. Each case is one
 * whole `aioc probe` process (discovery, chat, chat stream; quick depth) with a key set, so the secret scrubber
 * runs over every body too. Run alone: `npx tsx scripts/bench-hostile.ts` (after `npm run build`).
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Report } from "../src/report/types.js";
import { type Mode, prepareBombs, runAiocChild, startHostile } from "../test/helpers/hostile-server.js";

export interface HostileFigure {
  figure: string;
  value: string;
  target: string;
  met?: boolean;
}

const ONLY = "^/v1/(models|chat/completions)$";
const mb = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(0)} MB`);

async function bodyCase(mode: Mode, label: string): Promise<HostileFigure> {
  const server = await startHostile({ mode, target: "chat" });
  try {
    const run = await runAiocChild(
      [
        "probe",
        server.url,
        "--only",
        ONLY,
        "--depth",
        "quick",
        "--format",
        "json",
        "--api-key",
        "sk-bench-0123456789abcdef",
      ],
      { killAfterMs: 300_000 },
    );
    const report = JSON.parse(run.stdout || "{}") as Partial<Report>;
    const chat = report.results?.find((r) => r.id === "/v1/chat/completions");
    const ok = run.peakRssMb !== null && run.peakRssMb <= 250 && run.wallMs <= 3000;
    return {
      figure: `${label} (${chat?.status ?? "no report"}: ${chat?.detail ?? run.stderr.trim()}): peak RSS / wall`,
      value: `${mb(run.peakRssMb)} / ${Math.round(run.wallMs)} ms`,
      target: "≤ 250 MB / ≤ 3 s",
      met: ok,
    };
  } finally {
    await server.close();
  }
}

async function bigReportCase(): Promise<HostileFigure> {
  const dir = mkdtempSync(join(tmpdir(), "aioc-bench-hostile-"));
  try {
    const file = join(dir, "200mb.json");
    const fd = openSync(file, "w");
    writeSync(fd, "{}", 200 * 1024 * 1024);
    closeSync(fd);
    const run = await runAiocChild(["render", file]);
    return {
      figure: `\`aioc render\` of a 200 MB report (refused: exit ${run.code}): peak RSS / wall`,
      value: `${mb(run.peakRssMb)} / ${Math.round(run.wallMs)} ms`,
      target: "exit 2, ≤ 120 MB",
      met: run.code === 2 && run.peakRssMb !== null && run.peakRssMb <= 120,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The section's figures, in table order. */
export async function hostileBodyFigures(log: (s: string) => void = () => {}): Promise<HostileFigure[]> {
  log("5. hostile bodies after arrival: 1,000,000 keys, 15 MB, a 200 MB report");
  await prepareBombs();
  return [
    await bodyCase("million-keys", "11 MB body, one object of 1,000,000 keys"),
    await bodyCase("body-15mb", "15.6 MB body (under the 16 MB cap)"),
    await bigReportCase(),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of await hostileBodyFigures()) {
    process.stdout.write(
      `${f.figure}  ${f.value}  ${f.target}  ${f.met === undefined ? "" : f.met ? "met" : "MISSED"}\n`,
    );
  }
}
