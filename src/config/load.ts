/**
 * Reads and validates a config file. Every mistake is one line naming the file, the field's path and what is
 * wrong with it (`aioc.config.json: /targets/1/auth must be one of bearer, api-key, none`).
 * `${NAME}` in a string is replaced by the environment variable NAME, so keys stay out of the file.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../cli/errors.js";
import { CONFIG_SCHEMA, type ConfigFile, type TargetConfig } from "./schema.js";

export const DEFAULT_CONFIG = "aioc.config.json";

/** The config to use: `--config`, else `$AIOC_CONFIG`, else `./aioc.config.json` when present. */
export function configPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): string | undefined {
  if (flag) return flag;
  if (env.AIOC_CONFIG) return env.AIOC_CONFIG;
  const local = resolve(cwd, DEFAULT_CONFIG);
  return existsSync(local) ? local : undefined;
}

export async function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<ConfigFile> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read config ${path}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const reason = (err as Error).message.replace(/,\s*".*" is not valid JSON$/s, "");
    throw new UsageError(`config ${path} is not valid JSON: ${reason.split("\n")[0]}`);
  }
  // Loaded only when there is a config; ajv is CommonJS, so its class may sit on the interop default.
  const mod = await import("ajv/dist/2020.js");
  const Ajv = mod.Ajv2020 ?? (mod as unknown as { default: typeof mod }).default.Ajv2020;
  const validate = new Ajv({ allErrors: false, strict: false }).compile(CONFIG_SCHEMA);
  if (!validate(data)) {
    const e = validate.errors![0]!;
    const where = e.instancePath || "/";
    const what =
      e.keyword === "additionalProperties"
        ? `has unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`
        : e.keyword === "enum"
          ? `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`
          : e.keyword === "required"
            ? `lacks required field "${(e.params as { missingProperty: string }).missingProperty}"`
            : e.message;
    throw new UsageError(`config ${path}: ${where} ${what}`);
  }
  const config = data as ConfigFile;
  const base = dirname(resolve(path));
  const fix = (t: TargetConfig, at: string): TargetConfig => {
    const out = expandEnv(t, at, path, env) as TargetConfig;
    if (out.caFile) out.caFile = resolve(base, out.caFile);
    return out;
  };
  return {
    ...config,
    defaults: config.defaults ? fix(config.defaults, "/defaults") : undefined,
    targets: config.targets.map((t, i) => fix(t, `/targets/${i}`) as ConfigFile["targets"][number]),
  };
}

/** Replaces `${NAME}` in every string; an unset variable is an error naming the field. */
function expandEnv(value: unknown, at: string, file: string, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined) throw new UsageError(`config ${file}: ${at} uses \${${name}}, which is not set`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, `${at}/${i}`, file, env));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expandEnv(v, `${at}/${k}`, file, env)]),
    );
  }
  return value;
}
