import { describe, expect, it } from 'vitest';
import { parseOffsetDate } from '../../src/articles/parse-offset-date.ts';

describe('parseOffsetDate', () => {
  it('applies the offset', () => {
    expect(parseOffsetDate('2026-11-23T09:00:00+05:00')).toEqual({ ok: true, epochMs: Date.UTC(2026, 10, 23, 4) });
    expect(parseOffsetDate('2026-11-23T09:00:00-03:30')).toEqual({ ok: true, epochMs: Date.UTC(2026, 10, 23, 12, 30) });
    expect(parseOffsetDate('2026-11-23T09:00:00Z')).toEqual({ ok: true, epochMs: Date.UTC(2026, 10, 23, 9) });
  });

  it('keeps milliseconds exact', () => {
    expect(parseOffsetDate('2026-01-01T00:00:00.29Z')).toEqual({ ok: true, epochMs: Date.UTC(2026, 0, 1, 0, 0, 0, 290) });
    expect(parseOffsetDate('2026-01-01T00:00:00.123456789Z')).toEqual({ ok: true, epochMs: Date.UTC(2026, 0, 1, 0, 0, 0, 123) });
  });

  it('knows leap years and early years', () => {
    expect(parseOffsetDate('2028-02-29T00:00:00Z').ok).toBe(true);
    expect(parseOffsetDate('2026-02-29T00:00:00Z')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseOffsetDate('0099-01-01T00:00:00Z')).toEqual({ ok: true, epochMs: new Date('0099-01-01T00:00:00Z').getTime() });
  });

  it('tells a missing offset from nonsense', () => {
    expect(parseOffsetDate('2026-11-23T09:00:00')).toEqual({ ok: false, reason: 'no-offset' });
    expect(parseOffsetDate('2026-11-23')).toEqual({ ok: false, reason: 'no-offset' });
    expect(parseOffsetDate('Mon, 23 Nov 2026 09:00:00 GMT')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseOffsetDate('2026-11-23T09:00:00+24:00')).toEqual({ ok: false, reason: 'invalid' });
  });
});
