/** Stream forensics for chat completions and legacy completions streams (see forensics.ts for the rules). */
import type { Check } from "../probe/types.js";
import { asRecord, type Finding, finding } from "./depth.js";
import { framingFindings, settleForensics, startForensics } from "./forensics.js";
import type { Frame } from "./stream-frames.js";

interface Chunk {
  i: number;
  atMs: number;
  data: Record<string, unknown>;
  choices: Record<string, unknown>[];
}

function chunksOf(frames: Frame[]): Chunk[] {
  const chunks: Chunk[] = [];
  for (const fr of frames) {
    const data = asRecord(fr.data);
    if (!data) continue;
    const choices = Array.isArray(data.choices) ? data.choices.map((c) => asRecord(c) ?? {}) : [];
    chunks.push({ i: fr.i, atMs: fr.atMs, data, choices });
  }
  return chunks;
}

/** Every chunk needs a `choices` array: clients index into it. */
function choicesFindings(chunks: Chunk[], consequence: string): Finding[] {
  const bad = chunks.find((c) => !Array.isArray(c.data.choices));
  if (!bad) return [];
  return [
    finding(
      "fail",
      `stream/${bad.i}/choices`,
      "an array",
      "missing",
      `the chunk at event ${bad.i} has no choices array (${consequence})`,
    ),
  ];
}

/**
 * One stream, one id. A changing id is FAIL: openai-go's ChatCompletionAccumulator rejects the chunk, and
 * clients that merge chunks by id split one reply into several (deviation chunk-id-changes).
 */
function idFindings(chunks: Chunk[]): Finding[] {
  const first = chunks[0]?.data.id;
  for (const c of chunks) {
    const id = c.data.id;
    if (typeof id !== "string" || !id) {
      return [
        finding(
          "warn",
          `stream/${c.i}/id`,
          "the stream's id",
          "missing",
          `the chunk at event ${c.i} has no id`,
        ),
      ];
    }
    if (id !== first) {
      return [
        finding(
          "fail",
          `stream/${c.i}/id`,
          JSON.stringify(first),
          JSON.stringify(id),
          `the chunk at event ${c.i} has id ${JSON.stringify(id)}, the first had ${JSON.stringify(first)}` +
            ": one stream should carry one id (openai-go's accumulator rejects the chunk)",
        ),
      ];
    }
  }
  return [];
}

/** Exactly one finish_reason per choice index; `missing` says what a missing one costs. */
function finishFindings(chunks: Chunk[], missing: (index: number) => Finding): Finding[] {
  const seen = new Map<number, { count: number; second?: string }>();
  for (const c of chunks) {
    c.choices.forEach((choice, pos) => {
      const index = typeof choice.index === "number" ? choice.index : 0;
      const entry = seen.get(index) ?? { count: 0 };
      seen.set(index, entry);
      // "" is no finish either: openai-node's stream helper keeps only a truthy finish_reason (the stream row
      // reports "" itself, deviation finish-reason-nonstandard).
      if (!choice.finish_reason) return;
      entry.count++;
      if (entry.count === 2) entry.second = `stream/${c.i}/choices/${pos}/finish_reason`;
    });
  }
  const findings: Finding[] = [];
  for (const [index, { count, second }] of [...seen].sort(([a], [b]) => a - b)) {
    if (count === 0) findings.push(missing(index));
    else if (count > 1) {
      findings.push(
        finding(
          "warn",
          second!,
          "one finish_reason",
          `${count}`,
          `finish_reason sent ${count} times for choice ${index}`,
        ),
      );
    }
  }
  return findings;
}

function roleFindings(chunks: Chunk[]): Finding[] {
  const withChoices = chunks.filter((c) => c.choices.length > 0);
  const first = withChoices[0];
  if (!first) return [];
  const role = asRecord(first.choices[0]!.delta)?.role;
  const at = `stream/${first.i}/choices/0/delta/role`;
  if (role === "assistant") return [];
  if (role !== undefined && role !== null) {
    return [
      finding(
        "warn",
        at,
        "assistant",
        JSON.stringify(role),
        `the first delta's role is ${JSON.stringify(role)}, not "assistant"`,
      ),
    ];
  }
  const later = withChoices.find((c) => c.choices.some((ch) => asRecord(ch.delta)?.role));
  if (later) {
    return [
      finding(
        "warn",
        at,
        "assistant",
        "missing",
        `the first delta carries no role; it comes at event ${later.i}`,
      ),
    ];
  }
  return [
    finding(
      "fail",
      at,
      "assistant",
      "missing",
      `no delta carries a role (openai-node's stream helper throws "missing role for choice 0")`,
    ),
  ];
}

