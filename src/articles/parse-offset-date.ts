export type OffsetDateResult =
  | { readonly ok: true; readonly epochMs: number }
  | { readonly ok: false; readonly reason: 'no-offset' | 'invalid' };

// RFC 3339 / ISO 8601 extended format: date, time (seconds optional), fraction, and an offset.
const WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses a publication time that states its UTC offset. A time without an offset is refused
 * rather than guessed: the server's time zone is not the newsroom's, and a guess moves the
 * embargo by hours. `Date.parse` is not used because it accepts far more than ISO 8601 and
 * reads offset-less times in the server's zone.
 */
export function parseOffsetDate(text: string): OffsetDateResult {
  const trimmed = text.trim();
  if (DATE_ONLY.test(trimmed)) return { ok: false, reason: 'no-offset' };
  const match = WITH_OFFSET.exec(trimmed);
  if (!match) return { ok: false, reason: 'invalid' };
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  if (!zulu && !sign) return { ok: false, reason: 'no-offset' };

  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'invalid' };
  const midnight = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC treats years 0-99 as 1900-1999; setUTCFullYear does not.
  midnight.setUTCFullYear(year);
  if (midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) return { ok: false, reason: 'invalid' };

  let offsetMs = 0;
  if (sign) {
    const oh = Number(offsetHours);
    const om = Number(offsetMinutes);
    if (oh > 23 || om > 59) return { ok: false, reason: 'invalid' };
    offsetMs = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  // Digits, not floating point, so that .29 is 290 ms and never 289.
  const milliseconds = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  const epochMs = midnight.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + milliseconds - offsetMs;
  return { ok: true, epochMs };
}
