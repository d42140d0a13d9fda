import type { RevisionLedger, RevisionRecord } from '../articles/revision-ledger.ts';
import type { ChangeEntry, ChangeRecord, JournaledState } from '../domain/change-entry.ts';

/*
 * Wirefeed's durable state, all of it: the change journal and the revision times. The rebuild job
 * receives both through the interfaces below. Every method is async so that a shared database
 * (PostgreSQL, for several instances) can implement them; the embedded defaults are append-only
 * files (state/change-journal-file.ts, state/revision-ledger-file.ts).
 */

/** The append-only journal of every change the public could see. */
export interface ChangeJournal {
  /**
   * Appends the changes of one publication, all or none, numbered from head() + 1 in the given
   * order; resolves once they are durable (fsync'd, committed), and only then can read() return
   * them. Rejects when they could not be made durable: then none of them is kept.
   */
  append(records: readonly ChangeRecord[]): Promise<readonly ChangeEntry[]>;
  /** At most `limit` entries with seq > `after`, in seq order; only those listed under `category` when one is given. */
  read(query: JournalQuery): Promise<readonly ChangeEntry[]>;
  /** How many entries there are, or how many are listed under `category`: archive pages are counted in them. */
  count(category?: string): Promise<number>;
  /** The highest seq appended, 0 for an empty journal. */
  head(): Promise<number>;
  /** The highest seq recorded before `at` (epoch ms), 0 when none is: the cursor a replay window starting at `at` begins after. */
  cursorBefore(at: number): Promise<number>;
  /** For each article id, what its newest entry says. */
  lastStates(): Promise<ReadonlyMap<string, JournaledState>>;
  /** Problems found opening it (a damaged line skipped, a torn append removed): each names the file and the fix. */
  readonly problems: readonly string[];
  close(): Promise<void>;
}

export interface JournalQuery {
  readonly after: number;
  readonly limit: number;
  readonly category?: string;
  /** Entries after `after` (in the category, when one is given) passed over before the first returned: an archive page starts at its position. */
  readonly skip?: number;
}

/** What the journal keeps about an article id from one of its entries. */
export function journaledState(entry: Pick<ChangeEntry, 'seq' | 'change' | 'article'>): JournaledState {
  return {
    seq: entry.seq,
    change: entry.change,
    updated: entry.article.updated,
    categories: entry.article.categories.map((category) => category.slug),
    sourcePath: entry.article.sourcePath,
    ...(entry.article.correction === undefined ? {} : { correction: entry.article.correction }),
  };
}

/**
 * The revision times (see articles/revision-ledger.ts): for each article id, the wording last seen
 * and since when, so that a restarted service keeps the `updated` times it already announced.
 */
export interface RevisionTimes {
  /** Every id's latest record; empty when nothing was kept (edits from now on are still stamped). */
  load(): Promise<RevisionLedger>;
  /** Keeps records new or changed since the last call; resolves once they are written. */
  append(records: ReadonlyMap<string, RevisionRecord>): Promise<void>;
}
