import { describe, expect, it } from 'vitest';
import { ifNoneMatchMatches, isNotModified } from '../../src/http/conditional-get.ts';

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
