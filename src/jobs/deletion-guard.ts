import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ArticleIndex, ArticleSet, AssembledSet } from '../articles/article-index.ts';
import { hashArticle } from '../articles/hash-article.ts';
import type { Article } from '../domain/article.ts';
import { freezeArticle } from '../domain/article.ts';
import { ArticleBody } from '../domain/article-body.ts';
import type { ArticleVersion, JournaledState } from '../domain/change-entry.ts';
import { isPublicState } from '../domain/change-entry.ts';
import type { Clock } from '../domain/clock.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import type { StoreChange } from '../domain/store-change.ts';
import type { Logger } from '../logger.ts';
import { isGoneError } from '../store/classify-fs-error.ts';

/*
 * A vanished store is a fault, not a mass takedown. When one build would retract more than a
 * share of the public articles because their files are gone (an unmounted volume, an rsync gone
 * wrong, a checkout of an old branch), those deletions are held: the articles stay in the set the
 * builder sees, as they were last published, so nothing is journaled as retracted and the feeds
 * do not change. The hold clears when the files come back, or when an operator confirms it by
 * writing its fingerprint into STATE_DIR/wirefeed-confirm-deletions; then the deletions go
 * ahead as ordinary retractions.
 */

/** MASS_DELETION_THRESHOLD's default: a build that would retract more than a tenth of the public articles is held. */
export const DEFAULT_MASS_DELETION_THRESHOLD = 0.1;
/**
 * Fewer vanished files than this in one build are an editor's deletions whatever the store's size:
 * on a site of five articles, deleting one is 20%, and must not need an operator.
 */
export const MASS_DELETION_MIN_ARTICLES = 5;
/** The file in STATE_DIR an operator writes a hold's fingerprint into to confirm its deletions. */
export const CONFIRM_FILE_NAME = 'wirefeed-confirm-deletions';
/** The grace period the service gives deletions (see DeletionGuardOptions.graceMs). */
export const SERVICE_DELETION_GRACE_MS = 5000;
/** A grace period ends at the latest this many times its length after the first vanishing: a steady trickle is judged too. */
const GRACE_LIMIT = 6;
/** Paths /healthz names as examples of a hold. */
const EXAMPLES = 5;
/** Existence checks in flight at once. */
const CHECKS_AT_ONCE = 64;

/** A hold as /healthz shows it. */
export interface DeletionHold {
  /** Public articles whose files are gone and whose retraction waits. */
  readonly count: number;
  /** When this process found the hold (ISO 8601). */
  readonly since: string;
  /** Names this exact set of held articles: a confirmation must repeat it. */
  readonly fingerprint: string;
  /** A few of the missing files, store-relative. */
  readonly examples: readonly string[];
  readonly reason: string;
  /** How an operator lets the deletions go ahead. */
  readonly confirm: string;
  /** The confirmation file: the service looks for it while the hold lasts. */
  readonly confirmFile: string;
  /** Set when a confirmation file was found that names another hold. */
  readonly confirmationProblem?: string;
}

export interface DeletionGuardOptions {
  /** The index the builder would read without the guard. */
  readonly index: ArticleIndex;
  readonly contentDir: string;
  /** Where the confirmation file is looked for. */
  readonly stateDir: string;
  /** A share of the public articles, from 0 to 1 (1: never hold). */
  readonly threshold: number;
  /** What the journal last said about each article id, kept in step with every append by the caller. */
  readonly known: ReadonlyMap<string, JournaledState>;
  /** The version a journal entry holds: a held article after a restart is shown as last published. */
  readonly versionOf: (seq: number) => Promise<ArticleVersion | undefined>;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * How long vanished articles wait, kept as they were, before a deletion that is not (yet) a mass
   * deletion is let through: a watcher reports an rsync or a checkout in many small batches, and
   * each alone stays under the threshold. The period ends when nothing more vanished for this long,
   * and at the latest GRACE_LIMIT times as long after the first. 0 (the default): each build
   * decides alone, as a one-shot build must.
   */
  readonly graceMs?: number;
}

