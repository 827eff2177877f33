/**
 * The options that say how to reach a target and what to run against it beyond the catalog defaults: headers,
 * auth scheme, proxy, TLS, config file, several models, sharding. Shared by `probe` (all) and `demo` (headers).
 */
import { type Command, Option } from "commander";
import { AUTH_SCHEMES, type AuthScheme } from "../http/connection.js";

export interface ConnectionFlags {
  header?: string[];
  auth?: AuthScheme;
  /** `--proxy URL`; false for `--no-proxy`. */
  proxy?: string | false;
  caFile?: string;
  insecure?: boolean;
  config?: string;
  models?: string;
  allModels?: boolean;
  maxModels?: string;
  shard?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addHeaderOption(cmd: Command): Command {
  return cmd.option(
    "-H, --header <header>",
    "extra header on every request, 'Name: value' (repeatable; credential values are redacted)",
    collect,
  );
}

export function addConnectionOptions(cmd: Command): Command {
  addHeaderOption(cmd);
  return cmd
    .addOption(
      new Option(
        "--auth <scheme>",
        "how the key is sent: Authorization: Bearer, api-key: header, or not at all",
      )
        .choices(AUTH_SCHEMES)
        .default(undefined, "bearer; api-key for Azure"),
    )
    .option("--proxy <url>", "HTTP(S) proxy (default: $HTTPS_PROXY / $HTTP_PROXY, minus $NO_PROXY)")
    .option("--no-proxy", "connect directly, whatever the environment says")
    .option("--ca-file <pem>", "also trust the CA certificates in this PEM file")
    .option("--insecure", "do not verify TLS certificates (said loudly in the report)")
    .option(
      "--config <file>",
      "targets and settings from a JSON file (default $AIOC_CONFIG, ./aioc.config.json)",
    )
    .option("--models <ids>", "probe the model-dependent rows once per chat model (comma-separated)")
    .option("--all-models", "probe every advertised chat model (capped by --max-models)")
    .option("--max-models <n>", "cap on models per target with --all-models", "3")
    .option("--shard <i/n>", "run only shard i of n of the work (merge the reports with `aioc merge`)");
}
