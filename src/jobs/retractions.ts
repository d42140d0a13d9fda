import type { ChangeEntry, Retraction, RetractionNotices } from '../domain/change-entry.ts';
import { retractionTime } from '../domain/change-entry.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import type { RetractionSource } from './build-site.ts';

/*
 * The retractions partners have been told of, kept in step with the change journal: an article
 * id's newest entry is `retracted` exactly when it is here. Read back from the journal at start-up,
 * so notices and 410 pages survive restarts and the file being gone.
 */

type Change = Pick<ChangeEntry, 'change' | 'at' | 'article'>;

export interface RetractionRegistry extends RetractionSource {
  /** Takes in appended entries. */
  record(entries: readonly Change[]): void;
  /**
   * The retractions as they will stand once `changes` are journaled, leaving the registry as it
   * is: the build that retracts an article renders its notice and 410 page from this.
   */
  preview(changes: readonly Change[]): RetractionSource;
}

const DAY_MS = 86_400_000;

function newestFirst(a: Retraction, b: Retraction): number {
  return retractionTime(b) - retractionTime(a) || compareCodeUnits(a.version.id, b.version.id);
}

/** Applies `changes` to `byId`; whether anything moved. */
function apply(byId: Map<string, Retraction>, changes: readonly Change[]): boolean {
  let changed = false;
  for (const entry of changes) {
    const { id } = entry.article;
    if (entry.change === 'retracted') byId.set(id, { version: entry.article, announcedAt: entry.at });
    else if (!byId.delete(id)) continue;
    changed = true;
  }
  return changed;
}

/** Notices stay in the subscription feeds for `windowMs` after the retraction was journaled. */
function sourceOf(byId: ReadonlyMap<string, Retraction>, windowMs: number): RetractionSource {
  let slugs: ReadonlyMap<string, Retraction> | undefined;
  return {
    noticesAt(now: number): RetractionNotices {
      const notices: Retraction[] = [];
      let expiresAt: number | undefined;
      for (const retraction of byId.values()) {
        const ends = retraction.announcedAt + windowMs;
        if (ends <= now || retraction.announcedAt > now) continue;
        notices.push(retraction);
        expiresAt = expiresAt === undefined ? ends : Math.min(expiresAt, ends);
      }
      return { notices: notices.sort(newestFirst), expiresAt };
    },
    bySlug() {
      // Made once per source: every snapshot of unchanged retractions shares it.
      slugs ??= new Map([...byId.values()].sort(newestFirst).reverse().map((retraction) => [retraction.version.slug, retraction]));
      return slugs;
    },
  };
}

export function createRetractionRegistry(noticeDays: number): RetractionRegistry {
  const windowMs = noticeDays * DAY_MS;
  const byId = new Map<string, Retraction>();
  let current = sourceOf(new Map(byId), windowMs);

  return {
    record(entries) {
      if (apply(byId, entries)) current = sourceOf(new Map(byId), windowMs);
    },
    preview(changes) {
      // Most builds retract nothing and touch no retracted id: no copy then.
      if (!changes.some((entry) => entry.change === 'retracted' || byId.has(entry.article.id))) return current;
      const next = new Map(byId);
      apply(next, changes);
      return sourceOf(next, windowMs);
    },
    noticesAt: (now) => current.noticesAt(now),
    bySlug: () => current.bySlug(),
  };
}
