import { escapeHtml } from '../domain/correction-html.ts';
import type { Problem } from '../domain/problem.ts';
import type { FeedEntry } from './feed-entry.ts';

/**
 * An item's summary version: its full text replaced by the summary and a link to the article.
 * Sent instead of the full text when that is over the per-article budget (Google News takes
 * 1 MB per article) or when the item alone would not fit the feed's budget; the item keeps its
 * id, title, link and dates, so partners see the same story, only shorter.
 */
export function summaryEntry(entry: FeedEntry): FeedEntry {
  const summary = entry.summary === '' ? '' : `<p>${escapeHtml(entry.summary)}</p>\n`;
  return { ...entry, contentHtml: `${summary}<p><a href="${escapeHtml(entry.link)}">Read the full article</a></p>` };
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The report for an article whose full text is over ARTICLE_BYTE_BUDGET. */
export function oversizedArticleProblem(sourcePath: string, contentBytes: number, budget: number): Problem {
  return {
    subject: sourcePath,
    field: 'ARTICLE_BYTE_BUDGET',
    message: `the full text is ${contentBytes} bytes, over the per-article budget of ${budget} bytes (ARTICLE_BYTE_BUDGET): the feeds send its summary and a link instead; shorten the article or split it, or raise ARTICLE_BYTE_BUDGET (Google News takes at most 1 MB per article)`,
  };
}
