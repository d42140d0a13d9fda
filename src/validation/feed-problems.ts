import type { FeedFormat } from '../domain/documents.ts';
import type { Problem } from '../domain/problem.ts';

const FEED_LEVEL: Readonly<Record<FeedFormat, string>> = { rss: 'rss channel', atom: 'atom feed', json: 'json feed' };
const ITEM_LEVEL: Readonly<Record<FeedFormat, string>> = { rss: 'rss item', atom: 'atom entry', json: 'json feed item' };

/**
 * Collects the problems of one document, each phrased as "<format> <where>: <field> <rule>",
 * e.g. `atom entry tag:news.example.com,2026:x: updated "…" is not an RFC 3339 date`, with the
 * feed path as subject, so that a log line says which feed, which item and which rule.
 */
export class FeedProblems {
  readonly list: Problem[] = [];

  constructor(
    readonly subject: string,
    readonly format: FeedFormat,
  ) {}

  feed(field: string, rule: string): void {
    this.list.push({ subject: this.subject, field, message: `${FEED_LEVEL[this.format]}: ${field} ${rule}` });
  }

  /** `item` is the item's id when it has one, else its position ("#3"). */
  item(item: string, field: string, rule: string): void {
    this.list.push({ subject: this.subject, field, message: `${ITEM_LEVEL[this.format]} ${item}: ${field} ${rule}` });
  }

  /** Problems with the document as a whole: it cannot be read, or is not of the expected kind. */
  document(rule: string, field?: string): void {
    this.list.push({ subject: this.subject, ...(field === undefined ? {} : { field }), message: `${this.format} document ${rule}` });
  }
}

/** How an item is named in messages: its id if it has a non-empty one, else its position. */
export function itemLabel(id: string | undefined, position: number): string {
  return id !== undefined && id.trim() !== '' ? id : `#${position}`;
}
