import type { Article, Author, Category, LeadImage } from '../domain/article.ts';
import { articleLink, articleUri } from '../domain/article-identity.ts';
import { withCorrection } from '../domain/correction-html.ts';
import { wrapContent } from '../domain/language.ts';
import type { Site } from '../domain/site.ts';
import { toWholeSeconds } from './feed-dates.ts';
import { stripXmlIllegalChars as clean } from '../domain/strip-xml-illegal-chars.ts';

/**
 * An article as every feed format shows it. All three builders read this one value, so an
 * article has the same id, title, link, dates and authors in every format and every feed.
 */
export interface FeedEntry {
  /** articleUri: RSS guid, Atom id, JSON Feed id. */
  readonly id: string;
  readonly link: string;
  readonly title: string;
  /** Plain text; may be empty. */
  readonly summary: string;
  readonly contentHtml: string;
  /** Whole seconds (see toWholeSeconds). */
  readonly published: number;
  readonly updated: number;
  /** Never empty: the site's default author stands in for an article without one. */
  readonly authors: readonly Author[];
  readonly categories: readonly Category[];
  readonly tags: readonly string[];
  readonly image?: LeadImage;
}

/** An author with every field XML-safe. */
export function cleanAuthor(author: Author): Author {
  return {
    name: clean(author.name),
    ...(author.url === undefined ? {} : { url: clean(author.url) }),
    ...(author.email === undefined ? {} : { email: clean(author.email) }),
  };
}

/** A lead image with every text XML-safe. */
function cleanImage(image: LeadImage): LeadImage {
  return {
    url: clean(image.url),
    type: clean(image.type),
    ...(image.width === undefined ? {} : { width: image.width }),
    ...(image.height === undefined ? {} : { height: image.height }),
    ...(image.length === undefined ? {} : { length: image.length }),
    ...(image.alt === undefined ? {} : { alt: clean(image.alt) }),
    ...(image.caption === undefined ? {} : { caption: clean(image.caption) }),
    ...(image.credit === undefined ? {} : { credit: clean(image.credit) }),
  };
}

export function toFeedEntry(article: Article, site: Site): FeedEntry {
  const authors = article.authors.length > 0 ? article.authors : [site.defaultAuthor];
  return {
    id: clean(articleUri(article, site)),
    link: clean(articleLink(article, site)),
    title: clean(article.title),
    summary: clean(article.summary),
    // Right-to-left or other-language text carries dir and lang itself: readers drop CSS, and may ignore the feed's language.
    contentHtml: clean(wrapContent(withCorrection(article.body.html(), article.correction), article, site)),
    published: toWholeSeconds(article.published),
    updated: toWholeSeconds(article.updated),
    authors: authors.map(cleanAuthor),
    categories: article.categories.map((category) => ({ name: clean(category.name), slug: clean(category.slug) })),
    tags: article.tags.map(clean),
    ...(article.image === undefined ? {} : { image: cleanImage(article.image) }),
  };
}
