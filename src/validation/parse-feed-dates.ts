/**
 * Strict parsers for the two date formats feeds use. Date.parse is not one: it accepts
 * "2026-03-03", "March 3 2026" and whatever else the engine guesses at, which readers don't.
 */
export type DateParse = { readonly epochMs: number } | { readonly error: string };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** RFC 822 §5.1 zones; the single military letters are left out, RFC 1123 calls them unreliable. */
const ZONE_OFFSETS_MINUTES: Readonly<Record<string, number>> = {
  UT: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

const RFC_822 = new RegExp(
  '^(?:(' + WEEKDAYS.join('|') + '),[ \\t]*)?(\\d{1,2})[ \\t]+(' + MONTHS.join('|') + ')[ \\t]+(\\d{4}|\\d{2})' +
    '[ \\t]+(\\d{2}):(\\d{2})(?::(\\d{2}))?[ \\t]+(UT|GMT|Z|[ECMP][SD]T|[+-]\\d{4})$',
);

/** RFC 822 date-time as RSS 2.0 uses it ("Tue, 03 Mar 2026 10:00:00 GMT"); two-digit years per RFC 2822's rule. */
export function parseRfc822(text: string): DateParse {
  const match = RFC_822.exec(text.trim());
  if (!match) return { error: 'is not an RFC 822 date (e.g. "Tue, 03 Mar 2026 10:00:00 GMT")' };
  const [, weekday, dayText, monthText, yearText, hourText, minuteText, secondText, zone] = match;
  const day = Number(dayText);
  const month = MONTHS.indexOf(monthText ?? '');
  let year = Number(yearText);
  if ((yearText ?? '').length === 2) year += year < 50 ? 2000 : 1900;
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText ?? '0');
  if (day < 1 || day > daysInMonth(year, month)) return { error: `has no day ${day} in ${monthText} ${year}` };
  if (hour > 23 || minute > 59 || second > 60) return { error: 'has an impossible time of day' };
  let offsetMinutes = ZONE_OFFSETS_MINUTES[zone ?? ''];
  if (offsetMinutes === undefined) {
    const sign = zone?.startsWith('-') ? -1 : 1;
    const hours = Number(zone?.slice(1, 3));
    const minutes = Number(zone?.slice(3, 5));
    if (minutes > 59) return { error: 'has an impossible zone offset' };
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  const local = utc(year, month, day, hour, minute, Math.min(second, 59));
  if (weekday !== undefined && WEEKDAYS[new Date(local).getUTCDay()] !== weekday) {
    return { error: `says ${weekday} but that date is a ${WEEKDAYS[new Date(local).getUTCDay()] ?? '?'}` };
  }
  return { epochMs: local - offsetMinutes * 60_000 };
}

const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 date-time with upper-case T and Z, as RFC 4287 requires and JSON Feed refers to. */
export function parseRfc3339(text: string): DateParse {
  const match = RFC_3339.exec(text);
  if (!match) return { error: 'is not an RFC 3339 date (e.g. "2026-03-03T10:00:00Z")' };
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zone] = match;
  const year = Number(yearText);
  const month = Number(monthText) - 1;
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  if (month < 0 || month > 11 || day < 1 || day > daysInMonth(year, month)) return { error: 'is not a calendar date' };
  if (hour > 23 || minute > 59 || second > 60) return { error: 'has an impossible time of day' };
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(4, 6));
    if (hours > 23 || minutes > 59) return { error: 'has an impossible zone offset' };
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  const milliseconds = fraction === undefined ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
  return { epochMs: utc(year, month, day, hour, minute, Math.min(second, 59)) + milliseconds - offsetMinutes * 60_000 };
}

/** The end of a DCMI Period in W3C-DTF ("end=2026-03-03T10:00:00Z; scheme=W3C-DTF"), or undefined when it has none readable. */
export function parseRetractionPeriod(text: string): number | undefined {
  const parts = new Map(
    text.split(';').flatMap((part) => {
      const equals = part.indexOf('=');
      return equals < 0 ? [] : [[part.slice(0, equals).trim(), part.slice(equals + 1).trim()] as const];
    }),
  );
  const scheme = parts.get('scheme');
  const end = parts.get('end');
  if (end === undefined || (scheme !== undefined && scheme !== 'W3C-DTF')) return undefined;
  const parsed = parseRfc3339(end);
  return 'error' in parsed ? undefined : parsed.epochMs;
}
