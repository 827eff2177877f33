/**
 * Quirks against the prober, over real HTTP on loopback: every catalog deviation has a quirk (`dev:<id>`) that makes
 * `aioc probe` report exactly that deviation, on the rows listed here and with the catalog's verdict; and every
 * implementation profile reports exactly what its definition (deviations + missing routes) predicts.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { PROBE_SETTINGS, probeProfile } from "../scripts/gen-implementation-docs.js";
import { ENDPOINTS, type Endpoint, findEndpoint } from "../src/catalog/endpoints.js";
import { UsageError } from "../src/cli/errors.js";
import { DEVIATIONS, deviationsOf, findDeviation } from "../src/deviations/catalog.js";
import { selectRows } from "../src/probe/plan.js";
import type { Report, Status } from "../src/report/types.js";
import {
  PROFILES,
  profileQuirks,
  QUIRK_BEHAVIOUR,
  QUIRKS,
  resolveQuirkList,
  resolveQuirks,
} from "../src/serve/quirks.js";

const chat = (...variants: string[]) =>
  variants.map((v) => (v ? `/v1/chat/completions[${v}]` : "/v1/chat/completions"));

const CHAT_STREAM = "/v1/chat/completions[stream]";
const COMPLETIONS_STREAM = "/v1/completions[stream]";
const TOOLS_STREAM = "/v1/chat/completions[tools-stream]";
const CHAT_FORENSICS = "/v1/chat/completions[stream-forensics]";
const COMPLETIONS_FORENSICS = "/v1/completions[stream-forensics]";
const OPENAI_STREAM = "client:openai-node/chat.stream";
const UNKNOWN_MODEL = "/v1/chat/completions[error-unknown-model]";
const PARAM = (name: string) => `/v1/chat/completions[param:${name}]`;
/** The Responses parameter matrix (src/catalog/responses-params.ts). */
const RPARAM = (name: string) => `/v1/responses[param:${name}]`;
/** Chat rows whose (non-streamed) body the shapes validate. */
const CHAT_BODIES = chat(
  "",
  "tools",
  "tool-result",
  "tools-required",
  "json_object",
  "json_schema",
  "max_tokens",
  "stop",
  "n",
  "logprobs",
  "extra-fields",
);

interface Expectation {
  /** Every row that reports the deviation (with the catalog's verdict unless `consequences` says otherwise). */
  rows: readonly string[];
  /**
   * Rows whose status is the direct consequence of the deviation, with why. Kept short: each one is a client or
   * check that the catalog entry itself says breaks on the behaviour.
   */
  consequences?: Readonly<Record<string, readonly [Status, string]>>;
}

/** What `dev:<id>` makes the probe report (standard depth, with an API key). */
/** responses group: the streamed forced call sees the same stream defects as [stream]. */
const RESPONSES_TOOLS_STREAM = "/v1/responses[tools-stream]";

