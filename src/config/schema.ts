/** The config file's JSON Schema (`--config`, `$AIOC_CONFIG`, `./aioc.config.json`); docs/config.md shows it in use. */
const MODEL_KINDS = ["chat", "embedding", "tts", "stt", "image", "video", "moderation"];

const target = {
  type: "object",
  additionalProperties: false,
  properties: {
    url: { type: "string", minLength: 1 },
    name: { type: "string" },
    headers: { type: "object", additionalProperties: { type: "string" } },
    auth: { enum: ["bearer", "api-key", "none"] },
    /** Prefer "${ENV_VAR}" to a literal key in a file. */
    apiKey: { type: "string" },
    models: {
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(
        MODEL_KINDS.map((k) => [
          k,
          k === "chat"
            ? { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" }, minItems: 1 }] }
            : { type: "string" },
        ]),
      ),
    },
    allModels: { type: "boolean" },
    maxModels: { type: "integer", minimum: 1 },
    scope: {
      type: "object",
      additionalProperties: false,
      properties: {
        only: { type: "string" },
        skip: { type: "string" },
        group: { type: "string" },
        expect: { type: "string" },
        clients: { type: "boolean" },
        skipPhaseB: { type: "boolean" },
      },
    },
    depth: { enum: ["quick", "standard", "deep"] },
    failOn: { enum: ["fail", "warn", "never"] },
    timeout: { type: "number", exclusiveMinimum: 0 },
    concurrency: { type: "integer", minimum: 1 },
    proxy: { type: "string" },
    caFile: { type: "string" },
    insecure: { type: "boolean" },
  },
} as const;

export const CONFIG_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "aioc config",
  type: "object",
  additionalProperties: false,
  required: ["targets"],
  properties: {
    $schema: { type: "string" },
    /** Settings every target starts from. */
    defaults: { ...target, properties: { ...target.properties } },
    targets: { type: "array", minItems: 1, items: { ...target, required: ["url"] } },
    /** Targets probed at once (each keeps its own request cap). */
    parallel: { type: "integer", minimum: 1 },
  },
} as const;

export interface TargetConfig {
  url?: string;
  name?: string;
  headers?: Record<string, string>;
  auth?: "bearer" | "api-key" | "none";
  apiKey?: string;
  models?: { chat?: string | string[] } & Partial<Record<string, string | string[]>>;
  allModels?: boolean;
  maxModels?: number;
  scope?: {
    only?: string;
    skip?: string;
    group?: string;
    expect?: string;
    clients?: boolean;
    skipPhaseB?: boolean;
  };
  depth?: "quick" | "standard" | "deep";
  failOn?: "fail" | "warn" | "never";
  timeout?: number;
  concurrency?: number;
  proxy?: string;
  caFile?: string;
  insecure?: boolean;
}

export interface ConfigFile {
  defaults?: TargetConfig;
  targets: (TargetConfig & { url: string })[];
  parallel?: number;
}
