import type { Article, Category } from '../domain/article.ts';
import type { Site } from '../domain/site.ts';
import { escapeMarkup } from './markup.ts';
import { feedLinksOf } from './subscriptions.ts';
import { categoryPageUrl, homeUrl, opmlUrl } from '../domain/site-urls.ts';
import { renderArticleList } from './render-article-list.ts';
import { renderFeedList } from './render-feed-list.ts';
import { renderHtmlPage } from './html-page.ts';

export interface IndexPageOptions {
  /** Headlines in the "Latest" list. */
  readonly latest?: number;
  /** Headlines under each category. */
  readonly perCategory?: number;
}

/** Per category, the first `limit` of `recent` that carry it, in one pass that stops once every list is full. */
function recentByCategory(categories: readonly Category[], recent: readonly Article[], limit: number): Map<string, Article[]> {
  const lists = new Map<string, Article[]>(categories.map((category) => [category.slug, []]));
  let open = limit > 0 ? lists.size : 0;
  for (const article of recent) {
    if (open === 0) break;
    for (const category of article.categories) {
      const list = lists.get(category.slug);
      if (!list || list.length >= limit || list.includes(article)) continue;
      list.push(article);
      if (list.length === limit) open -= 1;
    }
  }
  return lists;
}

/**
 * The home page: the site's feeds and the OPML, the latest headlines, then every category with
 * its feeds and its latest headlines. Autodiscovery names the site feeds, so a reader pointed at
 * the home page subscribes to everything.
 *
 * `categories` are the ones with feeds, in display order (normally `site.categories`); `recent`
 * are public articles, newest first (the site feed's items are enough).
 */
export function renderIndexPage(
  site: Site,
  categories: readonly (Category & { readonly description?: string })[],
  recent: readonly Article[],
  options: IndexPageOptions = {},
): string {
  const latest = options.latest ?? 20;
  const perCategory = options.perCategory ?? 5;
  const siteFeeds = feedLinksOf(site);
  const byCategory = recentByCategory(categories, recent, perCategory);
  const sections = categories.map((category) => {
    const headingId = `category-${category.slug}`;
    return [
      `<section aria-labelledby="${escapeMarkup(headingId)}">`,
      `<h3 id="${escapeMarkup(headingId)}"><a href="${escapeMarkup(categoryPageUrl(site, category.slug))}">${escapeMarkup(category.name)}</a></h3>`,
      ...(category.description ? [`<p>${escapeMarkup(category.description)}</p>`] : []),
      renderFeedList(feedLinksOf(site, category), category.name),
      renderArticleList(site, byCategory.get(category.slug) ?? []),
      '</section>',
    ].join('\n');
  });
  const main = [
    `<h1>${escapeMarkup(site.title)}</h1>`,
    ...(site.description ? [`<p>${escapeMarkup(site.description)}</p>`] : []),
    '<section aria-labelledby="subscribe">',
    '<h2 id="subscribe">Subscribe</h2>',
    renderFeedList(siteFeeds, `All of ${site.title}`),
    `<p><a href="${escapeMarkup(opmlUrl(site))}" type="text/x-opml">Every feed of this site as one OPML file</a>, for readers that import subscription lists.</p>`,
    '</section>',
    '<section aria-labelledby="latest">',
    '<h2 id="latest">Latest</h2>',
    renderArticleList(site, recent.slice(0, latest)),
    '</section>',
    '<section aria-labelledby="categories">',
    '<h2 id="categories">Categories</h2>',
    ...sections,
    '</section>',
  ].join('\n');
  return renderHtmlPage({ site, title: site.title, description: site.description, canonicalUrl: homeUrl(site), feeds: siteFeeds, mainHtml: main });
}
