import type { Article } from '../domain/article.ts';
import type { Site } from '../domain/site.ts';
import { escapeMarkup } from './markup.ts';
import { formatPageDate } from './format-page-date.ts';
import { articlePageUrl } from '../domain/site-urls.ts';

/** Headlines with their dates, newest first as given; links go to the article's page on this site. */
export function renderArticleList(site: Site, articles: readonly Article[]): string {
  if (articles.length === 0) return '<p>No articles yet.</p>';
  const items = articles.map((article) => {
    const date = formatPageDate(article.published);
    return (
      `<li><a href="${escapeMarkup(articlePageUrl(site, article.slug))}">${escapeMarkup(article.title)}</a> ` +
      `<time class="meta" datetime="${date.machine}">${date.human}</time></li>`
    );
  });
  return `<ol class="articles">\n${items.join('\n')}\n</ol>`;
}