/** The include_usage chunk: present, once, `choices: []`, last. */
function usageFindings(chunks: Chunk[]): Finding[] {
  const withUsage = chunks.filter((c) => asRecord(c.data.usage));
  const last = withUsage.at(-1);
  if (!last) {
    return [
      finding(
        "warn",
        "stream",
        "a final chunk with usage (stream_options.include_usage)",
        "no usage chunk",
        "no usage chunk although stream_options.include_usage was set",
      ),
    ];
  }
  const findings: Finding[] = [];
  if (withUsage.length > 1) {
    findings.push(
      finding(
        "warn",
        `stream/${withUsage[0]!.i}/usage`,
        "usage once, in the final chunk",
        `${withUsage.length} chunks`,
        `usage on ${withUsage.length} chunks; OpenAI sends it once, in the final chunk`,
      ),
    );
  }
  if (Array.isArray(last.data.choices) && last.choices.length > 0) {
    findings.push(
      finding(
        "warn",
        `stream/${last.i}/choices`,
        "[] in the usage chunk",
        `array(${last.choices.length})`,
        `the usage chunk carries ${last.choices.length} choice(s); OpenAI sends choices: []`,
      ),
    );
  }
  const after = chunks.filter((c) => c.i > last.i).length;
  if (after > 0) {
    findings.push(
      finding(
        "warn",
        `stream/${last.i}`,
        "the usage chunk last",
        `${after} chunk(s) after it`,
        `${after} chunk(s) follow the usage chunk; OpenAI sends it last`,
      ),
    );
  }
  return findings;
}

const hasText = (v: unknown) => typeof v === "string" && v.length > 0;

function completionTokens(chunks: Chunk[]): number | undefined {
  const used = asRecord(chunks.filter((c) => asRecord(c.data.usage)).at(-1)?.data.usage)?.completion_tokens;
  return typeof used === "number" ? used : undefined;
}

/**
 * A chunk stream's row: framing, then the dialect's `findings`; TTFT at the first chunk with `content`, tokens
 * from the usage chunk (else content chunks).
 */
function chunkForensics(
  findings: (chunks: Chunk[]) => Finding[],
  content: (choice: Record<string, unknown>) => boolean,
): Check {
  return async (ctx) => {
    const start = await startForensics(ctx);
    if (start.skip) return start.skip;
    const { f } = start;
    const chunks = chunksOf(f.view.frames);
    const withContent = chunks.filter((c) => c.choices.some(content));
    return settleForensics(
      f,
      [...framingFindings(f, true), ...findings(chunks)],
      withContent[0]?.atMs,
      completionTokens(chunks) ?? withContent.length,
    );
  };
}

const chatForensics = chunkForensics(
  (chunks) => [
    ...choicesFindings(chunks, "openai-node's stream helper iterates chunk.choices and throws"),
    ...roleFindings(chunks),
    ...idFindings(chunks),
    ...finishFindings(chunks, (index) =>
      // `expected`/`got` as the base row words it, so the no-finish-reason deviation recognises it.
      finding(
        "fail",
        "stream",
        "a chunk carrying finish_reason",
        "none",
        `no chunk carries finish_reason for choice ${index} (openai-node's stream helper throws "missing finish_reason")`,
      ),
    ),
    ...usageFindings(chunks),
  ],
  (choice) => {
    const delta = asRecord(choice.delta);
    return (
      hasText(delta?.content) ||
      hasText(delta?.refusal) ||
      (Array.isArray(delta?.tool_calls) && delta.tool_calls.length > 0)
    );
  },
);

const completionsForensics = chunkForensics(
  (chunks) => [
    ...choicesFindings(chunks, "clients read choices[0].text"),
    ...idFindings(chunks),
    ...finishFindings(chunks, (index) =>
      finding(
        "warn",
        "stream",
        `a finish_reason for choice ${index}`,
        "none",
        `no chunk carries finish_reason for choice ${index}: clients cannot tell a finished answer from a cut one`,
      ),
    ),
  ],
  (choice) => hasText(choice.text),
);

export const chatForensicsChecks: Record<string, Check> = {
  "/v1/chat/completions[stream-forensics]": chatForensics,
  "/v1/completions[stream-forensics]": completionsForensics,
};
