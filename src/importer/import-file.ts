import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../domain/problem.ts';
import { writeFileAtomically } from '../publication/write-file-atomically.ts';
import { displayPath } from '../store/read-store.ts';
import { importScrapedText } from './import-scraped-text.ts';
import type { ImportedArticle } from './import-scraped-text.ts';
import { readReplacedArticle } from './replaced-article.ts';
import { declareCategory, declaredCategoryNames } from './site-file.ts';
import type { SiteFile } from './site-file.ts';

export interface ImportRun {
  readonly storeDir: string;
  /** The --published value, or undefined to keep a replaced file's time or else use `now`. */
  readonly published: string | undefined;
  /** One "now" for the whole run, so a batch imported together shares its publication time. */
  readonly now: string;
  readonly author: string | undefined;
  /** Overwrite an existing article file, keeping its id (and its time unless `published` is set). */
  readonly force: boolean;
  readonly site: SiteFile;
}

export type ImportFileOutcome =
  | {
      readonly ok: true;
      /** The article file written, absolute. */
      readonly target: string;
      readonly article: ImportedArticle;
      /** What else happened, one sentence each (a kept id, a category added to site.yaml). */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly problem: Problem };

/**
 * Imports one scraped text file into the store. Refuses to replace an existing article unless
 * `force` is set; a problem with this file is returned, never thrown, so the others still run.
 */
export async function importFile(run: ImportRun, input: string): Promise<ImportFileOutcome> {
  const subject = displayPath(path.resolve(input));
  const refuse = (message: string): ImportFileOutcome => ({ ok: false, problem: { subject, message } });
  let text: string;
  try {
    text = await readFile(input, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : String(error);
    return refuse(`${message}; skipped`);
  }
  const declared = declaredCategoryNames(run.site);
  const published = run.published ?? run.now;
  const first = importScrapedText(text, { id: randomUUID(), published, author: run.author, declaredCategories: declared });
  if (!first.ok) return refuse(`${first.message}; skipped`);

  const target = path.join(run.storeDir, first.article.categorySlug, `${first.article.slug}.md`);
  const exists = `${displayPath(target)} already exists; pass --force to overwrite it (its id is kept)`;
  const replaced = await readReplacedArticle(target);
  if (replaced !== undefined && !run.force) return refuse(exists);
  const notes: string[] = [];
  let article = first.article;
  if (replaced !== undefined) {
    const kept = importScrapedText(text, {
      id: replaced.id ?? randomUUID(),
      published: run.published ?? replaced.published ?? published,
      author: run.author,
      declaredCategories: declared,
    });
    if (!kept.ok) return refuse(`${kept.message}; skipped`);
    article = kept.article;
    notes.push(
      replaced.id !== undefined
        ? `overwrote the existing file, keeping its id ${replaced.id}`
        : 'overwrote the existing file, which had no id: feed readers will see this as a new item',
    );
  }

  if (!declared.includes(article.category)) {
    await declareCategory(run.site, article.category);
    notes.push(`added category "${article.category}" to ${displayPath(run.site.path)}`);
  }
  try {
    await writeFileAtomically(target, Buffer.from(article.markdown), { overwrite: run.force });
  } catch (error) {
    // Another import wrote the same article between our check and our write.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return refuse(exists);
    throw error;
  }
  return { ok: true, target, article, notes };
}
