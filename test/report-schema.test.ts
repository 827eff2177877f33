/**
 * The published report schema is generated from the report's types (one definition), matches what the prober
 * writes, and cannot drift from docs/report.schema.json.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, test } from "node:test";
import { Ajv } from "ajv";
import { reportSchemaJson } from "../scripts/gen-report-schema.js";
import { REPORT_SCHEMA } from "../src/report/schema.js";
import type { Report } from "../src/report/types.js";
import { probeServe } from "./helpers/real-reports.js";

const validate = new Ajv({ allErrors: true, strict: true, validateFormats: false }).compile(REPORT_SCHEMA);
let reports: Report[];

before(async () => {
  reports = await Promise.all([probeServe(), probeServe("llama.cpp")]);
});

test("docs/report.schema.json is generated from src/report/types.ts (npm run gen:report-schema)", () => {
  const file = readFileSync(new URL("../docs/report.schema.json", import.meta.url), "utf8");
  assert.equal(file, reportSchemaJson());
});

test("real reports (canonical and the llama.cpp profile) validate against the schema", () => {
  for (const report of reports) {
    const plain = JSON.parse(JSON.stringify(report));
    assert.ok(validate(plain), `${report.target.name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
});

test("the schema rejects a report missing a contract field", () => {
  const broken = JSON.parse(JSON.stringify(reports[0]));
  delete broken.results[0].status;
  assert.equal(validate(broken), false);
  assert.equal(validate.errors?.[0]?.instancePath, "/results/0");
});