const EXPECT: Readonly<Record<string, Expectation>> = {
  "model-retrieve-404": { rows: ["/v1/models/{model}"] },
  "missing-created": {
    rows: ["/v1/models", "/v1/models/{model}", CHAT_STREAM, COMPLETIONS_STREAM, TOOLS_STREAM],
  },
  "missing-object": { rows: [CHAT_STREAM, COMPLETIONS_STREAM, TOOLS_STREAM] },
  "missing-index": { rows: CHAT_BODIES },
  "stream-no-usage": {
    rows: [CHAT_STREAM, CHAT_FORENSICS],
    consequences: {
      [PARAM("stream_options")]: ["WARN", "restates [stream]: include_usage gave no usage chunk"],
    },
  },
  "stream-usage-every-chunk": { rows: [CHAT_STREAM, CHAT_FORENSICS] },
  "usage-chunk-with-choices": { rows: [CHAT_STREAM, CHAT_FORENSICS] },
  "usage-on-final-choice-chunk": { rows: [COMPLETIONS_STREAM, COMPLETIONS_FORENSICS] },
  "no-finish-reason": {
    rows: [CHAT_STREAM, CHAT_FORENSICS, TOOLS_STREAM],
    consequences: {
      [OPENAI_STREAM]: ["FAIL", 'openai-node\'s stream helper throws "missing finish_reason" (catalog why)'],
      "client:ai-sdk/streamText": [
        "FAIL",
        'the AI SDK fails "Response stream ended without a finish reason"',
      ],
    },
  },
  "missing-chunk-finish-reason": { rows: [CHAT_STREAM, COMPLETIONS_STREAM, TOOLS_STREAM] },
  "stream-missing-index": {
    rows: [CHAT_STREAM, COMPLETIONS_STREAM, TOOLS_STREAM],
    consequences: {
      [OPENAI_STREAM]: [
        "FAIL",
        "openai-node's stream helper files deltas under choices[index] (catalog why)",
      ],
    },
  },
  "stream-missing-role": {
    rows: [CHAT_STREAM, TOOLS_STREAM, CHAT_FORENSICS],
    consequences: {
      [OPENAI_STREAM]: [
        "FAIL",
        'openai-node\'s stream helper throws "missing role for choice 0" (catalog why)',
      ],
    },
  },
  "azure-prompt-filter-chunk": {
    // Chat streams only; openai-node's stream helper and the AI SDK cope (their rows PASS).
    rows: [CHAT_STREAM, TOOLS_STREAM, CHAT_FORENSICS],
  },
  "chunk-id-changes": {
    rows: [CHAT_STREAM, COMPLETIONS_STREAM, TOOLS_STREAM, CHAT_FORENSICS, COMPLETIONS_FORENSICS],
  },
  "stream-null-fields": {
    rows: [CHAT_STREAM, COMPLETIONS_STREAM, TOOLS_STREAM, CHAT_FORENSICS, COMPLETIONS_FORENSICS],
  },
  "finish-reason-nonstandard": {
    // Not [tools] (finish_reason tool_calls) nor [max_tokens] (length): only "stop" is renamed.
    rows: [
      ...chat("", "tool-result", "json_object", "json_schema", "stop", "n", "logprobs", "extra-fields"),
      CHAT_STREAM,
      "/v1/completions",
      COMPLETIONS_STREAM,
    ],
  },
  "tool-call-empty-id": { rows: chat("tools", "tools-stream", "tools-required") },
  "float-created": {
    rows: [...CHAT_BODIES, CHAT_STREAM, TOOLS_STREAM, "/v1/completions", COMPLETIONS_STREAM],
  },
  "sse-wrong-content-type": {
    rows: [
      CHAT_STREAM,
      COMPLETIONS_STREAM,
      "/v1/responses[stream]",
      TOOLS_STREAM,
      CHAT_FORENSICS,
      COMPLETIONS_FORENSICS,
      "/v1/responses[stream-forensics]",
      RESPONSES_TOOLS_STREAM,
    ],
  },
  "responses-stream-done": {
    rows: ["/v1/responses[stream]", "/v1/responses[stream-forensics]", RESPONSES_TOOLS_STREAM],
  },
  "responses-created-no-output": {
    rows: ["/v1/responses[stream]", "/v1/responses[stream-forensics]", RESPONSES_TOOLS_STREAM],
    consequences: {
      "client:openai-node/responses.stream": [
        "FAIL",
        'openai-node\'s responses.stream() throws "rsp.output is not iterable" (catalog why)',
      ],
    },
  },
  "responses-events-no-index": {
    rows: ["/v1/responses[stream]", "/v1/responses[stream-forensics]", RESPONSES_TOOLS_STREAM],
    consequences: {
      "client:openai-node/responses.stream": [
        "FAIL",
        'openai-node\'s responses.stream() throws "missing output at index undefined" (catalog why)',
      ],
    },
  },
  "responses-completed-when-cut": {
    rows: [
      "/v1/responses",
      "/v1/responses[stream]",
      "/v1/responses[stream-forensics]",
      "/v1/responses[incomplete]",
    ],
    consequences: { [RPARAM("max_output_tokens")]: ["WARN", "restates [incomplete]: cut, status completed"] },
  },
  "speech-octet-stream": { rows: ["/v1/audio/speech"] },
  "speech-wrong-audio-type": { rows: ["/v1/audio/speech"] },
  "translations-folded": { rows: ["/v1/audio/translations"] },
  "images-edits-json": { rows: ["/v1/images/edits"] },
  "error-not-envelope": { rows: chat("error-wrong-method") },
  "error-code-integer": {
    rows: [
      ...chat("error-invalid-json", "error-missing-field", "error-unknown-model", "error-wrong-method"),
      ...chat("invalid:temperature", "invalid:n", "invalid:role"),
      "/v1/responses[invalid:temperature]",
      "/v1/responses[invalid:max_output_tokens]",
      "/v1/responses[invalid:input-item]",
      "/v1/models[auth-no-key]",
      "/v1/models[auth-wrong-key]",
    ],
  },
  "model-fallback": { rows: [UNKNOWN_MODEL] },
  "invalid-json-500": { rows: chat("error-invalid-json") },
  "error-with-200": { rows: chat("error-wrong-method") },
  "json-object-not-enforced": {
    rows: chat("json_object"),
    consequences: { [PARAM("response_format-json_object")]: ["FAIL", "restates [json_object]"] },
  },
  "tool-choice-named-ignored": {
    rows: chat("tools", "tools-stream"),
    consequences: {
      "client:openai-node/tools": ["FAIL", "the SDK gets a text answer where the forced call should be"],
      "client:langchain/tools": ["FAIL", "LangChain's bound tool gets a text answer instead of the call"],
      [PARAM("tool_choice-named")]: ["FAIL", "restates [tools]"],
    },
  },
  // responses group (issue #14)
  "previous-response-id-dropped": {
    rows: ["/v1/responses[previous_response_id]"],
    consequences: { [RPARAM("previous_response_id")]: ["FAIL", "restates [previous_response_id]: dropped"] },
  },
  "responses-no-state": {
    rows: ["/v1/responses[store]", "/v1/responses[previous_response_id]"],
    consequences: {
      [RPARAM("store")]: ["WARN", "restates [store]: store true taken, nothing kept (ignored)"],
      [RPARAM("store-false")]: ["SKIP", "[no-store] needs a retrievable response from [store]"],
      [RPARAM("previous_response_id")]: ["WARN", "restates [previous_response_id]'s refusal"],
    },
  },
  "responses-text-format-ignored": {
    rows: ["/v1/responses[json_schema]"],
    consequences: {
      [RPARAM("text-json_schema")]: ["FAIL", "restates [json_schema]"],
      [RPARAM("text-json_object")]: ["FAIL", "text.format json_object is ignored the same way: plain text"],
    },
  },
  "responses-tool-choice-named-ignored": {
    rows: ["/v1/responses[tools]", RESPONSES_TOOLS_STREAM],
    consequences: {
      [RPARAM("tool_choice-named")]: ["FAIL", "restates [tools]"],
      "client:openai-node/responses.tools": [
        "FAIL",
        "the SDK gets a text answer where the forced call should be",
      ],
      "/v1/responses[codex-tools]": [
        "WARN",
        'no call to read: inconclusive for Codex, which sends tool_choice "auto"',
      ],
    },
  },
  "tool-call-after-text": {
    rows: chat("tools", "tools-stream", "tools-required"),
    consequences: {
      "client:openai-node/tools": ["WARN", "the SDK gets the call, and free text beside it"],
      "client:langchain/tools": ["WARN", "LangChain gets the call, and free text beside it"],
      [PARAM("tool_choice-named")]: ["WARN", "restates [tools]"],
      [PARAM("tool_choice-required")]: ["WARN", "restates [tools-required]"],
    },
  },
  // Request parameters and reasoning fields (src/deviations/params.ts; the matrix runs with PROBE_SETTINGS.params).
  // Text answers only: a tool call carries no thinking.
  "reasoning-field": {
    rows: [...CHAT_BODIES.filter((id) => !/\[tools(-required)?\]$/.test(id)), CHAT_STREAM, CHAT_FORENSICS],
  },
  "invalid-values-accepted": { rows: [...chat("invalid:temperature"), "/v1/responses[invalid:temperature]"] },
  "unknown-role-accepted": { rows: chat("invalid:role") },
  "n-ignored": {
    rows: chat("n"),
    consequences: {
      [PARAM("n")]: ["FAIL", "restates [n]: one choice for n 2"],
      "/v1/chat/completions[invalid:n]": ["WARN", "n 0 is answered 200 (accepts invalid)"],
    },
  },
  "finish-reason-stop-when-cut": {
    rows: chat("max_tokens"),
    consequences: {
      [PARAM("max_tokens")]: [
        "WARN",
        "restates its own request in [max_tokens]: honoured, finish_reason stop",
      ],
      [PARAM("max_completion_tokens")]: [
        "WARN",
        "restates its own request in [max_tokens]: honoured, finish_reason stop",
      ],
    },
  },
  "max-completion-tokens-ignored": {
    rows: chat("max_tokens"),
    consequences: { [PARAM("max_completion_tokens")]: ["FAIL", "restates its own request in [max_tokens]"] },
  },
  "top-p-zero-rejected": { rows: [PARAM("top_p"), RPARAM("top_p")] },
  "tool-choice-ignored": { rows: [PARAM("tool_choice-none"), RPARAM("tool_choice-none")] },
  "multimodal-part-500": { rows: [...chat("param:image_url", "param:input_audio"), RPARAM("input_image")] },
  "max-output-tokens-below-minimum": { rows: ["/v1/responses[invalid:max_output_tokens]"] },
  "audio-output-ignored": { rows: chat("param:modalities") },
};

