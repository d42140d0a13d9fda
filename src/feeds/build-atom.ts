/**
 * Atom 1.0 (RFC 4287), serialised by the `feed` package (6.0.0): `new Feed(...).atom1()`.
 * Its defects are worked around on its input (prepare-feed-library-input.ts, one numbered
 * paragraph each); the three things its input cannot express at all are written into its
 * output afterwards, each at a checked position (finish-feed-library-output.ts).
 *
 * What `feed` writes differs from a hand-made Atom document in ways RFC 4287 allows:
 * titles and summaries are `type="html"` CDATA (readers decode them as HTML), the entry link
 * has no `rel` (which means rel="alternate"), links carry no `type`, and the feed title has no
 * `type` (which means text).
 */
import { Feed } from 'feed';
import type { FeedDescription } from './describe-feed.ts';
import { finishFeedLibraryAtom } from './finish-feed-library-output.ts';
import type { FeedLibraryItem } from './prepare-feed-library-input.ts';
import type { Tombstone } from './tombstone.ts';
import { feedLibraryOptions } from './prepare-feed-library-input.ts';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

/** `tombstones` are entries gone from the feed, written as RFC 6721 `at:deleted-entry` before the entries. */
export function buildAtom(feed: FeedDescription, items: readonly FeedLibraryItem[], tombstones: readonly Tombstone[] = []): string {
  const library = new Feed(feedLibraryOptions(feed));
  for (const prepared of items) library.addItem(prepared.item);
  return finishFeedLibraryAtom(library.atom1(), feed, items, tombstones);
}