export interface DeletionGuard {
  /** The index to build from: the wrapped index's sets, with the held articles kept in. */
  readonly index: ArticleIndex;
  /** The hold in force, or undefined when none is. */
  hold(): DeletionHold | undefined;
  /**
   * The next refresh compares every article the journal lists as public, not only what the
   * index's patch removed: call it when a build failed, since the retractions that build found
   * may never have been journaled (the next build compares everything again too).
   */
  compareAllNext(): void;
  /** When deletions waiting out the grace period are to be judged: a build then (a clock-only one will do) lets them through or holds them. */
  decisionDueAt(): number | undefined;
}

interface HeldArticle {
  readonly article: Article;
  /** As the journal names it: the path the retraction would check. */
  readonly sourcePath: string;
}


/** Whether a store file is gone: a folder that cannot be read is not a deletion. */
export async function isStoreFileGone(contentDir: string, sourcePath: string): Promise<boolean> {
  try {
    await fs.access(path.join(contentDir, sourcePath));
    return false;
  } catch (error) {
    return isGoneError(error);
  }
}

/** The article a journal entry kept, as the builder reads articles. */
function articleFromVersion(version: ArticleVersion): Article {
  const { contentHtml, ...fields } = version;
  const unhashed = { ...fields, body: ArticleBody.fromHtml(contentHtml), draft: false };
  return freezeArticle({ ...unhashed, contentHash: hashArticle(unhashed) });
}

/** The set's order (see assemble-article-set.ts): newest `published` first, ties by id. */
function compareSetOrder(a: Article, b: Article): number {
  return b.published - a.published || compareCodeUnits(a.id, b.id);
}

function compareSlugOrder(a: Article, b: Article): number {
  return compareCodeUnits(a.slug, b.slug);
}

/** Two lists sorted by `compare`, merged: linear, as the store's lists are long and the held ones short. */
function mergeSorted(sorted: readonly Article[], extra: readonly Article[], compare: (a: Article, b: Article) => number): readonly Article[] {
  if (extra.length === 0) return sorted;
  const others = [...extra].sort(compare);
  const merged: Article[] = [];
  let next = 0;
  for (const article of sorted) {
    while (next < others.length && compare(others[next] as Article, article) < 0) merged.push(others[next++] as Article);
    merged.push(article);
  }
  while (next < others.length) merged.push(others[next++] as Article);
  return Object.freeze(merged);
}

/** `set` with `held` added to every list it belongs in. */
function withHeld(set: ArticleSet, held: readonly Article[]): ArticleSet {
  if (held.length === 0) return set;
  const byCategory = new Map(set.byCategory);
  const slugs = new Set(held.flatMap((article) => article.categories.map((category) => category.slug)));
  for (const slug of slugs) {
    const inCategory = held.filter((article) => article.categories.some((category) => category.slug === slug));
    byCategory.set(slug, mergeSorted(set.byCategory.get(slug) ?? [], inCategory, compareSetOrder));
  }
  return Object.freeze({
    articles: mergeSorted(set.articles, held, compareSetOrder),
    byCategory,
    bySlug: mergeSorted(set.bySlug, held, compareSlugOrder),
    problems: set.problems,
    warnings: set.warnings,
  });
}

/** Whether each path is gone, a bounded number of checks at a time. */
async function goneFiles(contentDir: string, sourcePaths: readonly string[]): Promise<boolean[]> {
  const gone: boolean[] = [];
  for (let start = 0; start < sourcePaths.length; start += CHECKS_AT_ONCE) {
    gone.push(...(await Promise.all(sourcePaths.slice(start, start + CHECKS_AT_ONCE).map((sourcePath) => isStoreFileGone(contentDir, sourcePath)))));
  }
  return gone;
}

function fingerprintOf(ids: Iterable<string>): string {
  const sorted = [...ids].sort(compareCodeUnits);
  return `${sorted.length}-${createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 16)}`;
}

