/**
 * The report contract as JSON Schema (2020-12), published as docs/report.schema.json for tools that read
 * aioc reports. Mirrors src/report/types.ts; test/report-schema.test.ts validates real reports against it.
 */
const STATUS = { enum: ["PASS", "WARN", "FAIL", "SKIP"] };
const NULLABLE_NUMBER = { type: ["number", "null"] };
const STRING_MAP = { type: "object", additionalProperties: { type: "string" } };

const problem = {
  type: "object",
  required: ["pointer", "expected", "got", "severity"],
  properties: {
    pointer: { type: "string", description: "JSON pointer into the body, or header:<name>, status, stream…" },
    expected: { type: "string" },
    got: { type: "string" },
    severity: { enum: ["fail", "warn"] },
    source: { type: "string", description: "OpenAPI component the expectation comes from" },
  },
};

const exchange = {
  type: "object",
  required: ["request"],
  properties: {
    request: {
      type: "object",
      required: ["method", "url", "headers"],
      properties: {
        method: { type: "string" },
        url: { type: "string" },
        headers: STRING_MAP,
        body: { type: "string" },
      },
    },
    response: {
      type: "object",
      required: ["status", "headers", "body", "truncated"],
      properties: {
        status: { type: "integer" },
        headers: STRING_MAP,
        body: { type: "string" },
        truncated: { type: "boolean" },
      },
    },
  },
};

const result = {
  type: "object",
  required: [
    "id",
    "path",
    "method",
    "group",
    "kind",
    "label",
    "status",
    "detail",
    "httpStatus",
    "latencyMs",
    "phase",
    "problems",
    "deviations",
    "requests",
  ],
  properties: {
    id: { type: "string", description: "path, with [variant] for variants, or client:<sdk>/<call>" },
    path: { type: "string" },
    method: { enum: ["GET", "POST"] },
    group: { enum: ["models", "chat", "audio", "images", "videos", "embeddings", "files", "moderations"] },
    kind: { enum: ["core", "ext", "ours"] },
    label: { enum: ["protocol", "behaviour"] },
    status: STATUS,
    detail: { type: "string" },
    httpStatus: { type: ["integer", "null"] },
    latencyMs: NULLABLE_NUMBER,
    phase: { enum: ["A", "B", "C"] },
    problems: { type: "array", items: problem },
    deviations: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "summary", "implementations"],
        properties: {
          id: { type: "string" },
          summary: { type: "string" },
          implementations: { type: "array", items: { type: "string" } },
        },
      },
    },
    metrics: {
      type: "object",
      properties: {
        ttfbMs: { type: "number" },
        ttftMs: { type: "number" },
        tokensPerSecond: { type: "number" },
        chunks: { type: "number" },
      },
    },
    requests: { type: "integer", minimum: 0 },
    exchanges: { type: "array", items: exchange },
  },
};

export const REPORT_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:aioc:report:1",
  title: "aioc report",
  type: "object",
  required: [
    "tool",
    "version",
    "reportVersion",
    "specSource",
    "target",
    "startedAt",
    "durationMs",
    "options",
    "models",
    "summary",
    "requests",
    "results",
  ],
  properties: {
    tool: { const: "aioc" },
    version: { type: "string" },
    reportVersion: { const: 1 },
    specSource: { type: "string" },
    target: {
      type: "object",
      required: ["url", "name"],
      properties: { url: { type: "string" }, name: { type: "string" } },
    },
    startedAt: { type: "string", format: "date-time" },
    durationMs: { type: "number" },
    options: {
      type: "object",
      required: ["depth", "concurrency", "timeoutMs", "authenticated"],
      properties: {
        depth: { enum: ["quick", "standard", "deep"] },
        concurrency: { type: "integer" },
        timeoutMs: { type: "number" },
        authenticated: { type: "boolean" },
      },
    },
    models: STRING_MAP,
    summary: {
      type: "object",
      required: ["PASS", "WARN", "FAIL", "SKIP"],
      properties: Object.fromEntries(STATUS.enum.map((s) => [s, { type: "integer", minimum: 0 }])),
    },
    scope: {
      type: "object",
      description: "which rule graded absent routes: --expect, the server's own word, or the row kind",
      required: ["rule", "text", "absent"],
      properties: {
        rule: { enum: ["expect", "server", "kind"] },
        text: { type: "string" },
        capabilities: { type: "array", items: { type: "string" } },
        absent: { type: "integer", minimum: 0 },
      },
    },
    requests: { type: "integer", minimum: 0 },
    notices: {
      type: "array",
      description:
        "run-level findings said once above the rows; uniform-rejection and target-stopped make the run inconclusive",
      items: {
        type: "object",
        required: ["kind", "message"],
        properties: {
          kind: {
            enum: [
              "uniform-rejection",
              "target-stopped",
              "nothing-checked",
              "not-an-api",
              "model-not-listed",
            ],
          },
          message: { type: "string" },
        },
      },
    },
    results: { type: "array", items: result },
    connection: {
      type: "object",
      required: ["auth", "headers"],
      properties: {
        auth: { enum: ["bearer", "api-key", "none"] },
        headers: { type: "array", items: { type: "string" } },
        proxy: { type: "string" },
        proxySource: { type: "string" },
        insecure: { type: "boolean" },
        caFile: { type: "string" },
        azureDeployment: { type: "string" },
        shard: { type: "string" },
      },
    },
  },
} as const;
