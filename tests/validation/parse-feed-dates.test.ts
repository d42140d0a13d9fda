import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRfc3339, formatRfc822, toWholeSeconds } from '../../src/feeds/feed-dates.ts';
import { parseRfc3339, parseRfc822 } from '../../src/validation/parse-feed-dates.ts';

const at = (text: string) => Date.parse(text);

describe('parseRfc822', () => {
  it.each([
    ['Tue, 03 Mar 2026 10:00:00 GMT', '2026-03-03T10:00:00Z'],
    ['3 Mar 2026 10:00 +0100', '2026-03-03T09:00:00Z'],
    ['Tue, 03 Mar 26 10:00:00 EST', '2026-03-03T15:00:00Z'],
    ['  Sat, 29 Feb 2020 23:59:59 -0230 ', '2020-03-01T02:29:59Z'],
    ['Thu, 01 Jan 1970 00:00:00 UT', '1970-01-01T00:00:00Z'],
  ])('reads %j', (text, iso) => {
    expect(parseRfc822(text)).toEqual({ epochMs: at(iso) });
  });

  it.each([
    ['2026-03-03T10:00:00Z', /not an RFC 822 date/],
    ['Tue, 3 March 2026 10:00:00 GMT', /not an RFC 822 date/],
    ['Tue, 03 Mar 2026 10:00:00', /not an RFC 822 date/],
    ['Tue, 03 Mar 2026 10:00:00 CET', /not an RFC 822 date/],
    ['Tue, 03 Mar 2026 24:00:00 GMT', /impossible time/],
    ['Mon, 30 Feb 2026 10:00:00 GMT', /no day 30 in Feb 2026/],
    ['Mon, 03 Mar 2026 10:00:00 GMT', /says Mon but that date is a Tue/],
    ['', /not an RFC 822 date/],
  ])('refuses %j', (text, error) => {
    const parsed = parseRfc822(text);
    expect('error' in parsed && parsed.error).toMatch(error);
  });
});

describe('parseRfc3339', () => {
  it.each([
    ['2026-03-03T10:00:00Z', '2026-03-03T10:00:00Z'],
    ['2026-03-03T10:00:00.250Z', '2026-03-03T10:00:00.250Z'],
    ['2026-03-03T12:30:00+02:30', '2026-03-03T10:00:00Z'],
    ['2024-02-29T00:00:00-00:00', '2024-02-29T00:00:00Z'],
  ])('reads %j', (text, iso) => {
    expect(parseRfc3339(text)).toEqual({ epochMs: at(iso) });
  });

  it.each(['2026-03-03', '2026-03-03 10:00:00Z', '2026-03-03t10:00:00z', '2026-03-03T10:00:00', 'Tue, 03 Mar 2026 10:00:00 GMT', '2026-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-03-03T10:60:00Z', '+02026-03-03T10:00:00Z'])(
    'refuses %j',
    (text) => {
      expect(parseRfc3339(text)).toHaveProperty('error');
    },
  );
});

describe('feed date formatting and parsing', () => {
  it('round-trip every instant from 1970 to 9999 at whole-second precision (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59) }), (epochMs) => {
        expect(parseRfc822(formatRfc822(epochMs))).toEqual({ epochMs: toWholeSeconds(epochMs) });
        expect(parseRfc3339(formatRfc3339(epochMs))).toEqual({ epochMs: toWholeSeconds(epochMs) });
      }),
    );
  });
});