export function createDeletionGuard(options: DeletionGuardOptions): DeletionGuard {
  const { contentDir, known, clock, logger } = options;
  const graceMs = options.graceMs ?? 0;
  const confirmPath = path.join(options.stateDir, CONFIRM_FILE_NAME);
  const held = new Map<string, HeldArticle>();
  /** Vanished within the grace period and not yet judged: kept in the set like the held ones. */
  const pending = new Map<string, HeldArticle>();
  let pendingSince: number | undefined;
  let lastVanishedAt: number | undefined;
  let since: number | undefined;
  let confirmationProblem: string | undefined;
  /** Ids whose deletion an operator confirmed: not held again until the journal records them retracted. */
  const confirmed = new Set<string>();
  /** The set the builder last saw, held articles included. */
  let previous: ArticleSet | undefined;
  let compareAll = true;
  let firstRefresh = true;

  const publicCount = (): number => {
    let count = 0;
    for (const state of known.values()) if (isPublicState(state)) count += 1;
    return count;
  };
  const isMass = (vanished: number): boolean => vanished >= MASS_DELETION_MIN_ARTICLES && vanished > options.threshold * publicCount();
  const dueAt = (): number | undefined =>
    pendingSince === undefined || lastVanishedAt === undefined ? undefined : Math.min(lastVanishedAt + graceMs, pendingSince + GRACE_LIMIT * graceMs);

  async function readConfirmation(): Promise<string | undefined> {
    try {
      return (await fs.readFile(confirmPath, 'utf8')).trim();
    } catch (error) {
      if (isGoneError(error)) return undefined;
      logger.warn({ err: error }, `cannot read ${confirmPath}: held deletions stay held`);
      return undefined;
    }
  }

  /** A confirmation left over from a hold that is over must not confirm a later one. */
  async function discardConfirmation(): Promise<void> {
    await fs.rm(confirmPath, { force: true }).catch((error: unknown) => logger.warn({ err: error }, `cannot remove ${confirmPath}`));
  }

  /** Articles the journal lists as public that the index no longer has, whose files are gone; `returning` lists ids the index has. */
  async function findVanished(result: AssembledSet, full: boolean): Promise<{ vanished: Map<string, HeldArticle>; returning: (id: string) => boolean }> {
    const candidates: { id: string; state: JournaledState; article?: Article }[] = [];
    let returning: (id: string) => boolean;
    const consider = (id: string, article?: Article): void => {
      const state = known.get(id);
      if (!isPublicState(state) || held.has(id) || pending.has(id) || confirmed.has(id)) return;
      candidates.push({ id, state, ...(article ? { article } : {}) });
    };
    if (full || result.patch === undefined) {
      const ids = new Set(result.set.articles.map((article) => article.id));
      returning = (id) => ids.has(id);
      for (const id of known.keys()) if (!ids.has(id)) consider(id);
    } else {
      const added = new Set(result.patch.added.map((article) => article.id));
      returning = (id) => added.has(id);
      for (const article of result.patch.removed) if (!added.has(article.id)) consider(article.id, article);
    }
    const gone = await goneFiles(contentDir, candidates.map((candidate) => candidate.state.sourcePath));
    const vanished = new Map<string, HeldArticle>();
    let earlier: Map<string, Article> | undefined;
    for (const [position, candidate] of candidates.entries()) {
      if (gone[position] !== true) continue;
      if (!candidate.article && !earlier) earlier = new Map((previous?.articles ?? []).map((article) => [article.id, article]));
      const version = candidate.article ?? earlier?.get(candidate.id);
      const article = version ?? (await options.versionOf(candidate.state.seq).then((kept) => (kept ? articleFromVersion(kept) : undefined)));
      // Without the version the retraction would repeat, there is no retraction to hold either.
      if (article !== undefined) vanished.set(candidate.id, { article, sourcePath: candidate.state.sourcePath });
    }
    return { vanished, returning };
  }

  /** Lets go of the articles in `kept` that came back (or a file in their place, parsed or not): no retraction follows. */
  async function dropReturned(kept: Map<string, HeldArticle>, returning: (id: string) => boolean): Promise<Article[]> {
    const entries = [...kept];
    const gone = await goneFiles(contentDir, entries.map(([, entry]) => entry.sourcePath));
    const released: Article[] = [];
    for (const [position, [id, entry]] of entries.entries()) {
      if (!returning(id) && gone[position] === true) continue;
      kept.delete(id);
      released.push(entry.article);
    }
    return released;
  }

  /** The held articles, when the operator's confirmation names this hold; then they are retracted. */
  async function takeConfirmed(): Promise<Article[]> {
    const token = await readConfirmation();
    if (token === undefined) return [];
    const fingerprint = fingerprintOf(held.keys());
    if (token !== fingerprint) {
      confirmationProblem = `${confirmPath} names the hold ${JSON.stringify(token)}, but the hold now is ${fingerprint} (${held.size} deletions): check the examples and confirm again`;
      return [];
    }
    logger.warn({ confirmed: held.size, fingerprint }, 'held deletions confirmed by the operator: they are retracted now');
    const released = [...held.values()].map((entry) => entry.article);
    for (const id of held.keys()) confirmed.add(id);
    held.clear();
    return released;
  }

  /** Judges the deletions pending: held when they are many, let through (retracted) once the grace period is over. */
  function judgePending(now: number): Article[] {
    if (pending.size === 0) return [];
    const due = dueAt();
    const mass = isMass(pending.size);
    if (!mass && due !== undefined && now < due) return [];
    const judged = [...pending];
    pending.clear();
    pendingSince = undefined;
    lastVanishedAt = undefined;
    if (!mass) return judged.map(([, entry]) => entry.article);
    for (const [id, entry] of judged) held.set(id, entry);
    since ??= now;
    logger.error(
      { held: held.size, examples: judged.slice(0, EXAMPLES).map(([, entry]) => entry.sourcePath) },
      'many public articles vanished at once: their deletions are held, nothing is retracted (see /healthz)',
    );
    return [];
  }

  async function refresh(change?: StoreChange): Promise<AssembledSet> {
    const result = await options.index.refresh(change);
    const now = clock();
    const full = compareAll || result.patch === undefined;
    compareAll = false;
    for (const id of confirmed) if (!isPublicState(known.get(id))) confirmed.delete(id);
    const wasHeld = held.size > 0;
    const { vanished, returning } = await findVanished(result, full);
    const released = [...(await dropReturned(held, returning)), ...(await dropReturned(pending, returning))];
    if (released.length > 0) logger.info({ released: released.length, stillHeld: held.size }, 'vanished articles are back: their deletions are cleared');
    // During a hold, whatever vanishes joins it, whatever the count.
    const joining = held.size > 0 ? held : pending;
    for (const [id, entry] of vanished) joining.set(id, entry);
    if (vanished.size > 0 && joining === pending) {
      lastVanishedAt = now;
      pendingSince ??= now;
    }
    released.push(...judgePending(now));
    if (held.size > 0) released.push(...(await takeConfirmed()));
    if (held.size === 0 && (wasHeld || firstRefresh)) {
      since = undefined;
      confirmationProblem = undefined;
      await discardConfirmation();
    }
    firstRefresh = false;
    if (held.size === 0 && pending.size === 0 && released.length === 0) {
      previous = result.set;
      return result;
    }
    const set = withHeld(result.set, [...held.values(), ...pending.values()].map((entry) => entry.article));
    previous = set;
    if (full || result.patch === undefined) return { set, changes: result.changes };
    // Relative to the set the builder saw last: the vanished never left it, the released did.
    const keptObjects = new Set([...vanished.values()].map((entry) => entry.article));
    const removed = [...result.patch.removed.filter((article) => !keptObjects.has(article)), ...released];
    return { set, changes: result.changes, patch: Object.freeze({ removed, added: result.patch.added }) };
  }

  return {
    index: { refresh },
    hold() {
      if (held.size === 0 || since === undefined) return undefined;
      const fingerprint = fingerprintOf(held.keys());
      const examples = [...held.values()].map((entry) => entry.sourcePath).sort(compareCodeUnits).slice(0, EXAMPLES);
      return {
        count: held.size,
        since: new Date(since).toISOString(),
        fingerprint,
        examples,
        reason:
          `${held.size} public article files vanished (more than ${Math.round(options.threshold * 1000) / 10}% of the public articles in one build, ` +
          `MASS_DELETION_THRESHOLD): they stay published as they were and nothing is retracted until the files come back or the deletions are confirmed`,
        confirm: `if these deletions are meant, run: printf '%s\\n' ${fingerprint} > '${confirmPath}'`,
        confirmFile: confirmPath,
        ...(confirmationProblem === undefined ? {} : { confirmationProblem }),
      };
    },
    compareAllNext() {
      compareAll = true;
    },
    decisionDueAt: dueAt,
  };
}
