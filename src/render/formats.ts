/** Format names, kept apart from the renderers so command definitions can list them without loading those. */
export const FORMAT_NAMES = ["table", "markdown", "html", "junit", "json"] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}
