/**
 * Usage arithmetic: OpenAI's `total_tokens` is prompt + completion (chat, completions) or input + output
 * (Responses). A different total is WARN: clients read the fields they bill by, but budgets and dashboards that
 * take the total disagree with them.
 */
import type { Problem } from "../report/types.js";

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** A mismatch in one usage object at `pointer`, or nothing. */
function usageMismatch(usage: unknown, pointer: string): Problem | undefined {
  if (!usage || typeof usage !== "object") return undefined;
  const u = usage as Record<string, unknown>;
  const [a, b, names] = isCount(u.prompt_tokens)
    ? [u.prompt_tokens, u.completion_tokens, "prompt_tokens + completion_tokens"]
    : [u.input_tokens, u.output_tokens, "input_tokens + output_tokens"];
  // Embeddings usage has no completion count; nothing to add up.
  if (!isCount(a) || !isCount(b) || !isCount(u.total_tokens)) return undefined;
  if (u.total_tokens === a + b) return undefined;
  return {
    pointer: `${pointer}/total_tokens`,
    expected: `${a + b} (${names})`,
    got: String(u.total_tokens),
    severity: "warn",
  };
}

/** A JSON body's `usage` (chat, completions; Responses nest it the same way). */
export function usageProblems(body: unknown): Problem[] {
  const usage = body && typeof body === "object" ? (body as { usage?: unknown }).usage : undefined;
  const p = usageMismatch(usage, "/usage");
  return p ? [p] : [];
}

/** The first stream frame whose usage does not add up (chat/completions chunks, Responses terminal events). */
export function streamUsageProblems(frames: readonly { i: number; data: unknown }[]): Problem[] {
  for (const { i, data } of frames) {
    if (!data || typeof data !== "object") continue;
    const f = data as { usage?: unknown; response?: { usage?: unknown } };
    const p =
      usageMismatch(f.usage, `stream/${i}/usage`) ??
      usageMismatch(f.response?.usage, `stream/${i}/response/usage`);
    if (p) return [p];
  }
  return [];
}
