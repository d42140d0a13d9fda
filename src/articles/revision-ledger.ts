import { createHash } from 'node:crypto';
import type { Article } from '../domain/article.ts';

/**
 * Editors fix a typo or add a paragraph without touching `updated`; readers still deserve to see
 * that the story changed. For public articles, a change of title, summary or body moves `updated`
 * to the moment the change was first seen (never `published`, never `id`); an explicit, later
 * `updated` in the front matter always wins. Articles not yet public are not recorded, so edits
 * under embargo do not count as revisions. The ledger below is what makes that possible: for each
 * article id, the wording last seen and since when. (Kept by jobs/public-view.ts.)
 */
export interface RevisionRecord {
  readonly hash: string;
  readonly since: number;
}

export type RevisionLedger = ReadonlyMap<string, RevisionRecord>;

/**
 * Only the wording readers see: a new tag or category is not a new revision of the story. Cheap
 * (the body enters by its hash), and only computed for articles a build sees change.
 */
export function wordingHash(article: Article): string {
  const hash = createHash('sha256').update(article.title).update('\0').update(article.summary).update('\0').update(article.body.hash);
  // A correction is wording readers see; an article without one keeps the hash it had before corrections existed.
  if (article.correction !== undefined) hash.update('\0correction\0').update(article.correction);
  return hash.digest('base64url');
}

/** The article dated as revised at `since`; its content hash moves too, so feeds showing it are rebuilt. */
export function revisionDate(article: Article, since: number): Article {
  const contentHash = createHash('sha256').update(article.contentHash).update(`updated:${since}`).digest('base64url');
  return Object.freeze({ ...article, updated: since, contentHash });
}
