/**
 * One target, one or several chat models: the first model's run probes every row; each further model re-runs only
 * the rows that use the chat model, and its report takes the shared rows from the first run (they were probed
 * once). The result is one complete report per model, each keeping the report contract.
 */

import { ENDPOINTS } from "../catalog/endpoints.js";
import type { TargetSpec } from "../config/resolve.js";
import { clipText } from "../render/escape.js";
import { type Report, summarize } from "../report/types.js";
import { connect } from "./connect.js";
import { classifyModel } from "./models.js";
import { type ProbeOptions, runProbe } from "./run.js";
import { isModelRow, type Shard, unitFilter } from "./split.js";

export type RunHooks = Pick<ProbeOptions, "onStart" | "onActive" | "onResult" | "onExchange" | "onRaw">;

export interface TargetRun {
  spec: TargetSpec;
  /** Position of the target in the plan (for the shard deal). */
  index: number;
  shard?: Shard;
  hooks?: RunHooks;
  /** Called once the base URL is known (for the banner). */
  onTarget?: (baseUrl: string, note: string | undefined) => void;
}

export async function probeTarget(run: TargetRun): Promise<Report[]> {
  const { spec, shard } = run;
  const c = connect({
    url: spec.url,
    headers: spec.headers,
    auth: spec.auth,
    key: spec.key,
    net: spec.net,
    shard: shard ? `${shard.index}/${shard.count}` : undefined,
  });
  run.onTarget?.(c.target.baseUrl, c.target.note);
  const base: ProbeOptions = {
    baseUrl: c.target.baseUrl,
    name: spec.name,
    apiKey: spec.key,
    models: { ...c.models, ...spec.models },
    only: spec.only,
    skip: spec.skip,
    groups: spec.groups,
    expect: spec.expect,
    clients: spec.clients,
    python: spec.python, // clients (issue #14)
    params: spec.params,
    skipPhaseB: spec.skipPhaseB,
    timeoutMs: spec.timeoutMs,
    concurrency: spec.concurrency,
    depth: spec.depth,
    maxBodyBytes: spec.maxBodyBytes,
    connection: c.connection,
    net: spec.net,
    secrets: c.secrets,
    reportConnection: c.report,
    ...run.hooks,
  };
  let listed: string[] = [];
  const first = await runProbe({
    ...base,
    filter: unitFilter(run.index, 0, shard),
    onDiscovery: (ids) => {
      listed = ids;
    },
  });
  const chosen = first.models.chat;
  const models = spec.chatModels.length > 0 ? spec.chatModels : spec.allModels ? allChat(listed, chosen) : [];
  const capped = spec.allModels ? models.slice(0, spec.maxModels) : models;
  if (capped.length <= 1) return [first];
  const reports = [named(first, capped[0]!)];
  for (const [m, model] of capped.slice(1).entries()) {
    const report = await runProbe({
      ...base,
      models: { ...base.models, chat: model },
      filter: unitFilter(run.index, m + 1, shard),
    });
    reports.push(named(withSharedRows(report, first), model));
  }
  return reports;
}

/** The advertised chat models, the one the first run used first. */
function allChat(listed: readonly string[], chosen: string | undefined): string[] {
  const chat = listed.filter((id) => classifyModel(id) === "chat");
  return [...new Set([...(chosen ? [chosen] : []), ...chat])];
}

function named(report: Report, model: string): Report {
  return { ...report, target: { ...report.target, name: `${report.target.name} · ${clipText(model)}` } };
}

/** A further model's report: its own model rows plus the first run's shared rows, in catalog order. */
function withSharedRows(report: Report, first: Report): Report {
  const order = new Map(ENDPOINTS.map((e, i) => [e.id, i]));
  const byId = new Map(ENDPOINTS.map((e) => [e.id, e]));
  const shared = first.results.filter((r) => {
    const row = byId.get(r.id);
    return !row || !isModelRow(row);
  });
  const results = [...shared, ...report.results].sort(
    (a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9),
  );
  return { ...report, results, summary: summarize(results) };
}
