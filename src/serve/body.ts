/** Reads and parses request bodies: JSON objects and multipart forms (via the web `Request` in Node 20). */
import type { IncomingMessage } from "node:http";
import type { BodyKind } from "./context.js";
import { formValues, isObject, Params } from "./params.js";
import { ApiError, badRequest } from "./reply.js";

/** OpenAI's upload limit for audio; the same cap applies to every body. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;

const tooLarge = () =>
  new ApiError(413, `Request body too large; the maximum is ${MAX_BODY_BYTES} bytes.`, {
    code: "request_too_large",
  });

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const isMultipart = (contentType: string) => /^multipart\/form-data\b/i.test(contentType);

function parseJson(raw: Buffer, quirks: ReadonlySet<string>): Params {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    if (quirks.has("invalid-json-500")) {
      // llama.cpp: nlohmann's parse_error is not std::invalid_argument, so ex_wrapper answers 500.
      const reason = err instanceof SyntaxError ? err.message : "syntax error";
      throw new ApiError(500, `[json.exception.parse_error.101] parse error: ${reason}`);
    }
    throw badRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    );
  }
  if (!isObject(value)) throw badRequest("The request body must be a JSON object.");
  return new Params(value);
}

async function parseForm(raw: Buffer, contentType: string): Promise<Params> {
  try {
    const form = await new Request("http://aioc.invalid/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength),
    }).formData();
    return new Params(formValues(form), true);
  } catch {
    throw badRequest("Could not parse the multipart/form-data body of your request.");
  }
}

/** The body as the route wants it; a JSON body where multipart is required is a 400, as on OpenAI. */
export async function parseBody(
  req: IncomingMessage,
  kind: BodyKind,
  quirks: ReadonlySet<string> = new Set(),
): Promise<Params> {
  if (kind === "none") return new Params({});
  const raw = await readBody(req);
  const contentType = req.headers["content-type"] ?? "";
  if (kind === "multipart" && !isMultipart(contentType)) {
    throw badRequest(
      `Invalid Content-Type header (${contentType || "none"}); this endpoint expects multipart/form-data.`,
      null,
      "invalid_content_type",
    );
  }
  return kind !== "json" && isMultipart(contentType) ? parseForm(raw, contentType) : parseJson(raw, quirks);
}
