import type { ArticleBody } from './article-body.ts';
import { compareCodeUnits } from './compare-code-units.ts';

/**
 * The article as every later stage sees it: parsed, sanitised, XML-safe, immutable.
 * Times are epoch milliseconds so that an Article can be frozen and compared cheaply.
 */
export interface Author {
  readonly name: string;
  readonly url?: string;
  readonly email?: string;
}

export interface Category {
  /** Display name as the newsroom writes it: "General News". */
  readonly name: string;
  /** URL-safe, lower-case form used in feed paths: "general-news". */
  readonly slug: string;
}

export interface LeadImage {
  /** Absolute URL. */
  readonly url: string;
  /** Media type, e.g. "image/jpeg": read from the file for an image in the store, else from the URL's extension. */
  readonly type: string;
  /** Pixels: read from the file for an image in the store, else as the front matter declares them. */
  readonly width?: number;
  readonly height?: number;
  /** The file's size in bytes; known only for an image in the store (RSS enclosures need it). */
  readonly length?: number;
  /** Plain text for readers who cannot see the image. */
  readonly alt?: string;
  /** Plain text shown with the image. */
  readonly caption?: string;
  /** Who made the image (photographer, agency), plain text. */
  readonly credit?: string;
}

export interface Article {
  /** Permanent identity: from front matter `id`, else derived from the file path (see README). */
  readonly id: string;
  /** Path of the source file relative to the store, with forward slashes. */
  readonly sourcePath: string;
  /** URL slug of the article's own page, `/articles/<slug>`; unique within the store. */
  readonly slug: string;
  readonly title: string;
  /** Plain text, derived from the body when the front matter has none. */
  readonly summary: string;
  /** Sanitised HTML with absolute URLs, held deflated: read it with `body.html()`. */
  readonly body: ArticleBody;
  /** At least one; the first is the primary category. */
  readonly categories: readonly Category[];
  readonly tags: readonly string[];
  /** May be empty: feeds then fall back to the site's default author. */
  readonly authors: readonly Author[];
  readonly published: number;
  /** Never earlier than `published`. */
  readonly updated: number;
  readonly image?: LeadImage;
  /** The article's page on the publisher's site, when it has one. */
  readonly url?: string;
  readonly draft: boolean;
  /**
   * When the article was taken down (epoch ms), from front matter `retracted`: from that moment it
   * leaves every feed and page, and partners are told (README "Retractions and corrections").
   */
  readonly retracted?: number;
  /** Plain text shown on the retracted article's page and in the notices partners get. */
  readonly retractionNote?: string;
  /** Plain text shown above the body: this version corrects an earlier one. */
  readonly correction?: string;
  /**
   * BCP 47 tag of the language it is written in (its front matter's, else its primary category's),
   * set only when that is not the site's language: absent means the site's, as for versions
   * journaled before languages existed. See domain/language.ts.
   */
  readonly language?: string;
  /** Hash of everything a feed shows of this article; equal hashes mean equal feed output. */
  readonly contentHash: string;
}

/** Whether the article's retraction moment has come. */
export function isRetractedAt(article: Pick<Article, 'retracted'>, now: number): boolean {
  return article.retracted !== undefined && article.retracted <= now;
}

/** A draft never goes out; anything else goes out once its publication time has come, until its retraction. */
export function isPublicAt(article: Article, now: number): boolean {
  return !article.draft && article.published <= now && !isRetractedAt(article, now);
}

/**
 * Feed order: newest `published` first; ties by newest `updated`, then by id so that the order
 * never depends on the order the store listed files in. Ids compare by code unit, not by
 * locale, for the same answer on every machine.
 */
export function compareNewestFirst(a: Article, b: Article): number {
  if (a.published !== b.published) return b.published - a.published;
  if (a.updated !== b.updated) return b.updated - a.updated;
  return compareCodeUnits(a.id, b.id);
}

/**
 * The article as one frozen object literal with its fields in a fixed order, whatever made it (the
 * parser, or a parse thread's copy): objects made by spreading and then freezing got a hidden
 * class each in V8, and so more memory and more objects per article for the collector.
 */
export function freezeArticle(fields: Article): Article {
  return Object.freeze({
    id: fields.id,
    sourcePath: fields.sourcePath,
    slug: fields.slug,
    title: fields.title,
    summary: fields.summary,
    body: fields.body,
    categories: Object.freeze(fields.categories),
    tags: Object.freeze(fields.tags),
    authors: Object.freeze(fields.authors),
    published: fields.published,
    updated: fields.updated,
    draft: fields.draft,
    contentHash: fields.contentHash,
    ...(fields.image === undefined ? {} : { image: fields.image }),
    ...(fields.url === undefined ? {} : { url: fields.url }),
    ...(fields.retracted === undefined ? {} : { retracted: fields.retracted }),
    ...(fields.retractionNote === undefined ? {} : { retractionNote: fields.retractionNote }),
    ...(fields.correction === undefined ? {} : { correction: fields.correction }),
    ...(fields.language === undefined ? {} : { language: fields.language }),
  });
}
