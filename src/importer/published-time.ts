import { parseOffsetDate } from '../articles/parse-offset-date.ts';

export type PublishedTimeCheck =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly message: string };

/**
 * Checks a publication time with the article parser's own grammar, so that the importer accepts
 * exactly the times the service reads back, and returns it unchanged (trimmed), so that the
 * offset the newsroom chose is kept in the file. The format requires an explicit offset: a time
 * without one means different instants on the newsroom's laptop and on the server.
 */
export function checkPublishedTime(raw: string): PublishedTimeCheck {
  const parsed = parseOffsetDate(raw);
  if (parsed.ok) return { ok: true, value: raw.trim() };
  const why = parsed.reason === 'no-offset' ? 'it has no UTC offset' : 'wrong shape, or no such date, time or offset';
  return {
    ok: false,
    message: `"${raw}" is not a valid publication time: ${why} (expected ISO 8601 with an offset, e.g. 2026-11-23T09:00:00Z or 2026-11-23T10:00:00+01:00)`,
  };
}

/**
 * "Now" as a publication time, in UTC. Truncated rather than rounded to the second: rounding up
 * could put the article half a second in the future, where it would briefly count as embargoed.
 */
export function publishedTimeAt(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
