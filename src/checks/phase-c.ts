/** Every Phase C check (behaviour depth, stream forensics, auth, real clients), by row id. */
import type { Check } from "../probe/types.js";
import { authChecks } from "./auth.js";
import { boundChecks } from "./chat-bounds.js";
import { errorChecks } from "./chat-errors.js";
import { formatChecks } from "./chat-format.js";
import { logprobChecks } from "./chat-logprobs.js";
import { paramMatrixChecks } from "./chat-param-matrix.js";
import { paramChecks } from "./chat-params.js";
import { toolChecks } from "./chat-tools.js";
import { clientChecks } from "./clients.js";
import { embeddingDepthChecks } from "./embeddings-depth.js";
import { chatForensicsChecks } from "./forensics-chat.js";
import { responsesForensicsChecks } from "./forensics-responses.js";
import { responsesCodexChecks } from "./responses-codex.js";
// responses group (issue #14)
import { responsesParamMatrixChecks } from "./responses-param-matrix.js";
import { responsesStateChecks } from "./responses-state.js";
import { responsesToolChecks } from "./responses-tools.js";

export const phaseCChecks: Record<string, Check> = {
  ...toolChecks,
  ...formatChecks,
  ...boundChecks,
  ...paramChecks,
  ...logprobChecks,
  ...errorChecks,
  ...chatForensicsChecks,
  ...responsesForensicsChecks,
  ...responsesCodexChecks,
  ...authChecks,
  ...embeddingDepthChecks,
  ...clientChecks,
  // responses group (issue #14): state, tools, structured output, incomplete, extension routes
  ...responsesStateChecks,
  ...responsesToolChecks,
  ...paramMatrixChecks,
  ...responsesParamMatrixChecks,
};
