/** Judging what an SDK call returned, shared by the client modules. */
import { compareVectors, isVector } from "../checks/vectors.js";
import { type ClientResult, fail, pass } from "./types.js";

/**
 * An embedding from an SDK, against the server's own float answer for the same input when there is one.
 * `decodedBase64` says the SDK asked for base64 and decoded it (openai-node's default), which names the usual
 * cause of a wrong length: the server ignored encoding_format and the SDK decoded floats as base64.
 */
export function judgeEmbedding(v: unknown, base: number[] | undefined, decodedBase64: boolean): ClientResult {
  const cause = decodedBase64 ? ": the server ignored encoding_format base64 (the SDK's default)" : "";
  if (!Array.isArray(v) || v.length === 0) return fail(`returned an empty embedding${cause}`);
  if (!isVector(v)) return fail("returned an embedding with non-numeric values");
  if (base && v.length !== base.length) {
    const decoded = decodedBase64 ? " and the SDK decoded floats as base64" : "";
    return fail(
      `returned ${v.length} dimensions where the server's float answer has ${base.length}${cause}${decoded}`,
    );
  }
  const off = base ? compareVectors({ le: v }, base, "embedding", "the SDK's vector is")[0] : undefined;
  if (off) return { status: off.problem.severity === "fail" ? "FAIL" : "WARN", detail: off.detail };
  return pass(`${v.length} dimensions`);
}
