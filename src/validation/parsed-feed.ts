import type { FeedFormat } from '../domain/documents.ts';

/** One item as read back from a document, format-neutral: what the round-trip check compares. */
export interface ParsedItem {
  /** Position in the document, 1-based, for items without a usable id. */
  readonly position: number;
  readonly id: string | undefined;
  readonly title: string | undefined;
  readonly link: string | undefined;
  /** Epoch ms; undefined when absent or unparseable (that is reported separately). */
  readonly published: number | undefined;
  /** RSS items have no such date: always undefined there. */
  readonly updated: number | undefined;
  /** Display names in document order: RSS category text, Atom label (else term), JSON Feed tags. */
  readonly categories: readonly string[];
  /** Atom only: the `term` of each category, in document order. */
  readonly categoryTerms: readonly string[] | undefined;
  readonly authors: readonly string[];
  /** The item's HTML content (RSS content:encoded, Atom content, JSON Feed content_html), when it has one. */
  readonly contentHtml?: string | undefined;
}

/** A retraction notice as read back: Atom `at:deleted-entry`, an RSS item with `dcterms:valid`, a JSON Feed item with `_wirefeed.retracted`. */
export interface ParsedRetraction {
  readonly position: number;
  /** The retracted article's id (Atom `ref`, RSS guid, JSON Feed id). */
  readonly id: string | undefined;
  /** The retraction time, epoch ms; undefined when absent or unparseable (that is reported separately). */
  readonly when: number | undefined;
}

export interface ParsedFeed {
  readonly format: FeedFormat;
  /** The feed's link to itself (RSS atom:link, Atom link, JSON Feed feed_url). */
  readonly selfUrl: string | undefined;
  /** The feed's language as read (RSS language, Atom xml:lang on the root, JSON Feed language). */
  readonly language?: string | undefined;
  /** Every item except the retraction notices. */
  readonly items: readonly ParsedItem[];
  readonly retractions: readonly ParsedRetraction[];
}
