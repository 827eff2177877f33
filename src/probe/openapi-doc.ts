/** The server's own OpenAPI document (FastAPI servers such as vLLM, SGLang and LiteLLM serve `/openapi.json`). */
import { parseJson } from "../http/json.js";
import type { RowHttp } from "./types.js";

/** GETs `/openapi.json` beside `/v1`; undefined unless it answers 200 with JSON. */
export async function fetchOpenapi(http: RowHttp): Promise<unknown> {
  const out = await http.send({ method: "GET", path: "/openapi.json" });
  if (!out.ok || out.res.status !== 200) return undefined;
  const parsed = parseJson(out.res.body);
  return parsed.ok ? parsed.value : undefined;
}
