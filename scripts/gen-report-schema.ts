import { writeFileSync } from "node:fs";
import { REPORT_SCHEMA } from "../src/report/schema.js";

writeFileSync(
  new URL("../docs/report.schema.json", import.meta.url),
  `${JSON.stringify(REPORT_SCHEMA, null, 2)}\n`,
);
console.log("wrote docs/report.schema.json");
