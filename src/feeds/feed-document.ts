import type { Article } from '../domain/article.ts';
import type { Retraction } from '../domain/change-entry.ts';
import type { Tombstone } from './tombstone.ts';
import type { FeedFormat, FeedScope } from '../domain/documents.ts';
import type { Site } from '../domain/site.ts';

/** One finished feed: its text plus what validation and publication need to know about it. */
export interface FeedDocument {
  /** feedPath(scope, format): "rss.xml", "category/world/atom.xml". */
  readonly path: string;
  readonly format: FeedFormat;
  readonly scope: FeedScope;
  /** Human title, e.g. "Wirefeed Sample News — Technology". */
  readonly title: string;
  /** The document text, exactly as it is to be served. */
  readonly body: string;
  /** The articles that went in, in document order: the round-trip check compares against them. */
  readonly items: readonly Article[];
  /** The retraction notices that went in, after the items, in document order. */
  readonly retractions: readonly Tombstone[];
  /**
   * Epoch ms taken from the content, never from the clock: the newest `updated` among the items
   * and retraction times among the notices,
   * truncated to whole seconds as the document states it (see describeFeed for an empty feed).
   */
  readonly lastModified: number;
  /**
   * The site the document was built for. Item ids and links are derived from it
   * (articleUri, articleLink), so the round-trip check needs it to recompute them.
   */
  readonly site: Site;
}

export interface FeedDocumentInput {
  readonly site: Site;
  readonly scope: FeedScope;
  readonly format: FeedFormat;
  /** Already selected and ordered (PublicView.select); every one is written, in this order. */
  readonly items: readonly Article[];
  readonly ttlMinutes: number;
  /** Retractions partners are still being told of in this scope (README "Retractions and corrections"), newest first. */
  readonly retractions?: readonly Retraction[];
  /** WebSub hub to advertise, if any. */
  readonly hubUrl?: string;
  /** The scope's newest archive page (README "Archives"), linked as prev-archive; none while the scope has no journal entry. */
  readonly prevArchiveUrl?: string;
}
