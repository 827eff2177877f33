/**
 * The bundle validates shapes with standalone validators generated at build time (scripts/build.mjs →
 * generated/shape-validators.js); these tests hold them to exactly what run-time compilation gives.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { SPEC_REQUIRED } from "../src/shapes/dsl.js";
import { type ShapeName, shapes } from "../src/shapes/schemas.js";
import { problemsOf, validateShape } from "../src/shapes/validate.js";
import { shapeSamples } from "./helpers/shape-samples.js";

const GENERATED = new URL("../generated/shape-validators.js", import.meta.url);
const DIST = new URL("../dist/", import.meta.url);
const names = Object.keys(shapes) as ShapeName[];

async function generated(): Promise<Record<ShapeName, ValidateFunction>> {
  assert.ok(existsSync(GENERATED), "generated/shape-validators.js is missing: run `npm run build` first");
  return ((await import(GENERATED.href)) as { precompiled: Record<ShapeName, ValidateFunction> }).precompiled;
}

test("the build generates a validator for every shape, and the bundle carries them", async () => {
  assert.deepEqual(Object.keys(await generated()).sort(), [...names].sort());
  const chunks = readdirSync(DIST).filter((f) => f.endsWith(".js"));
  assert.ok(
    chunks.some((f) => readFileSync(new URL(f, DIST), "utf8").includes("// generated/shape-validators.js")),
    "no dist chunk bundles generated/shape-validators.js",
  );
});

test("precompiled validators give exactly the run-time compiled errors and problems", async () => {
  const { compileShape } = await import("../src/shapes/compile.js");
  const precompiled = await generated();
  let samples = 0;
  let specRequired = 0;
  for (const name of names) {
    const runtime = compileShape(name);
    const pre = precompiled[name];
    for (const body of shapeSamples(shapes[name])) {
      const what = `${name} ${JSON.stringify(body)}`;
      assert.equal(pre(body), runtime(body), what);
      assert.deepStrictEqual(pre.errors, runtime.errors, what);
      specRequired += runtime.errors?.filter((e) => e.keyword === SPEC_REQUIRED).length ?? 0;
      const problems = validateShape(name, body);
      assert.deepStrictEqual(problemsOf(pre, name, body), problems, what);
      assert.deepStrictEqual(problemsOf(runtime, name, body), problems, what);
      samples++;
    }
  }
  assert.ok(samples > 1000 && specRequired > 100, `corpus too small: ${samples} bodies, ${specRequired}`);
});

test("x-spec-required errors keep their exact form, compiled either way", async () => {
  const { compileShape } = await import("../src/shapes/compile.js");
  const body = { data: [{ id: "m", object: "model", owned_by: "x" }] };
  const expected = [
    {
      instancePath: "/data/0",
      schemaPath: "#/properties/data/items/x-spec-required",
      keyword: SPEC_REQUIRED,
      params: { missingProperty: "created" },
      message: "must have spec-required property 'created'",
    },
    {
      instancePath: "",
      schemaPath: "#/x-spec-required",
      keyword: SPEC_REQUIRED,
      params: { missingProperty: "object" },
      message: "must have spec-required property 'object'",
    },
  ];
  for (const fn of [compileShape("ModelList"), (await generated()).ModelList]) {
    assert.equal(fn(body), false);
    assert.deepStrictEqual(fn.errors, expected);
  }
});

test("the Responses refusal/output_text union is judged the same way precompiled", async () => {
  const pre = (await generated()).ResponseOutputMessage;
  const message = (...content: unknown[]) => ({ type: "message", role: "assistant", content });
  for (const body of [
    message({ type: "refusal", refusal: "no" }),
    message({ type: "refusal" }),
    message({ type: "output_text" }),
    message({ type: "output_text", text: 5, annotations: {} }),
    message({ type: "other" }),
    message({}),
    message({ type: 3 }, null, "text"),
  ]) {
    assert.deepStrictEqual(
      problemsOf(pre, "ResponseOutputMessage", body),
      validateShape("ResponseOutputMessage", body),
    );
  }
});
