/**
 * The site's HTML pages: the home page, one page per category and one per public article, each
 * inside the frame of html-page.ts. The headline and subscribe lists below are private parts
 * that the home and category pages share.
 */
import type { Article, Author, Category } from '../domain/article.ts';
import type { Retraction } from '../domain/change-entry.ts';
import { retractionTime } from '../domain/change-entry.ts';
import { withCorrection } from '../domain/correction-html.ts';
import type { FeedFormat } from '../domain/documents.ts';
import { scopeTitle } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';
import { articlePageUrl, categoryPageUrl, homeUrl, opmlUrl } from '../domain/site-urls.ts';
import { languageAttributes, renderHtmlPage } from './html-page.ts';
import { articleLanguage, sameLanguage, scopeLanguage } from '../domain/language.ts';
import { escapeMarkup, formatPageDate, linkableUrl } from './markup.ts';
import type { FeedLink } from './subscriptions.ts';
import { feedLinksOf } from './subscriptions.ts';

/** Headlines with their dates, newest first as given; links go to the article's page on this site. */
function renderArticleList(site: Site, articles: readonly Article[]): string {
  if (articles.length === 0) return '<p>No articles yet.</p>';
  const items = articles.map((article) => {
    const date = formatPageDate(article.published);
    // A headline in another language than the site's says which, on whichever page lists it.
    return (
      `<li${languageAttributes(article.language, site.language)}><a href="${escapeMarkup(articlePageUrl(site, article.slug))}">${escapeMarkup(article.title)}</a> ` +
      `<time class="meta" datetime="${date.machine}">${date.human}</time></li>`
    );
  });
  return `<ol class="articles">\n${items.join('\n')}\n</ol>`;
}

const LINK_TEXT: Readonly<Record<FeedFormat, string>> = { rss: 'RSS feed', atom: 'Atom feed', json: 'JSON Feed' };

/**
 * Visible subscribe links. The link text names scope and format ("World: Atom feed") because
 * screen-reader users often browse a page's links out of context, where "Atom" alone says little.
 */
function renderFeedList(feeds: readonly FeedLink[], scopeName: string): string {
  const items = feeds.map(
    (feed) =>
      `<li><a href="${escapeMarkup(feed.url)}" type="${escapeMarkup(feed.type)}">` +
      `<span class="visually-hidden">${escapeMarkup(scopeName)}: </span>${LINK_TEXT[feed.format]}</a></li>`,
  );
  return `<ul class="feeds">\n${items.join('\n')}\n</ul>`;
}

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
    const named = languageAttributes(scopeLanguage(site, { kind: 'category', slug: category.slug }), site.language);
    return [
      `<section aria-labelledby="${escapeMarkup(headingId)}">`,
      `<h3 id="${escapeMarkup(headingId)}"${named}><a href="${escapeMarkup(categoryPageUrl(site, category.slug))}">${escapeMarkup(category.name)}</a></h3>`,
      ...(category.description ? [`<p${named}>${escapeMarkup(category.description)}</p>`] : []),
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
    // In the site's language, as the site feed is; the others are listed under their categories.
    renderArticleList(site, recent.filter((article) => sameLanguage(articleLanguage(article, site), site.language)).slice(0, latest)),
    '</section>',
    '<section aria-labelledby="categories">',
    '<h2 id="categories">Categories</h2>',
    ...sections,
    '</section>',
  ].join('\n');
  return renderHtmlPage({ site, title: site.title, description: site.description, canonicalUrl: homeUrl(site), feeds: siteFeeds, mainHtml: main });
}

/**
 * The page of one category, `/category/<slug>/`: its feeds (announced for autodiscovery, so a
 * reader pointed here subscribes to this category, not the whole site) and its recent articles.
 * `recent` are the category's public articles, newest first (its feed's items are enough).
 */
export function renderCategoryPage(site: Site, category: Category & { readonly description?: string }, recent: readonly Article[]): string {
  const feeds = feedLinksOf(site, category);
  // In the category's language, as its feeds are; the site's own labels say they are in the site's.
  const language = scopeLanguage(site, { kind: 'category', slug: category.slug });
  const labels = languageAttributes(site.language, language);
  const main = [
    `<h1>${escapeMarkup(category.name)}</h1>`,
    ...(category.description ? [`<p>${escapeMarkup(category.description)}</p>`] : []),
    `<section aria-labelledby="subscribe"${labels}>`,
    '<h2 id="subscribe">Subscribe</h2>',
    renderFeedList(feeds, category.name),
    '</section>',
    '<section aria-labelledby="latest">',
    `<h2 id="latest"${labels}>Latest</h2>`,
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
    ...(language === site.language ? {} : { language }),
  });
}

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
  const labels = languageAttributes(site.language, articleLanguage(article, site));
  const main = [
    '<article>',
    '<header>',
    `<h1>${escapeMarkup(article.title)}</h1>`,
    `<p class="meta"${labels}>${renderDates(article)} · by ${authors.map(renderAuthor).join(', ')}</p>`,
    `<p class="meta"${labels}>In ${categories.join(', ')}</p>`,
    '</header>',
    // The image repeats the story visually; alt="" tells screen readers to skip it rather than read its URL.
    ...(image ? [`<img src="${escapeMarkup(image)}" alt=""/>`] : []),
    withCorrection(article.body.html(), article.correction),
  ];
  const links = original ? [`<p><a href="${escapeMarkup(original)}">Read this article on the publisher's site</a></p>`] : [];
  return renderArticleFrame(site, { title: article.title, description: article.summary, canonicalUrl: original ?? articlePageUrl(site, article.slug), language: articleLanguage(article, site) }, main, links);
}

/** An article page's frame: the <article> with its footer links, inside the site's page. */
function renderArticleFrame(site: Site, page: { title: string; description: string; canonicalUrl: string; language?: string }, parts: readonly string[], links: readonly string[]): string {
  const main = [...parts, `<footer${languageAttributes(site.language, page.language ?? site.language)}>`, ...links, `<p><a href="${escapeMarkup(homeUrl(site))}">Back to ${escapeMarkup(site.title)}</a></p>`, '</footer>', '</article>'].join('\n');
  return renderHtmlPage({
    site,
    title: `${page.title} — ${site.title}`,
    description: page.description,
    canonicalUrl: page.canonicalUrl,
    feeds: feedLinksOf(site),
    mainHtml: main,
    ...(page.language === undefined || page.language === site.language ? {} : { language: page.language }),
  });
}

/**
 * The page of a retracted article, served with 410 Gone: it says that the story was retracted,
 * when, and why when the newsroom gave a note; the story itself is not shown.
 */
export function renderRetractedPage(site: Site, retraction: Retraction): string {
  const { version } = retraction;
  const when = formatPageDate(retractionTime(retraction));
  const main = [
    '<article>',
    '<header>',
    `<h1>Retracted: ${escapeMarkup(version.title)}</h1>`,
    `<p class="retracted">This article was retracted on <time datetime="${when.machine}">${when.human}</time>.</p>`,
    '</header>',
    ...(version.retractionNote === undefined ? [] : [`<p class="retraction-note">${escapeMarkup(version.retractionNote)}</p>`]),
  ];
  const page = { title: `Retracted: ${version.title}`, description: version.retractionNote ?? 'This article was retracted.', canonicalUrl: articlePageUrl(site, version.slug) };
  return renderArticleFrame(site, page, main, []);
}
