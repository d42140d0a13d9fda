/** Conditional requests (RFC 9110 §13): the If-None-Match and If-Modified-Since checks, and the HTTP-date grammar the latter needs. */

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

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** Sun, 06 Nov 1994 08:49:37 GMT */
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** Sunday, 06-Nov-94 08:49:37 GMT */
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** Sun Nov  6 08:49:37 1994 */
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  // The grammar admits second 60 (a leap second); Date cannot represent it, and a second early is harmless.
  const time = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  const date = new Date(time);
  // Date.UTC rolls 31 Feb over into March; a date that does not exist is not a date.
  const valid = date.getUTCDate() === day && date.getUTCMonth() === month && hour < 24 && minute < 60 && second <= 60;
  return valid ? time : undefined;
}

/**
 * The three HTTP-date forms a recipient must accept (RFC 9110 §5.6.7), as epoch ms; undefined
 * for anything else. Date.parse is not used: it accepts "1" or "2026" as dates, and a validator
 * that is not a valid HTTP-date has to be ignored, not guessed at.
 *
 * `now` is needed only for the obsolete two-digit year, which means the most recent such year
 * that is not more than 50 years in the future.
 */
export function parseHttpDate(value: string, now: () => number): number | undefined {
  let match = IMF_FIXDATE.exec(value);
  if (match) {
    const [, day, month, year, hour, minute, second] = match;
    return utc(Number(year), MONTHS[month ?? ''] ?? -1, Number(day), Number(hour), Number(minute), Number(second));
  }
  match = ASCTIME_DATE.exec(value);
  if (match) {
    const [, month, day, hour, minute, second, year] = match;
    return utc(Number(year), MONTHS[month ?? ''] ?? -1, Number((day ?? '').trim()), Number(hour), Number(minute), Number(second));
  }
  match = RFC850_DATE.exec(value);
  if (match) {
    const [, day, month, shortYear, hour, minute, second] = match;
    const currentYear = new Date(now()).getUTCFullYear();
    let year = currentYear - (currentYear % 100) + Number(shortYear);
    if (year > currentYear + 50) year -= 100;
    return utc(year, MONTHS[month ?? ''] ?? -1, Number(day), Number(hour), Number(minute), Number(second));
  }
  return undefined;
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
