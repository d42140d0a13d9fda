import { describe, expect, it } from 'vitest';
import { ifNoneMatchMatches, isNotModified, parseHttpDate } from '../../src/http/conditional-get.ts';

const ETAG = '"abc123"';
const validators = { etag: ETAG, lastModifiedSeconds: Date.UTC(2026, 10, 20, 9, 30, 0) / 1000 };
const now = (): number => Date.UTC(2026, 10, 24);

describe('ifNoneMatchMatches', () => {
  it.each([
    ['"abc123"', true],
    ['W/"abc123"', true],
    ['"other", "abc123"', true],
    ['"other",W/"abc123"  ', true],
    ['*', true],
    ['  *  ', true],
    ['"other"', false],
    ['"abc123-gzip"', false],
    ['"abc"', false],
    ['junk, "abc123"', true],
    ['"a,b", "abc123"', true],
  ])('%j -> %s', (header, expected) => {
    expect(ifNoneMatchMatches(header, ETAG)).toBe(expected);
  });

  it.each(['', 'abc123', '"unterminated', 'w/"abc123"', '"abc123"x', ',,,'])('reports %j as unusable', (header) => {
    expect(ifNoneMatchMatches(header, ETAG)).toBeUndefined();
  });

  it('does not split inside a quoted tag', () => {
    // A naive split on "," would see `"a` and `b"`, and nothing here must match `"b"`.
    expect(ifNoneMatchMatches('"a,"b"', '"b"')).toBeUndefined();
  });
});

describe('isNotModified', () => {
  const sameSecond = 'Fri, 20 Nov 2026 09:30:00 GMT';
  const later = 'Fri, 20 Nov 2026 09:30:01 GMT';
  const earlier = 'Fri, 20 Nov 2026 09:29:59 GMT';

  it('answers If-Modified-Since at second granularity: equal or later is not modified', () => {
    expect(isNotModified(undefined, sameSecond, validators, now)).toBe(true);
    expect(isNotModified(undefined, later, validators, now)).toBe(true);
    expect(isNotModified(undefined, earlier, validators, now)).toBe(false);
  });

  it('lets If-None-Match decide and ignores If-Modified-Since when both are sent', () => {
    expect(isNotModified('"other"', later, validators, now)).toBe(false);
    expect(isNotModified(ETAG, earlier, validators, now)).toBe(true);
  });

  it('treats an unusable If-None-Match as absent, so If-Modified-Since still counts', () => {
    expect(isNotModified('garbage', later, validators, now)).toBe(true);
  });

  it.each(['yesterday', '1', '2026-11-20T09:30:00Z', 'Fri, 31 Feb 2026 09:30:00 GMT', ''])('ignores the malformed date %j', (value) => {
    expect(isNotModified(undefined, value, validators, now)).toBe(false);
  });

  it('is false without validators', () => {
    expect(isNotModified(undefined, undefined, validators, now)).toBe(false);
  });
});

const EXPECTED = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('parseHttpDate', () => {
  it('reads the three forms RFC 9110 names', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(EXPECTED);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(EXPECTED);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', now)).toBe(EXPECTED);
  });

  it('reads a two-digit year as the latest one not more than 50 years ahead', () => {
    expect(parseHttpDate('Monday, 01-Jan-30 00:00:00 GMT', now)).toBe(Date.UTC(2030, 0, 1));
    expect(parseHttpDate('Thursday, 01-Jan-80 00:00:00 GMT', now)).toBe(Date.UTC(1980, 0, 1));
  });

  it('round-trips what Date#toUTCString writes', () => {
    const time = Date.UTC(2026, 10, 20, 9, 30, 0);
    expect(parseHttpDate(new Date(time).toUTCString(), now)).toBe(time);
  });

  it.each(['', '2026', 'Sun, 6 Nov 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37 UTC', 'Sun, 06 Nov 1994 25:49:37 GMT', 'Sun, 30 Feb 1994 08:49:37 GMT', 'sun, 06 nov 1994 08:49:37 gmt'])(
    'refuses %j',
    (value) => {
      expect(parseHttpDate(value, now)).toBeUndefined();
    },
  );
});
