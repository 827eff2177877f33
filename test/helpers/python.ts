/**
 * The python the `client:openai-python/*` tests use: the virtualenv `npm test`'s pretest builds from
 * python/requirements.txt (scripts/ensure-python.mjs). AIOC_SKIP_PYTHON=1 leaves it out; the tests then skip,
 * saying why.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const TEST_PYTHON = fileURLToPath(new URL("../../.venv-python/bin/python", import.meta.url));

/** Why the python tests cannot run here, or false. */
export const NO_PYTHON: string | false =
  process.env.AIOC_SKIP_PYTHON === "1"
    ? "AIOC_SKIP_PYTHON=1"
    : existsSync(TEST_PYTHON)
      ? false
      : "no .venv-python (npm test's pretest, scripts/ensure-python.mjs, installs it)";

/** Rows to leave out of a probe when python is unavailable here. */
export const PYTHON_ROWS = /^client:openai-python\//;
