import type { YamlValue } from '../store/parse-yaml-strictly.ts';
import { stripXmlIllegalChars } from '../domain/strip-xml-illegal-chars.ts';

/** A problem with one front-matter field; parse-article.ts adds the file. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * The text of a scalar field. YAML turns `id: 123` into a number and `title: 2026` into one too;
 * both are meant as text. Booleans and null are not: `title: yes` is a string in YAML 1.2, so a
 * real boolean here was written as one.
 */
export function scalarText(value: YamlValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** One line of plain text, safe for XML: what titles, names, tags and summaries become. */
export function cleanInlineText(text: string): string {
  return stripXmlIllegalChars(text).replace(/\s+/g, ' ').trim();
}

/** How a value is quoted in a problem message: short, and recognisable to whoever wrote it. */
export function showValue(value: YamlValue): string {
  if (typeof value === 'string') {
    const oneLine = value.replace(/\s+/g, ' ');
    return JSON.stringify(oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine);
  }
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return String(value);
}
