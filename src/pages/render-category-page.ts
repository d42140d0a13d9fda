import type { Article, Category } from '../domain/article.ts';
import type { Site } from '../domain/site.ts';
import { escapeMarkup } from './markup.ts';
import { scopeTitle } from '../domain/documents.ts';
import { feedLinksOf } from './subscriptions.ts';
import { categoryPageUrl } from '../domain/site-urls.ts';
import { renderArticleList } from './render-article-list.ts';
import { renderFeedList } from './render-feed-list.ts';
import { renderHtmlPage } from './html-page.ts';

/**
 * The page of one category, `/category/<slug>/`: its feeds (announced for autodiscovery, so a
 * reader pointed here subscribes to this category, not the whole site) and its recent articles.
 * `recent` are the category's public articles, newest first (its feed's items are enough).
 */
export function renderCategoryPage(site: Site, category: Category & { readonly description?: string }, recent: readonly Article[]): string {
  const feeds = feedLinksOf(site, category);
  const main = [
    `<h1>${escapeMarkup(category.name)}</h1>`,
    ...(category.description ? [`<p>${escapeMarkup(category.description)}</p>`] : []),
    '<section aria-labelledby="subscribe">',
    '<h2 id="subscribe">Subscribe</h2>',
    renderFeedList(feeds, category.name),
    '</section>',
    '<section aria-labelledby="latest">',
    '<h2 id="latest">Latest</h2>',
    renderArticleList(site, recent),
    '</section>',
  ].join('\n');
  return renderHtmlPage({
    site,
    title: scopeTitle(site, category.name),
    description: category.description ?? '',
    canonicalUrl: categoryPageUrl(site, category.slug),
    feeds,
    mainHtml: main,
  });
}
