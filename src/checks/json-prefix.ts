/**
 * Is a text complete JSON, a prefix some JSON text starts with (all a generation cut by `max_tokens` can be
 * under a JSON grammar), or neither? One pass, no recursion (nesting is an explicit stack), at most `limit`
 * characters read: beyond them a text that is still valid is reported as a prefix.
 */
export type JsonPrefix = { state: "complete" } | { state: "prefix" } | { state: "invalid"; at: number };

type Expect = "value" | "valueOrEnd" | "key" | "keyOrEnd" | "colon" | "commaOrEnd" | "end";

/** The end of a token starting at `i`, or that the text ran out inside it, or where it went wrong. */
type Scan = { end: number; complete: boolean } | { invalid: number };

const WS = new Set([" ", "\t", "\n", "\r"]);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

function scanString(text: string, i: number): Scan {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '"') return { end: j + 1, complete: true };
    if (c < " ") return { invalid: j };
    if (c === "\\") {
      const e = text[j + 1];
      if (e === undefined) return { end: text.length, complete: false };
      if (e === "u") {
        for (let k = j + 2; k < j + 6; k++) {
          if (k >= text.length) return { end: text.length, complete: false };
          if (!isHex(text[k])) return { invalid: k };
        }
        j += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(e)) return { invalid: j + 1 };
      j += 2;
      continue;
    }
    j++;
  }
  return { end: text.length, complete: false };
}

/** `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`; `complete` is false when the text ends where more is required. */
function scanNumber(text: string, i: number): Scan {
  const n = text.length;
  let j = i;
  const digits = (): Scan | undefined => {
    if (j === n) return { end: n, complete: false };
    if (!isDigit(text[j])) return { invalid: j };
    while (isDigit(text[j])) j++;
    return undefined;
  };
  if (text[j] === "-") j++;
  if (j === n) return { end: n, complete: false };
  if (text[j] === "0") j++;
  else {
    const bad = digits();
    if (bad) return bad;
  }
  if (text[j] === ".") {
    j++;
    const bad = digits();
    if (bad) return bad;
  }
  if (text[j] === "e" || text[j] === "E") {
    j++;
    if (text[j] === "+" || text[j] === "-") j++;
    const bad = digits();
    if (bad) return bad;
  }
  return { end: j, complete: true };
}

function scanLiteral(text: string, i: number): Scan {
  const word = ["true", "false", "null"].find((w) => w[0] === text[i])!;
  for (let k = 0; k < word.length; k++) {
    if (i + k >= text.length) return { end: text.length, complete: false };
    if (text[i + k] !== word[k]) return { invalid: i + k };
  }
  return { end: i + word.length, complete: true };
}

export function jsonPrefix(input: string, limit = 1 << 16): JsonPrefix {
  const text = input.length > limit ? input.slice(0, limit) : input;
  const stack: ("{" | "[")[] = [];
  let expect = "value" as Expect;
  let i = 0;
  const afterValue = () => {
    expect = stack.length === 0 ? "end" : "commaOrEnd";
  };
  /** Consumes a scanned token; false when the text ended inside it or it is invalid. */
  let result: JsonPrefix | undefined;
  const take = (scan: Scan, then: () => void): boolean => {
    if ("invalid" in scan) {
      result = { state: "invalid", at: scan.invalid };
      return false;
    }
    i = scan.end;
    if (scan.end === text.length && !scan.complete) {
      result = { state: "prefix" };
      return false;
    }
    then();
    return true;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (WS.has(c)) {
      i++;
      continue;
    }
    const top = stack.at(-1);
    if (expect === "end") return { state: "invalid", at: i };
    if (expect === "colon") {
      if (c !== ":") return { state: "invalid", at: i };
      expect = "value";
      i++;
    } else if (expect === "commaOrEnd") {
      if (c === ",") expect = top === "{" ? "key" : "value";
      else if ((c === "}" && top === "{") || (c === "]" && top === "[")) {
        stack.pop();
        afterValue();
      } else return { state: "invalid", at: i };
      i++;
    } else if (expect === "key" || expect === "keyOrEnd") {
      if (c === "}" && expect === "keyOrEnd") {
        stack.pop();
        afterValue();
        i++;
      } else if (c !== '"') return { state: "invalid", at: i };
      else if (
        !take(scanString(text, i), () => {
          expect = "colon";
        })
      )
        return result!;
    } else if (c === "]" && expect === "valueOrEnd") {
      stack.pop();
      afterValue();
      i++;
    } else if (c === "{" || c === "[") {
      stack.push(c);
      expect = c === "{" ? "keyOrEnd" : "valueOrEnd";
      i++;
    } else {
      const scan =
        c === '"'
          ? scanString(text, i)
          : c === "-" || isDigit(c)
            ? scanNumber(text, i)
            : c === "t" || c === "f" || c === "n"
              ? scanLiteral(text, i)
              : ({ invalid: i } as Scan);
      // A number that runs to the end of a root value is complete JSON ("12"), not only a prefix.
      if (!("invalid" in scan) && scan.end === text.length && c !== '"' && stack.length === 0) {
        if (scan.complete) return text.length < input.length ? { state: "prefix" } : { state: "complete" };
      }
      if (!take(scan, afterValue)) return result!;
    }
  }
  if (text.length < input.length) return { state: "prefix" };
  return expect === "end" ? { state: "complete" } : { state: "prefix" };
}
