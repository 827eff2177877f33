import type { Problem, Report, Result } from "../report/types.js";
import { xmlAttr, xmlText } from "./escape.js";
import { groupResults } from "./view.js";

const seconds = (ms: number | null) =>
  ((typeof ms === "number" && Number.isFinite(ms) ? ms : 0) / 1000).toFixed(3);

function problemLine(p: Problem): string {
  const source = p.source ? `, ${p.source}` : "";
  return `${p.pointer}: expected ${p.expected}, got ${p.got} (${p.severity}${source})`;
}

function deviationLines(r: Result): string[] {
  return r.deviations.map(
    (d) =>
      `deviation ${d.id}: ${d.summary}${d.implementations.length ? ` (seen in ${d.implementations.join(", ")})` : ""}`,
  );
}

function testcase(r: Result, group: string): string {
  const open = `<testcase classname="${xmlAttr(`aioc.${group}`)}" name="${xmlAttr(r.id)}" time="${seconds(r.latencyMs)}"`;
  const http = r.httpStatus === null ? "no HTTP status" : `HTTP ${r.httpStatus}`;
  switch (r.status) {
    case "FAIL": {
      const body = [
        `${r.method} ${r.path} → ${http}`,
        ...r.problems.map(problemLine),
        ...deviationLines(r),
      ].join("\n");
      return `${open}>\n      <failure message="${xmlAttr(r.detail)}" type="FAIL">${xmlText(body)}</failure>\n    </testcase>`;
    }
    case "SKIP":
      return `${open}>\n      <skipped message="${xmlAttr(r.detail)}"/>\n    </testcase>`;
    case "WARN": {
      const out = [`WARN: ${r.detail}`, ...r.problems.map(problemLine), ...deviationLines(r)].join("\n");
      return `${open}>\n      <system-out>${xmlText(out)}</system-out>\n    </testcase>`;
    }
    default: {
      const notes = deviationLines(r);
      if (notes.length === 0) return `${open}/>`;
      return `${open}>\n      <system-out>${xmlText([`PASS: ${r.detail}`, ...notes].join("\n"))}</system-out>\n    </testcase>`;
    }
  }
}

/** JUnit XML for CI: one suite per group, one case per result; WARN passes with a note in `<system-out>`. */
export function renderJunit(report: Report): string {
  const suites = groupResults(report.results).map((g) => {
    const failures = g.results.filter((r) => r.status === "FAIL").length;
    const skipped = g.results.filter((r) => r.status === "SKIP").length;
    const time = g.results.reduce((t, r) => t + Number(seconds(r.latencyMs)), 0);
    const attrs = [
      `name="${xmlAttr(g.group)}"`,
      `tests="${g.results.length}"`,
      `failures="${failures}"`,
      'errors="0"',
      `skipped="${skipped}"`,
      `time="${time.toFixed(3)}"`,
      `timestamp="${xmlAttr(report.startedAt)}"`,
    ].join(" ");
    const properties = [
      ["target.name", report.target.name],
      ["target.url", report.target.url],
      ["aioc.version", report.version],
      ["group.title", g.title],
    ]
      .map(([k, v]) => `      <property name="${k}" value="${xmlAttr(v ?? "")}"/>`)
      .join("\n");
    const cases = g.results.map((r) => `    ${testcase(r, g.group)}`).join("\n");
    return `  <testsuite ${attrs}>\n    <properties>\n${properties}\n    </properties>\n${cases}\n  </testsuite>`;
  });
  const all = report.results;
  const totals = [
    `name="${xmlAttr(`aioc ${report.target.name}`)}"`,
    `tests="${all.length}"`,
    `failures="${all.filter((r) => r.status === "FAIL").length}"`,
    'errors="0"',
    `skipped="${all.filter((r) => r.status === "SKIP").length}"`,
    `time="${seconds(report.durationMs)}"`,
  ].join(" ");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${totals}>\n${suites.join("\n")}\n</testsuites>\n`;
}
