/**
 * Azure OpenAI deployment URLs: `https://NAME.openai.azure.com/openai/deployments/DEPLOYMENT?api-version=V`.
 * Azure routes the model-bound endpoints under the deployment (the deployment *is* the model, the body's
 * `model` is ignored), keeps account-wide ones under `/openai/`, wants the key in an `api-key:` header and
 * `api-version` on every call (the transport keeps the base URL's query on every request).
 * Not supported: Microsoft Entra ID tokens (pass one with `--auth bearer --api-key TOKEN` or `-H`), several
 * deployments in one run (probe each deployment URL, or use a config file with one target per deployment).
 */

import type { ModelKind } from "../catalog/endpoints.js";
import { UsageError } from "../cli/errors.js";
import { classifyModel } from "./models.js";

export interface AzureDeployment {
  deployment: string;
  /** The kind of model the deployment serves, guessed from its name (chat unless it reads otherwise). */
  kind: ModelKind;
  routePath: (path: string) => string;
}

/** Catalog routes Azure serves under `/openai/deployments/{deployment}/`. */
const DEPLOYMENT_ROUTES =
  /^\/v1\/(chat\/completions|completions|embeddings|audio\/(speech|transcriptions|translations)|images\/(generations|edits|variations))(?=$|[?/])/;

/** Endpoint paths a user may have pasted after the deployment; the base is what comes before them. */
const PASTED_SUFFIX = /\/(chat\/completions|completions|embeddings|audio\/\w+|images\/\w+)\/?$/;

const DEPLOYMENT_PATH = /^(.*?)\/openai\/deployments\/([^/]+)$/;

export function isAzureHost(hostname: string): boolean {
  return /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i.test(hostname);
}

/** Recognises a deployment URL; returns the normalised base (path without a pasted endpoint) and its routes. */
export function azureDeployment(url: URL): { path: string; deployment: AzureDeployment } | undefined {
  const path = url.pathname.replace(/\/+$/, "").replace(PASTED_SUFFIX, "");
  const m = DEPLOYMENT_PATH.exec(path);
  if (!m) return undefined;
  const prefix = m[1]!;
  const deployment = decodeURIComponent(m[2]!);
  if (!url.searchParams.get("api-version")) {
    throw new UsageError(
      "an Azure OpenAI deployment URL needs ?api-version=… (e.g. ?api-version=2024-10-21); Azure rejects calls without it",
    );
  }
  const kind = classifyModel(deployment);
  const routePath = (p: string) =>
    p.replace(
      /^\/v1/,
      DEPLOYMENT_ROUTES.test(p) ? `${prefix}/openai/deployments/${m[2]}` : `${prefix}/openai`,
    );
  return { path, deployment: { deployment, kind: kind === "other" ? "chat" : kind, routePath } };
}
