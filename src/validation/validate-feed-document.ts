import type { Problem } from '../domain/problem.ts';
import type { FeedDocument } from '../feeds/feed-document.ts';
import { compareRoundTrip } from './compare-round-trip.ts';
import { checkFeedText } from './validate-feed-text.ts';

/**
 * Everything a document must pass before it is published: strict well-formedness, the
 * format's rules, and the round trip against the articles that went in. An empty list
 * means publish; anything else keeps the previous good version.
 */
export function validateFeedDocument(doc: FeedDocument, context: { readonly now: number }): Problem[] {
  const check = checkFeedText(doc.body, { now: context.now, format: doc.format, subject: doc.path });
  if (check.parsed === undefined) return [...check.problems];
  return [...check.problems, ...compareRoundTrip(doc, check.parsed)];
}
