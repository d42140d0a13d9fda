import { parseHttpDate } from './parse-http-date.ts';

const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;
const QUOTE = 0x22;

function isWhitespace(code: number): boolean {
  return code === SPACE || code === TAB;
}

/**
 * Weak comparison of `etag` against an If-None-Match value (RFC 9110 §13.1.2): true on a match
 * or `*`, false when the list is well-formed but names other tags, undefined when no member parses,
 * so the caller can treat an unusable header as absent. Members that do not parse are skipped.
 * A hand-written scanner because etagc admits commas: splitting on "," would cut `"a,b"` in two.
 */
export function ifNoneMatchMatches(header: string, etag: string): boolean | undefined {
  if (header.trim() === '*') return true;
  const wanted = etag.startsWith('W/') ? etag.slice(2) : etag;
  let usable = false;
  let at = 0;
  while (at < header.length) {
    const code = header.charCodeAt(at);
    if (isWhitespace(code) || code === COMMA) {
      at += 1;
      continue;
    }
    const open = header.startsWith('W/', at) ? at + 2 : at;
    const close = header.charCodeAt(open) === QUOTE ? header.indexOf('"', open + 1) : -1;
    let end = close === -1 ? -1 : close + 1;
    while (end !== -1 && end < header.length && isWhitespace(header.charCodeAt(end))) end += 1;
    if (end === -1 || (end < header.length && header.charCodeAt(end) !== COMMA)) {
      // Not an entity-tag: skip this member (past its quoted part, whose commas are not separators).
      const nextComma = header.indexOf(',', close === -1 ? at + 1 : close + 1);
      if (nextComma === -1) break;
      at = nextComma + 1;
      continue;
    }
    usable = true;
    if (header.slice(open, close + 1) === wanted) return true;
    at = end;
  }
  return usable ? false : undefined;
}

export interface Validators {
  /** The ETag the response would carry. */
  readonly etag: string;
  /** Last-Modified as whole seconds since the epoch, the precision an HTTP-date has. */
  readonly lastModifiedSeconds: number;
}

/**
 * Whether a GET or HEAD can be answered 304 (RFC 9110 §13.2.2, steps 3 and 4): If-None-Match
 * decides whenever it is usable; If-Modified-Since only counts without it. A malformed value of
 * either is ignored, so it can never turn into an error.
 */
export function isNotModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  validators: Validators,
  now: () => number,
): boolean {
  if (ifNoneMatch !== undefined) {
    // A cache revalidating sends back exactly the tag it was given: that needs no scan.
    if (ifNoneMatch === validators.etag) return true;
    const matches = ifNoneMatchMatches(ifNoneMatch, validators.etag);
    if (matches !== undefined) return matches;
  }
  if (ifModifiedSince === undefined) return false;
  const since = parseHttpDate(ifModifiedSince, now);
  return since !== undefined && validators.lastModifiedSeconds * 1000 <= since;
}