/** Quirks that are a route the server does not serve: the router answers 404 for the path. */
const ROUTE_404: Readonly<Record<string, string>> = {
  "model-retrieve-404": "/v1/models/{model}",
  "translations-folded": "/v1/audio/translations",
};

/** Quirks that change the body of every router 404 (a missing route included). */
const ROUTER_BODY = ["error-not-envelope", "error-code-integer"];

/** Rows where one quirk takes away what another shows: a fallback model answers 200, so there is no error body. */
const MASKED: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  "model-fallback": { [UNKNOWN_MODEL]: ["error-code-integer"] },
  "invalid-values-accepted": {
    "/v1/chat/completions[invalid:temperature]": ["error-code-integer"],
    "/v1/responses[invalid:temperature]": ["error-code-integer"],
  },
  "unknown-role-accepted": { "/v1/chat/completions[invalid:role]": ["error-code-integer"] },
  "max-output-tokens-below-minimum": { "/v1/responses[invalid:max_output_tokens]": ["error-code-integer"] },
  // Ollama accepts previous_response_id (and drops it) instead of refusing it.
  "previous-response-id-dropped": { "/v1/responses[previous_response_id]": ["responses-no-state"] },
};

/**
 * responses group: rows where two quirks together show a deviation neither shows alone (under a profile): a
 * refused or absent stored response carries the profile's error body, and an ignored forced call is a text reply
 * that runs on to max_output_tokens.
 */
