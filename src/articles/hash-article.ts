import { createHash } from 'node:crypto';
import type { Article } from '../domain/article.ts';

/**
 * sha256 over everything a feed shows of an article. The fields go into a JSON array in a fixed
 * order (not an object), so the serialisation cannot change with key order. `sourcePath` is left
 * out: moving a file with an explicit id changes nothing a reader sees.
 */
export function hashArticle(article: Omit<Article, 'contentHash'>): string {
  const shown = [
    article.id,
    article.slug,
    article.title,
    article.summary,
    article.body.hash,
    article.categories.map((c) => [c.name, c.slug]),
    article.tags,
    article.authors.map((a) => [a.name, a.url ?? null, a.email ?? null]),
    article.published,
    article.updated,
    article.image
      ? [article.image.url, article.image.type, article.image.width ?? null, article.image.height ?? null, article.image.length ?? null, article.image.alt ?? null, article.image.caption ?? null, article.image.credit ?? null]
      : null,
    article.url ?? null,
    article.draft,
    article.retracted ?? null,
    article.retractionNote ?? null,
    article.correction ?? null,
    // Only when set, so that an article in the site's language keeps the hash it had before languages existed.
    ...(article.language === undefined ? [] : [article.language]),
  ];
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex');
}
