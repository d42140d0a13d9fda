import type { Article } from './article.ts';
import type { Site } from './site.ts';
import { articlePageUrl } from './site-urls.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const URI_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:[^\s]+$/i;

/**
 * The URI every feed format uses as the item's id (RSS guid, Atom id, JSON Feed id).
 * It depends on the article's permanent `id` and the site's tag authority only, never on
 * title, slug, category or file name, so a reader never sees the same story twice.
 */
export function articleUri(article: Pick<Article, 'id'>, site: Pick<Site, 'tagAuthority'>): string {
  const { id } = article;
  if (UUID.test(id)) return `urn:uuid:${id.toLowerCase()}`;
  if (URI_WITH_SCHEME.test(id)) return id;
  return `tag:${site.tagAuthority}:${encodeURIComponent(id)}`;
}

/** Where the item links to: the publisher's own page when given, else Wirefeed's article page. */
export function articleLink(article: Pick<Article, 'url' | 'slug'>, site: Pick<Site, 'baseUrl'>): string {
  return article.url ?? articlePageUrl(site, article.slug);
}
