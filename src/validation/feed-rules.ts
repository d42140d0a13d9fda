/** Rules every format applies in the same way; each takes a `report` that knows where it is. */
import type { DateParse } from './parse-feed-dates.ts';
import { isLanguageTag } from '../domain/language.ts';

export type Report = (field: string, rule: string) => void;

/** Required text: present and not just whitespace. Returns whether it is. */
export function requireText(report: Report, field: string, value: string | undefined): value is string {
  if (value === undefined) {
    report(field, 'is missing');
    return false;
  }
  if (value.trim() === '') {
    report(field, 'is empty');
    return false;
  }
  return true;
}

/**
 * The feed's language (RSS `language`, Atom `xml:lang`, JSON Feed `language`): required, since
 * partners take one language per feed and Apple wants it; a BCP 47 tag. Returns it when present.
 */
export function checkLanguage(report: Report, field: string, value: string | undefined): string | undefined {
  if (!requireText(report, field, value)) return undefined;
  if (!isLanguageTag(value.trim())) report(field, `${quote(value)} is not a BCP 47 language tag such as en, en-GB or ar-EG`);
  return value;
}

function quote(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}…` : value);
}

/** Links readers follow must be absolute http(s) URLs: a feed has no base URL to resolve against. */
export function checkHttpUrl(report: Report, field: string, value: string | undefined): void {
  if (value === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    report(field, `${quote(value)} is not an absolute http(s) URL`);
  }
}

const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

/** Identifiers (Atom ids, permalink-less guids) must be absolute IRIs of any scheme: tag:, urn:, https:. */
export function checkAbsoluteIri(report: Report, field: string, value: string | undefined): void {
  if (value !== undefined && !ABSOLUTE_IRI.test(value.trim())) report(field, `${quote(value)} is not an absolute IRI`);
}

/**
 * A date in the format the standard prescribes, and not after `now`: a future date means a
 * clock or data error, and readers sort and expire items by it. Returns the instant if valid.
 */
export function checkDate(
  report: Report,
  field: string,
  value: string | undefined,
  parse: (text: string) => DateParse,
  now: number,
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parse(value);
  if ('error' in parsed) {
    report(field, `${quote(value)} ${parsed.error}`);
    return undefined;
  }
  if (parsed.epochMs > now) report(field, `${quote(value)} is in the future (now is ${new Date(now).toISOString()})`);
  return parsed.epochMs;
}

/** Reports each id used by more than one item: readers would show only one of them. */
export function checkUniqueIds(report: Report, field: string, ids: readonly (string | undefined)[]): void {
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const id of ids) {
    if (id === undefined) continue;
    if (seen.has(id) && !reported.has(id)) {
      report(field, `${quote(id)} is used by more than one item`);
      reported.add(id);
    }
    seen.add(id);
  }
}

export { quote };

/** RFC 5005 relations a feed may link once each. */
const ARCHIVE_RELS = ['current', 'prev-archive', 'next-archive'];

/**
 * RFC 5005 §4: an archive document (one with `fh:archive`) links the subscription document it
 * belongs to (rel="current"), and no document names two documents for one archive relation.
 */
export function checkArchiveLinks(report: Report, linkField: string, isArchive: boolean, rels: readonly string[]): void {
  for (const rel of ARCHIVE_RELS) {
    if (rels.filter((candidate) => candidate === rel).length > 1) report(`${linkField}[rel=${rel}]`, 'appears more than once');
  }
  if (isArchive && !rels.includes('current')) report(`${linkField}[rel=current]`, 'is missing: an archive document (fh:archive) must link its subscription document');
}
