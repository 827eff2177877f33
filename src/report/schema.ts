/**
 * The report contract as JSON Schema (draft-07), docs/report.schema.json: generated from src/report/types.ts
 * (`npm run gen:report-schema`), bundled into dist/ from there, used by the loader and the tests.
 */
import schema from "../../docs/report.schema.json" with { type: "json" };

export const REPORT_SCHEMA = schema;

type Definitions = typeof schema.definitions;
/** One named part of the contract (`Result`, `Problem`, …), for validating less than a whole report. */
export const definition = <K extends keyof Definitions>(name: K): Definitions[K] => schema.definitions[name];
