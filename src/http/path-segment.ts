/**
 * A server-chosen id (a model, a response, a video job) as one URL path segment or query value. The id is
 * untrusted: a lone surrogate (which JSON's `\ud800` escape can carry) makes `encodeURIComponent` throw, so
 * `toWellFormed` makes it U+FFFD first; `/`, `?`, `#` and `..` stay inside the one segment.
 */
export function pathSegment(id: string): string {
  return encodeURIComponent(id.toWellFormed());
}
