import { createHash } from 'node:crypto';
import type { Article } from '../domain/article.ts';
import { isPublicAt } from '../domain/article.ts';

/** When the service first saw the current wording of a public article. */
export interface RevisionRecord {
  readonly hash: string;
  readonly since: number;
}

export type RevisionLedger = ReadonlyMap<string, RevisionRecord>;

export interface StampedArticles {
  readonly articles: readonly Article[];
  readonly ledger: RevisionLedger;
  /** True when the ledger has new or changed records and should be saved. */
  readonly ledgerChanged: boolean;
}

/** Only the wording readers see: a new tag or category is not a new revision of the story. */
function wordingHash(article: Article): string {
  return createHash('sha256').update(article.title).update('\0').update(article.summary).update('\0').update(article.body.hash).digest('base64url');
}

/**
 * Editors fix a typo or add a paragraph without touching `updated`; readers still deserve to
 * see that the story changed. For public articles, a change of title, summary or body moves
 * `updated` to the moment the change was first seen (never `published`, never `id`). An
 * explicit, later `updated` in the front matter always wins. Articles not yet public are not
 * recorded, so edits under embargo do not count as revisions.
 */
export function stampRevisionTimes(articles: readonly Article[], ledger: RevisionLedger, now: number): StampedArticles {
  const next = new Map(ledger);
  let ledgerChanged = false;
  const stamped = articles.map((article) => {
    if (!isPublicAt(article, now)) return article;
    const hash = wordingHash(article);
    const known = next.get(article.id);
    if (!known) {
      next.set(article.id, { hash, since: article.updated });
      ledgerChanged = true;
      return article;
    }
    let since = known.since;
    if (known.hash !== hash) {
      since = Math.max(now, article.updated);
      next.set(article.id, { hash, since });
      ledgerChanged = true;
    }
    if (since <= article.updated) return article;
    const contentHash = createHash('sha256').update(article.contentHash).update(`updated:${since}`).digest('base64url');
    return Object.freeze({ ...article, updated: since, contentHash });
  });
  return { articles: stamped, ledger: next, ledgerChanged };
}
