import type { ChangeEntry, Retraction, RetractionNotices } from '../domain/change-entry.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import type { RetractionSource } from './build-site.ts';

/*
 * The retractions partners have been told of, kept in step with the change journal: an article
 * id's newest entry is `retracted` exactly when it is here. Read back from the journal at start-up,
 * so notices and 410 pages survive restarts and the file being gone.
 */

export interface RetractionRegistry extends RetractionSource {
  /** Takes in appended entries; returns whether the retractions changed (then the feeds must be built again). */
  record(entries: readonly Pick<ChangeEntry, 'change' | 'at' | 'article'>[]): boolean;
}

const DAY_MS = 86_400_000;

function newestFirst(a: Retraction, b: Retraction): number {
  const at = (retraction: Retraction): number => retraction.version.retracted ?? retraction.announcedAt;
  return at(b) - at(a) || compareCodeUnits(a.version.id, b.version.id);
}

/** Notices stay in the subscription feeds for `noticeDays` after the retraction was journaled. */
export function createRetractionRegistry(noticeDays: number): RetractionRegistry {
  const windowMs = noticeDays * DAY_MS;
  const byId = new Map<string, Retraction>();
  let slugs: ReadonlyMap<string, Retraction> | undefined;

  return {
    record(entries) {
      let changed = false;
      for (const entry of entries) {
        const { id } = entry.article;
        if (entry.change === 'retracted') byId.set(id, { version: entry.article, announcedAt: entry.at });
        else if (!byId.delete(id)) continue;
        changed = true;
      }
      if (changed) slugs = undefined;
      return changed;
    },
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
      // Rebuilt only when the retractions change: every snapshot of an unchanged registry shares it.
      slugs ??= new Map([...byId.values()].sort(newestFirst).reverse().map((retraction) => [retraction.version.slug, retraction]));
      return slugs;
    },
  };
}