const JOINT: readonly [string, string, string, readonly string[]][] = [
  [
    "responses-no-state",
    "error-code-integer",
    "error-code-integer",
    ["/v1/responses[store]", "/v1/responses[previous_response_id]"],
  ],
  // Ollama: the GET of a response it never stored hits the router's 404 (refused chaining is a JSON envelope).
  ["responses-no-state", "error-not-envelope", "error-not-envelope", ["/v1/responses[store]"]],
  [
    "responses-tool-choice-named-ignored",
    "responses-completed-when-cut",
    "responses-completed-when-cut",
    ["/v1/responses[tools-stream]"],
  ],
];

/** The quirk that answers every router error (a missing route included) 200 with an error body instead of 404. */
const ROUTER_200 = "error-with-200";

/**
 * Under ROUTER_200 a missing route answers 200 with an error body, exactly as a path that cannot exist does, so
 * the calibrated existence check calls it absent, the deviation's verdict heading the row (clients take the 200
 * for success), and the rows built on it SKIP ("base row … answers like a path that cannot exist").
 */
/** Rows that create what they need on a second route, and skip when that route is absent. */
const ALSO_USES: Readonly<Record<string, string>> = {
  "/v1/responses[param:conversation]": "/v1/conversations",
};

/** Rows whose `needs` only records the base row's status and never skips them (translations-folded reads it). */
const UNGATED = new Set(["/v1/audio/translations"]);

