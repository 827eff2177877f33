import { UsageError } from "../cli/errors.js";

/** Format names, kept apart from the renderers so command definitions can list them without loading those. */
export const FORMAT_NAMES = ["table", "markdown", "html", "junit", "json"] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

/** The format, or the one-line usage error naming the valid ones. */
export function knownFormat(format: string): FormatName {
  if (!isFormatName(format)) {
    throw new UsageError(`unknown format "${format}"; expected one of ${FORMAT_NAMES.join(", ")}`);
  }
  return format;
}
