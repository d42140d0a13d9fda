import { readFile } from 'node:fs/promises';
import { scalarText } from '../articles/field-values.ts';
import { parseFrontMatter } from '../articles/parse-front-matter.ts';
import { checkPublishedTime } from './published-time.ts';

/** What of an article file being replaced must survive: its identity and, by default, its date. */
export interface ReplacedArticle {
  readonly id: string | undefined;
  readonly published: string | undefined;
}

/**
 * Reads the file an import is about to replace, or undefined when there is none. Its fields are
 * read as the service reads them (same front-matter split, same strict YAML, numbers taken as
 * text for the id), so what survives is what feed readers were shown.
 */
export async function readReplacedArticle(file: string): Promise<ReplacedArticle | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // The store reader hands the parser text without a BOM and with LF line endings.
  const split = parseFrontMatter(text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n'));
  if (!split.ok) return { id: undefined, published: undefined };
  const id = scalarText(split.fields.id);
  const published = split.fields.published;
  return {
    id: id !== undefined && id.trim() !== '' ? id : undefined,
    published: typeof published === 'string' && checkPublishedTime(published).ok ? published : undefined,
  };
}
