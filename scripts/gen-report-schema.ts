/**
 * docs/report.schema.json, generated from the report's TypeScript types (src/report/types.ts, the one definition
 * of the contract) by ts-json-schema-generator. The loader validates against this file, and a test fails when it
 * drifts from the types: run `npm run gen:report-schema` after changing them.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export function reportSchemaJson(): string {
  const generated = createGenerator({
    path: path("../src/report/types.ts"),
    tsconfig: path("../tsconfig.json"),
    type: "Report",
    expose: "export",
    topRef: false,
    jsDoc: "extended",
    skipTypeCheck: true,
    sortProps: false,
    additionalProperties: true,
  }).createSchema("Report");
  const { $schema, ...rest } = generated;
  const schema = { $schema, $id: "urn:aioc:report:1", title: "aioc report", ...rest };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(path("../docs/report.schema.json"), reportSchemaJson());
  console.log("wrote docs/report.schema.json");
}
