import type { Article, Author } from '../domain/article.ts';
import type { Site } from '../domain/site.ts';
import { escapeMarkup } from './markup.ts';
import { formatPageDate } from './format-page-date.ts';
import { linkableUrl } from './linkable-url.ts';
import { feedLinksOf } from './subscriptions.ts';
import { articlePageUrl, categoryPageUrl, homeUrl } from '../domain/site-urls.ts';
import { renderHtmlPage } from './html-page.ts';

function renderAuthor(author: Author): string {
  const url = linkableUrl(author.url);
  const name = escapeMarkup(author.name);
  return url ? `<a href="${escapeMarkup(url)}" rel="author">${name}</a>` : name;
}

function renderDates(article: Article): string {
  const published = formatPageDate(article.published);
  const parts = [`Published <time datetime="${published.machine}">${published.human}</time>`];
  // Feeds state `updated` whenever it differs; whole minutes are what this page shows.
  const updated = formatPageDate(article.updated);
  if (updated.human !== published.human) parts.push(`updated <time datetime="${updated.machine}">${updated.human}</time>`);
  return parts.join(', ');
}

/**
 * One public article as a readable page. Its body was sanitised by the article stage and is
 * inserted as it is; every other field is text and is escaped. The canonical link is the
 * publisher's own page when the article has one, as the feeds' item link is.
 */
export function renderArticlePage(site: Site, article: Article): string {
  const authors = article.authors.length > 0 ? article.authors : [site.defaultAuthor];
  const image = article.image ? linkableUrl(article.image.url) : undefined;
  const original = linkableUrl(article.url);
  const categories = article.categories.map(
    (category) => `<a href="${escapeMarkup(categoryPageUrl(site, category.slug))}" rel="tag">${escapeMarkup(category.name)}</a>`,
  );
  const main = [
    '<article>',
    '<header>',
    `<h1>${escapeMarkup(article.title)}</h1>`,
    `<p class="meta">${renderDates(article)} · by ${authors.map(renderAuthor).join(', ')}</p>`,
    `<p class="meta">In ${categories.join(', ')}</p>`,
    '</header>',
    // The image repeats the story visually; alt="" tells screen readers to skip it rather than read its URL.
    ...(image ? [`<img src="${escapeMarkup(image)}" alt=""/>`] : []),
    article.body.html(),
    '<footer>',
    ...(original ? [`<p><a href="${escapeMarkup(original)}">Read this article on the publisher's site</a></p>`] : []),
    `<p><a href="${escapeMarkup(homeUrl(site))}">Back to ${escapeMarkup(site.title)}</a></p>`,
    '</footer>',
    '</article>',
  ].join('\n');
  return renderHtmlPage({
    site,
    title: `${article.title} — ${site.title}`,
    description: article.summary,
    canonicalUrl: original ?? articlePageUrl(site, article.slug),
    feeds: feedLinksOf(site),
    mainHtml: main,
  });
}