const RANK: Record<Status, number> = { SKIP: -1, PASS: 0, WARN: 1, FAIL: 2 };
const worst = (statuses: readonly Status[]): Status =>
  statuses.reduce<Status>((a, b) => (RANK[b] > RANK[a] ? b : a), "PASS");

/** One line per row: `id STATUS deviation,ids`, the thing compared. */
const line = (id: string, status: Status, deviations: readonly string[]) =>
  `${id} ${status} ${[...deviations].sort().join(",")}`.trim();

const observed = (report: Report) =>
  report.results.map((r) =>
    line(
      r.id,
      r.status,
      r.deviations.map((d) => d.id),
    ),
  );

// The python rows depend on the machine, so the profile probes leave them out (PROBE_SETTINGS).
const ROWS = selectRows({ depth: PROBE_SETTINGS.depth, params: PROBE_SETTINGS.params }).filter(
  (r) => !r.id.startsWith("client:openai-python/"),
);

function expectedForQuirk(id: string): string[] {
  const d = findDeviation(id)!;
  const e = EXPECT[id]!;
  return ROWS.map((row) => {
    // A server with a route missing serves no /openapi.json unless asked (serve/server.ts `openapi`).
    if (row.id === "openapi:declared" && ROUTE_404[id]) return line(row.id, "SKIP", []);
    const carries = e.rows.includes(row.id);
    const status = e.consequences?.[row.id]?.[0] ?? (carries ? d.verdict : "PASS");
    return line(row.id, status, carries ? [id] : []);
  });
}

/** What a profile must report, from its definition: deviations (EXPECT) and 404 routes. */
function expectedForProfile(profile: string): string[] {
  const quirks = profileQuirks(profile);
  const absentPaths = new Set([
    ...PROFILES[profile]!.missing,
    ...quirks.flatMap((q) => (ROUTE_404[q] ? [ROUTE_404[q]] : [])),
  ]);
  const absent = (row: Endpoint) => absentPaths.has(row.path);
  const skipped = (row: Endpoint): boolean => {
    const also = ALSO_USES[row.id];
    if (also && absentPaths.has(also)) return true;
    const base = row.needs && !UNGATED.has(row.id) ? findEndpoint(row.needs) : undefined;
    return !!base && (absent(base) || skipped(base));
  };
  const router200 = quirks.includes(ROUTER_200);
  return ROWS.map((row) => {
    // Profiles have missing routes, so the test servers serve no /openapi.json (serve/server.ts `openapi`).
    if (row.id === "openapi:declared") return line(row.id, "SKIP", []);
    if (router200 && skipped(row)) return line(row.id, "SKIP", []);
    // A WebSocket upgrade answered 200 is a refused upgrade (FAIL), and its error body the 200 deviation.
    if (router200 && absent(row) && row.path === "/v1/realtime") return line(row.id, "FAIL", [ROUTER_200]);
    if (router200 && absent(row)) return line(row.id, findDeviation(ROUTER_200)!.verdict, [ROUTER_200]);
    if (skipped(row)) return line(row.id, "SKIP", []);
    if (absent(row)) {
      const asDeviation = quirks.filter((q) => ROUTE_404[q] === row.path);
      // The realtime row's 404 answers a WebSocket upgrade: no HTTP router body is judged there.
      const routerBody = row.path === "/v1/realtime" ? [] : quirks.filter((q) => ROUTER_BODY.includes(q));
      const deviations = [...asDeviation, ...routerBody];
      // A route that is a known deviation is graded by it; an absent core route FAILs, an optional one WARNs.
      const status = asDeviation.length > 0 || row.kind !== "core" ? "WARN" : "FAIL";
      return line(row.id, status, deviations);
    }
    const masked = new Set(quirks.flatMap((q) => MASKED[q]?.[row.id] ?? []));
    const joint = JOINT.filter(
      ([a, b, , rows]) => quirks.includes(a) && quirks.includes(b) && rows.includes(row.id),
    );
    const deviations = quirks.filter(
      (q) => (EXPECT[q]!.rows.includes(row.id) || joint.some(([, , d]) => d === q)) && !masked.has(q),
    );
    const statuses = [
      ...deviations.map((q) => findDeviation(q)!.verdict),
      ...quirks.flatMap((q) => EXPECT[q]!.consequences?.[row.id]?.[0] ?? []),
    ];
    // A consequence that skips the row (its source row found nothing to build on) outranks the others.
    if (statuses.includes("SKIP")) return line(row.id, "SKIP", deviations);
    return line(row.id, worst(statuses), deviations);
  });
}

