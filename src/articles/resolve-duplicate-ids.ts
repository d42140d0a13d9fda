import type { Article } from '../domain/article.ts';
import { articleUri } from '../domain/article-identity.ts';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';

export interface LoadedArticle {
  readonly article: Article;
  readonly displayPath: string;
}

/**
 * Two files claiming one identity would show readers one story twice, or one story replacing
 * another. The file whose store-relative path sorts first (plain code-unit order) keeps the id;
 * every other one is rejected with a problem naming both files. Identities are compared as the
 * feeds will publish them (articleUri), so "ABC…" and "abc…" UUIDs clash too.
 *
 * `loaded` must be sorted by `article.sourcePath`.
 */
export function resolveDuplicateIds(
  loaded: readonly LoadedArticle[],
  site: Pick<Site, 'tagAuthority'>,
): { readonly winners: readonly Article[]; readonly problems: readonly Problem[] } {
  const owners = new Map<string, LoadedArticle>();
  const winners: Article[] = [];
  const problems: Problem[] = [];
  for (const entry of loaded) {
    const uri = articleUri(entry.article, site);
    const owner = owners.get(uri);
    if (owner === undefined) {
      owners.set(uri, entry);
      winners.push(entry.article);
      continue;
    }
    problems.push({
      subject: entry.displayPath,
      field: 'id',
      message:
        `id "${entry.article.id}" is also the id of ${owner.displayPath}, which keeps it because its path sorts first; ` +
        `this file is left out: give one of the two articles its own id`,
    });
  }
  return { winners, problems };
}
