/**
 * The one Ajv set-up for the canonical shapes, used at run time (unbundled: tsx, tests) and at build time,
 * where scripts/gen-shape-validators.ts turns it into standalone code so the bundled CLI never compiles.
 */
import {
  Ajv2020,
  type CodeKeywordDefinition,
  type CodeOptions,
  type ValidateFunction,
} from "ajv/dist/2020.js";
import { _, str } from "ajv/dist/compile/codegen/index.js";
import { SOURCE, SPEC_REQUIRED } from "./dsl.js";
import { type ShapeName, shapes } from "./schemas.js";

/** `x-spec-required`: one warn-level error per listed field absent from the object (the `in` test, as always). */
const specRequired: CodeKeywordDefinition = {
  keyword: SPEC_REQUIRED,
  type: "object",
  schemaType: "array",
  error: {
    message: ({ params }) => str`must have spec-required property '${params.missingProperty}'`,
    params: ({ params }) => _`{missingProperty: ${params.missingProperty}}`,
  },
  // Generated code, not a function reference, so Ajv's standalone output can carry it.
  code(cxt) {
    for (const field of cxt.schema as string[]) {
      cxt.gen.if(_`!(${field} in ${cxt.data})`, () => cxt.error(false, { missingProperty: field }));
    }
  },
};

/** An Ajv for the shapes; `code` is set only by the build (`{ source: true, esm: true }`). */
export function shapeAjv(code?: CodeOptions): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false, ...(code && { code }) });
  ajv.addKeyword({ keyword: SOURCE, schemaType: "string" });
  ajv.addKeyword(specRequired);
  return ajv;
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<ShapeName, ValidateFunction>();

/** A shape's validator compiled at run time, once (unbundled runs only; the bundle has them precompiled). */
export function compileShape(name: ShapeName): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    ajv ??= shapeAjv();
    fn = ajv.compile(shapes[name]);
    compiled.set(name, fn);
  }
  return fn;
}
