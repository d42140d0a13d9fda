/**
 * RSS dates have whole-second precision, so every format states every date in whole seconds:
 * an article then shows the same instant in RSS, Atom and JSON Feed.
 */
export function toWholeSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}

/** RFC 822 as RSS 2.0 wants it, four-digit year and GMT: "Tue, 03 Mar 2026 10:00:00 GMT". */
export function formatRfc822(epochMs: number): string {
  return new Date(toWholeSeconds(epochMs)).toUTCString();
}

/** RFC 3339 in UTC without fractional seconds: "2026-03-03T10:00:00Z". */
export function formatRfc3339(epochMs: number): string {
  return new Date(toWholeSeconds(epochMs)).toISOString().replace('.000Z', 'Z');
}