describe("quirk registry", () => {
  const serveDir = fileURLToPath(new URL("../src/serve/", import.meta.url));
  const sources = readdirSync(serveDir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(serveDir, f), "utf8"))
    .join("\n");
  const checked = new Set([...sources.matchAll(/quirks\.has\("([^"]+)"\)/g)].map((m) => m[1]!));
  const ids = DEVIATIONS.map((d) => d.id).sort();

  test("every deviation has a quirk and vice versa", () => {
    assert.deepEqual(Object.keys(QUIRKS).sort(), ids);
    assert.deepEqual(Object.keys(QUIRK_BEHAVIOUR).sort(), ids, "QUIRK_BEHAVIOUR describes every deviation");
    assert.deepEqual(Object.keys(EXPECT).sort(), ids, "this test expects something of every quirk");
  });

  test("every quirk is implemented in src/serve, and only catalog ids are tested there", () => {
    assert.deepEqual([...checked].sort(), ids);
  });

  test("profiles: derived from the catalog, past entries real, missing routes catalog paths", () => {
    const paths = new Set(ENDPOINTS.map((e) => e.path));
    for (const [name, profile] of Object.entries(PROFILES)) {
      const attributed = deviationsOf(profile.implementation).map((d) => d.id);
      assert.ok(
        attributed.length > 0,
        `${name}: the catalog names no deviation for ${profile.implementation}`,
      );
      for (const id of Object.keys(profile.past)) {
        assert.ok(attributed.includes(id), `${name}: past entry ${id} is not attributed to it`);
      }
      assert.deepEqual(
        profileQuirks(name),
        attributed.filter((id) => !Object.hasOwn(profile.past, id)),
      );
      for (const path of profile.missing) {
        assert.ok(paths.has(path), `${name}: ${path} is not a catalog path`);
        // A route that is a deviation the profile imitates is not also a missing route; one whose deviation does
        // not apply (translations when transcriptions is missing too) is.
        const asDeviation = Object.keys(ROUTE_404).filter((q) => ROUTE_404[q] === path);
        assert.ok(
          !asDeviation.some((q) => profileQuirks(name).includes(q)),
          `${name}: ${path} is a deviation it imitates, not a missing route`,
        );
      }
    }
  });

  test("resolveQuirkList expands profiles and dev:<id>, and rejects unknown names", () => {
    const all = resolveQuirkList(["llama.cpp", " dev:float-created ", ""]);
    assert.deepEqual([...all.quirks].sort(), [...profileQuirks("llama.cpp"), "float-created"].sort());
    assert.deepEqual(all.missing, PROFILES["llama.cpp"]!.missing);
    assert.deepEqual([...resolveQuirks(["dev:stream-no-usage"])], ["stream-no-usage"]);
    assert.throws(() => resolveQuirks(["bogus"]), UsageError);
    assert.throws(() => resolveQuirks(["dev:toString"]), /unknown quirk "dev:toString"/);
    assert.throws(() => resolveQuirks(["stream-no-usage"]), /dev:<id>/);
  });
});

describe("each quirk makes the probe report exactly its deviation", () => {
  for (const d of DEVIATIONS) {
    test(`dev:${d.id} → ${d.verdict} on its rows, nothing else`, async () => {
      const report = await probeProfile([`dev:${d.id}`], d.id);
      const reported = new Set(report.results.flatMap((r) => r.deviations.map((x) => x.id)));
      assert.deepEqual([...reported], [d.id]);
      assert.deepEqual(observed(report), expectedForQuirk(d.id));
    });
  }
});

describe("each profile reports what its definition predicts", () => {
  for (const name of Object.keys(PROFILES)) {
    test(`--quirks ${name}`, async () => {
      const report = await probeProfile([name], name);
      assert.deepEqual(observed(report), expectedForProfile(name));
    });
  }
});
