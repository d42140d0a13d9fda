import type { YamlValue } from '../store/parse-yaml-strictly.ts';
import type { FieldProblem } from './field-values.ts';
import { cleanInlineText, scalarText, showValue } from './field-values.ts';

export const MAX_TAGS = 100;

/**
 * `tags` as a list or as one comma-separated string ("elections, pakistan"). Tags are trimmed,
 * empty ones dropped, and repeats removed ignoring case, keeping the first spelling.
 */
export function parseTags(value: YamlValue | undefined, problems: FieldProblem[]): string[] {
  if (value === undefined || value === null) return [];
  let raw: string[];
  const asText = scalarText(value);
  if (asText !== undefined) {
    raw = asText.split(',');
  } else if (Array.isArray(value)) {
    raw = [];
    for (const [i, item] of value.entries()) {
      const text = scalarText(item) ?? (typeof item === 'boolean' ? String(item) : undefined);
      if (text === undefined) {
        problems.push({ field: 'tags', message: `tags item ${i + 1} is ${showValue(item)}, not text: write each tag as a word or phrase` });
        return [];
      }
      raw.push(text);
    }
  } else {
    problems.push({ field: 'tags', message: `tags ${showValue(value)} must be a list of words or a comma-separated text` });
    return [];
  }
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const candidate of raw) {
    const tag = cleanInlineText(candidate);
    const key = tag.toLowerCase();
    if (tag !== '' && !seen.has(key)) {
      seen.add(key);
      tags.push(tag);
    }
  }
  if (tags.length > MAX_TAGS) {
    problems.push({ field: 'tags', message: `tags has ${tags.length} distinct tags: keep at most ${MAX_TAGS}` });
    return [];
  }
  return tags;
}
