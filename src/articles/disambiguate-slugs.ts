import { createHash } from 'node:crypto';
import type { Article } from '../domain/article.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import { hashArticle } from './hash-article.ts';

/**
 * Makes page slugs unique. Among articles sharing a slug, the earliest published keeps it (ties:
 * smaller id in code-unit order), so an existing page keeps its URL when a newer story with the
 * same headline arrives. Each other one gets "<slug>-<first 8 hex digits of sha256(id)>", which
 * depends only on its own id and so does not change when further clashing articles come and go;
 * in the unlikely case that is taken too, "-2", "-3"… are appended.
 *
 * Returns articles in the order given; only renamed ones are new objects (with a new contentHash).
 */
export function disambiguateSlugs(articles: readonly Article[]): Article[] {
  const groups = new Map<string, Article[]>();
  for (const article of articles) {
    const group = groups.get(article.slug);
    if (group) group.push(article);
    else groups.set(article.slug, [article]);
  }
  const taken = new Set(groups.keys());
  const renamed = new Map<Article, string>();
  const clashing = [...groups.entries()].filter(([, group]) => group.length > 1).sort(([a], [b]) => compareCodeUnits(a, b));
  for (const [slug, group] of clashing) {
    group.sort((a, b) => a.published - b.published || compareCodeUnits(a.id, b.id));
    for (const article of group.slice(1)) {
      const base = `${slug}-${createHash('sha256').update(article.id).digest('hex').slice(0, 8)}`;
      let candidate = base;
      for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
      taken.add(candidate);
      renamed.set(article, candidate);
    }
  }
  if (renamed.size === 0) return [...articles];
  return articles.map((article) => {
    const slug = renamed.get(article);
    if (slug === undefined) return article;
    return Object.freeze({ ...article, slug, contentHash: hashArticle({ ...article, slug }) });
  });
}
