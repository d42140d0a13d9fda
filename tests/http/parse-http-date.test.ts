import { describe, expect, it } from 'vitest';
import { parseHttpDate } from '../../src/http/parse-http-date.ts';

const now = (): number => Date.UTC(2026, 10, 24);
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
