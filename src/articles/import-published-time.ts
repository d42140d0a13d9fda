/**
 * The article format requires `published` to carry an explicit offset: a time without one
 * means different instants on the newsroom's laptop and on the server, and so a different
 * moment at which an embargoed article goes out.
 */
const ISO_WITH_OFFSET =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})T(?<hour>\d{2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](?<offsetHours>\d{2}):(?<offsetMinutes>\d{2}))$/;

export type PublishedTimeCheck =
  | { readonly ok: true; readonly value: string; readonly epochMs: number }
  | { readonly ok: false; readonly message: string };

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC avoids any local DST quirk.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Checks a publication time as the article format wants it and returns it unchanged (trimmed),
 * so that the offset the newsroom chose is kept in the file.
 */
export function checkPublishedTime(raw: string): PublishedTimeCheck {
  const value = raw.trim();
  const fail = (why: string): PublishedTimeCheck => ({
    ok: false,
    message: `"${raw}" is not a valid publication time: ${why} (expected ISO 8601 with an offset, e.g. 2026-11-23T09:00:00Z or 2026-11-23T10:00:00+01:00)`,
  });
  const match = ISO_WITH_OFFSET.exec(value);
  if (!match) return fail('wrong shape or missing offset');
  // Absent optional parts (seconds; the offset when it is "Z") count as zero.
  const field = (name: string): number => Number(match.groups?.[name] ?? 0);
  const [year, month, day] = [field('year'), field('month'), field('day')];
  const [hour, minute, second] = [field('hour'), field('minute'), field('second')];
  const [offsetHours, offsetMinutes] = [field('offsetHours'), field('offsetMinutes')];
  // Date.parse quietly rolls 2026-02-30 over to March, so the calendar is checked by hand.
  if (month < 1 || month > 12) return fail('no such month');
  if (day < 1 || day > daysInMonth(year, month)) return fail('no such day in that month');
  if (hour > 23 || minute > 59 || second > 59) return fail('no such time of day');
  if (offsetHours > 14 || offsetMinutes > 59) return fail('no such offset');
  const epochMs = Date.parse(value);
  if (Number.isNaN(epochMs)) return fail('not a date');
  return { ok: true, value, epochMs };
}

/**
 * "Now" as a publication time, in UTC. Truncated rather than rounded to the second: rounding up
 * could put the article half a second in the future, where it would briefly count as embargoed.
 */
export function publishedTimeAt(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
