/** Phase C logprobs: logprobs/top_logprobs populate choices[].logprobs.content. */
import type { Check } from "../probe/types.js";
import { excerpt, firstChoice, postChat, userMessage } from "./chat-depth.js";
import { asRecord, type Finding, finding, modelBehaviour, refusedOptional, settle, startC } from "./depth.js";

const TOP = 2;

/** `answered`: whether the answer has any text; with none, an empty logprobs.content is all there can be. */
function logprobFindings(logprobs: unknown, answered: boolean): Finding[] {
  const at = "/choices/0/logprobs";
  const content = asRecord(logprobs)?.content;
  if (!asRecord(logprobs)) {
    return [
      finding(
        "fail",
        at,
        "an object",
        logprobs === null ? "null" : "missing",
        "logprobs: true was ignored: choices[0].logprobs is empty",
      ),
    ];
  }
  if (Array.isArray(content) && content.length === 0 && !answered)
    return [
      modelBehaviour(
        `${at}/content`,
        "an array of token logprobs",
        "array(0)",
        "the answer is empty, so logprobs.content has no tokens to describe",
      ),
    ];
  if (!Array.isArray(content) || content.length === 0) {
    return [
      finding(
        "fail",
        `${at}/content`,
        "an array of token logprobs",
        Array.isArray(content) ? "array(0)" : "missing",
        "choices[0].logprobs.content has no tokens",
      ),
    ];
  }
  const entry = asRecord(content[0]) ?? {};
  const findings: Finding[] = [];
  if (typeof entry.token !== "string")
    findings.push(
      finding("fail", `${at}/content/0/token`, "string", "missing", "logprobs.content[0].token missing"),
    );
  if (typeof entry.logprob !== "number") {
    findings.push(
      finding(
        "fail",
        `${at}/content/0/logprob`,
        "number",
        excerpt(entry.logprob),
        "logprobs.content[0].logprob is not a number",
      ),
    );
  } else if (entry.logprob > 0) {
    findings.push(
      finding(
        "warn",
        `${at}/content/0/logprob`,
        "≤ 0",
        String(entry.logprob),
        `logprob ${entry.logprob} is positive: not a log-probability`,
      ),
    );
  }
  const top = entry.top_logprobs;
  if (!Array.isArray(top)) {
    findings.push(
      finding(
        "fail",
        `${at}/content/0/top_logprobs`,
        "array",
        "missing",
        "logprobs.content[0].top_logprobs missing",
      ),
    );
  } else if (top.length !== TOP) {
    findings.push(
      finding(
        "warn",
        `${at}/content/0/top_logprobs`,
        `${TOP} entries (top_logprobs: ${TOP})`,
        `${top.length}`,
        `top_logprobs: ${TOP} gave ${top.length} alternatives`,
      ),
    );
  }
  return findings;
}

const logprobs: Check = async (ctx) => {
  const start = await startC(ctx);
  if (start.skip) return start.skip;
  const json = {
    model: start.model,
    messages: userMessage("Say hi."),
    logprobs: true,
    top_logprobs: TOP,
    max_tokens: 8,
  };
  const { outcome, body } = await postChat(ctx, json);
  if (!body) return settle(refusedOptional(outcome, ctx.row, "logprobs"), []);
  const got = firstChoice(body)?.logprobs;
  const tokens = asRecord(got)?.content;
  return settle(
    outcome,
    logprobFindings(got, answered(firstChoice(body)?.message)),
    `${outcome.httpStatus} · logprobs for ${Array.isArray(tokens) ? tokens.length : 0} tokens`,
  );
};

const answered = (message: unknown) => {
  const m = asRecord(message);
  return (typeof m?.content === "string" && m.content !== "") || Array.isArray(m?.tool_calls);
};

export const logprobChecks: Record<string, Check> = {
  "/v1/chat/completions[logprobs]": logprobs,
};
