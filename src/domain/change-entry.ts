import type { Article } from './article.ts';

/*
 * The change journal's vocabulary: what partners are told happened to an article, and the article
 * as it was published then. Plain data, so that any storage (a file, SQLite, PostgreSQL) can keep
 * it as JSON and any renderer can make a full feed item of it.
 */

/**
 * `corrected`: a revision whose `correction` text is new or changed; `retracted`: the article was
 * taken down (a `retracted` moment come, or its file deleted), the entry holding its last version.
 */
export type ChangeKind = 'published' | 'revised' | 'corrected' | 'recategorised' | 'retracted';


/**
 * An Article's fields as published (`updated` as the feeds showed it, revision stamps included),
 * with the body as its sanitised HTML instead of deflated bytes. In a `retracted` entry it is the
 * last version published, with `retracted` (the retraction time) and `retractionNote` set.
 */
export type ArticleVersion = Omit<Article, 'body' | 'draft' | 'contentHash'> & { readonly contentHtml: string };

/** One change before the journal numbers it. */
export interface ChangeRecord {
  readonly change: ChangeKind;
  /** The moment the build that published it ran (epoch ms); never earlier than the entry before it. */
  readonly at: number;
  /**
   * Category slugs whose change streams list this entry: the version's categories, and for a
   * recategorisation also the ones it left, so those streams learn that it is gone from them.
   */
  readonly scopes: readonly string[];
  readonly article: ArticleVersion;
}

export interface ChangeEntry extends ChangeRecord {
  /** 1, 2, 3, … in append order; contiguous, never reused. */
  readonly seq: number;
}

/** What the journal last said about one article id: enough to tell whether the public state moved since. */
export interface JournaledState {
  /** The newest entry's. */
  readonly seq: number;
  readonly change: ChangeKind;
  readonly updated: number;
  /** Category slugs of the version, in its order. */
  readonly categories: readonly string[];
  readonly sourcePath: string;
  /** The version's correction text: a new or changed one makes the next revision `corrected`. */
  readonly correction?: string;
}

/**
 * A retraction partners are told about: the version a `retracted` entry holds (its `retracted`
 * set), and when the entry was recorded. Feeds carry a notice for it for a window after `announcedAt`.
 */
export interface Retraction {
  readonly version: ArticleVersion;
  /** The entry's `at`: when partners were first told. */
  readonly announcedAt: number;
}

/** The notices one build's feeds carry, and when that list next changes by the clock alone. */
export interface RetractionNotices {
  /** Newest retraction first, then by article id. */
  readonly notices: readonly Retraction[];
  /** The moment the oldest notice leaves the feeds. */
  readonly expiresAt: number | undefined;
}

/** When an article was retracted: the time its front matter states, else when partners were told (a deleted file). */
export function retractionTime(retraction: Retraction): number {
  return retraction.version.retracted ?? retraction.announcedAt;
}

/** Whether partners were last told this article is public. */
export function isPublicState(state: JournaledState | undefined): state is JournaledState {
  return state !== undefined && state.change !== 'retracted';
}

/** The version of an article that an entry keeps. */
export function toArticleVersion(article: Article): ArticleVersion {
  return {
    id: article.id,
    sourcePath: article.sourcePath,
    slug: article.slug,
    title: article.title,
    summary: article.summary,
    contentHtml: article.body.html(),
    categories: article.categories,
    tags: article.tags,
    authors: article.authors,
    published: article.published,
    updated: article.updated,
    ...(article.image === undefined ? {} : { image: article.image }),
    ...(article.url === undefined ? {} : { url: article.url }),
    ...(article.correction === undefined ? {} : { correction: article.correction }),
    ...(article.language === undefined ? {} : { language: article.language }),
  };
}
