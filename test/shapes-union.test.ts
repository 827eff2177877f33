import assert from "node:assert/strict";
import { test } from "node:test";
import { describeProblem, validateShape } from "../src/shapes/validate.js";

const message = (part: unknown) => ({
  id: "msg_1",
  type: "message",
  role: "assistant",
  status: "completed",
  content: [part],
});

test("a Responses message may carry a refusal part; each part is judged by its own type only", () => {
  assert.deepEqual(
    validateShape("ResponseOutputMessage", message({ type: "refusal", refusal: "I can't." })),
    [],
  );
  assert.deepEqual(
    validateShape("ResponseOutputMessage", message({ type: "refusal" })).map(describeProblem),
    ["`content[0].refusal` missing"],
  );
  const text = validateShape("ResponseOutputMessage", message({ type: "output_text" }));
  assert.deepEqual(
    text.filter((p) => p.severity === "fail").map(describeProblem),
    ["`content[0].text` missing"],
    "no noise from the refusal branch",
  );
});
