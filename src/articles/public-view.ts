import { createHash } from 'node:crypto';
import type { ArticlePatch, ArticleSet } from './assemble-article-set.ts';
import { findBySlug } from './assemble-article-set.ts';
import type { RevisionLedger, RevisionRecord } from './revision-ledger.ts';
import { revisionDate, wordingHash } from './revision-ledger.ts';
import type { Article } from '../domain/article.ts';
import { compareNewestFirst, isPublicAt, isRetractedAt } from '../domain/article.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import type { FeedScope } from '../domain/documents.ts';
import type { Problem } from '../domain/problem.ts';
import { sameLanguage } from '../domain/language.ts';

/** The article set as readers see it at one moment: only public articles, with the dates they are shown with. */
export interface PublicView {
  readonly now: number;
  /**
   * The latest moment the clock has shown to this keeper (`now`, unless the clock stepped back):
   * dates up to it have already been shown, so feeds may carry them and validation accepts them.
   */
  readonly datesUpTo: number;
  /** For each scope, its newest `limit` public articles in feed order (compareNewestFirst), dated as shown. */
  select(scopes: readonly FeedScope[], limit: number): Article[][];
  /** The public article with this slug, dated as shown. */
  find(slug: string): Article | undefined;
  readonly publicCount: number;
  /** Next moment the view changes by the clock alone: an embargo lifting, a held-back update coming due or a retraction. */
  readonly nextMomentAt: number | undefined;
  /** One per public article whose `updated` is still in the future (it is shown as published until then). */
  readonly heldBack: readonly Problem[];
  /** An article of the set as readers see it now (dated as shown), or undefined when it is not public. */
  version(article: Article): Article | undefined;
}

export interface PublicViewUpdate {
  readonly view: PublicView;
  /** Revision records new or changed in this call, when there are any: the caller keeps them. */
  readonly recorded?: RevisionLedger;
  /**
   * Articles of the set whose public version may differ from the previous call's: those the patch
   * added and those whose moment came; every article after a full pass (then `full` is true).
   * Articles the patch removed are the caller's to look at.
   */
  readonly touched: readonly Article[];
  readonly full: boolean;
}

export interface PublicViewKeeper {
  /**
   * The view of `set` at `now`. With the patch that produced `set` from the set of the previous
   * call, the work is proportional to the patch and to the articles whose moment came, not to
   * the store; without one, every article is looked at.
   */
  advance(set: ArticleSet, patch: ArticlePatch | undefined, now: number): PublicViewUpdate;
}

/**
 * How long an article made public is remembered as such, in case the clock steps back over its
 * publication time. An NTP correction is seconds to hours; a bigger step is a wrong clock.
 */
const REMEMBER_PUBLIC_MS = 48 * 3_600_000;

/**
 * Keeps the public view between builds: which articles wait for a moment (embargoed, or with an
 * `updated` in the future), how many are drafts, and the revision ledger (see
 * articles/revision-ledger.ts). Public articles are recorded in the ledger when they are first seen public.
 */
export interface PublicViewOptions {
  /**
   * The site's language: the site feed then selects only articles in it (README "Languages and
   * direction"); the others are in the feeds of their categories. Without it, every article.
   */
  readonly siteLanguage?: string;
}

export function createPublicViewKeeper(initialLedger: RevisionLedger = new Map(), options: PublicViewOptions = {}): PublicViewKeeper {
  const { siteLanguage } = options;
  /** Partners take one language per feed (MSN, Apple, Flipboard): the site feed keeps to the site's. */
  const inSiteFeed = (article: Article): boolean => siteLanguage === undefined || article.language === undefined || sameLanguage(article.language, siteLanguage);
  const ledger = new Map<string, RevisionRecord>(initialLedger);
  /** Articles of the current set waiting for a moment, with that moment. */
  const waiting = new Map<Article, number>();
  let draftCount = 0;
  /** Articles of the current set (not drafts) whose retraction moment had come when last looked at. */
  const retracted = new Set<Article>();
  let known = false;
  /** The dated article shown for an article object, with the revision time it was dated from. */
  const shown = new WeakMap<Article, { readonly since: number; readonly article: Article }>();
  /** The latest `now` seen: a clock that steps back does not take back what was shown. */
  let datesUpTo = Number.NEGATIVE_INFINITY;
  /**
   * Id -> publication time of the articles made public within REMEMBER_PUBLIC_MS of `datesUpTo`:
   * they stay public when the clock steps back over that time (a reader has seen them). The time
   * is part of the key, so that an editor moving `published` into the future still embargoes it.
   */
  const madePublic = new Map<string, number>();

  function isShown(article: Article, now: number): boolean {
    if (isRetractedAt(article, now)) return false;
    return isPublicAt(article, now) || (!article.draft && madePublic.get(article.id) === article.published);
  }

  function remember(article: Article): void {
    if (article.published > datesUpTo - REMEMBER_PUBLIC_MS) madePublic.set(article.id, article.published);
  }

  /**
   * When an article that is not a draft next changes by the clock: its embargo lifting, its
   * `updated` coming due, or its retraction (armed like an embargo: the article leaves at that moment).
   */
  function momentOf(article: Article, now: number): number | undefined {
    if (article.draft || isRetractedAt(article, now)) return undefined;
    const retraction = article.retracted;
    if (!isShown(article, now)) return retraction === undefined ? article.published : Math.min(article.published, retraction);
    const update = article.updated > datesUpTo ? article.updated : undefined;
    if (retraction === undefined) return update;
    return update === undefined ? retraction : Math.min(update, retraction);
  }

  /** Records the wording of a public article in the ledger and in `recorded` when it is new. */
  function record(article: Article, now: number, recorded: Map<string, RevisionRecord>): void {
    const hash = wordingHash(article);
    const entry = ledger.get(article.id);
    if (entry?.hash === hash) return;
    // No hash: a record carried over from the older ledger file, whose hashes were taken differently.
    const since = entry === undefined ? article.updated : entry.hash === '' ? entry.since : Math.max(now, article.updated);
    const next = { hash, since };
    ledger.set(article.id, next);
    recorded.set(article.id, next);
  }

  function dated(article: Article, heldBack?: Problem[]): Article {
    const since = ledger.get(article.id)?.since ?? article.updated;
    // Checked against the ledger each time: another file with the same id can move `since` while
    // this article object stays in the store.
    const cached = shown.get(article);
    if (cached?.since === since) return cached.article;
    const stamped = since > article.updated ? revisionDate(article, since) : article;
    if (stamped.updated <= datesUpTo) {
      shown.set(article, { since, article: stamped });
      return stamped;
    }
    // A future `updated` would put a future date into every feed showing the article, and
    // validation would hold all of those back, new stories included: show it as published until then.
    heldBack?.push({
      subject: article.sourcePath,
      field: 'updated',
      message: `updated ${new Date(stamped.updated).toISOString()} is in the future: the article is shown with its published time until then; correct the date if it is a mistake`,
    });
    const contentHash = createHash('sha256').update(stamped.contentHash).update('updated-held-back').digest('base64url');
    return Object.freeze({ ...stamped, updated: stamped.published, contentHash });
  }

  function wait(article: Article, now: number): void {
    if (!article.draft && isRetractedAt(article, now)) retracted.add(article);
    else retracted.delete(article);
    const moment = momentOf(article, now);
    if (moment === undefined) waiting.delete(article);
    else waiting.set(article, moment);
  }

  function advance(set: ArticleSet, patch: ArticlePatch | undefined, now: number): PublicViewUpdate {
    const recorded = new Map<string, RevisionRecord>();
    if (now > datesUpTo) {
      datesUpTo = now;
      for (const [id, published] of madePublic) if (published <= datesUpTo - REMEMBER_PUBLIC_MS) madePublic.delete(id);
    }
    const publish = (article: Article): void => {
      remember(article);
      record(article, now, recorded);
    };
    const touched: Article[] = [];
    const full = patch === undefined || !known;
    const see = (article: Article): void => {
      touched.push(article);
      if (article.draft) draftCount += 1;
      else if (isShown(article, now)) publish(article);
      wait(article, now);
    };
    if (full) {
      waiting.clear();
      retracted.clear();
      draftCount = 0;
      for (const article of set.articles) see(article);
      known = true;
    } else {
      for (const article of patch.removed) {
        waiting.delete(article);
        retracted.delete(article);
        if (article.draft) draftCount -= 1;
      }
      for (const article of patch.added) see(article);
      for (const [article, moment] of waiting) {
        if (moment > now) continue;
        touched.push(article);
        if (isShown(article, now)) publish(article);
        wait(article, now);
      }
    }

    let nextMomentAt: number | undefined;
    let embargoed = 0;
    const heldBack: Problem[] = [];
    for (const [article, moment] of waiting) {
      if (nextMomentAt === undefined || moment < nextMomentAt) nextMomentAt = moment;
      if (!isShown(article, now)) embargoed += 1;
      else dated(article, heldBack);
    }
    heldBack.sort((a, b) => compareCodeUnits(a.subject, b.subject));

    const view: PublicView = Object.freeze({
      now,
      datesUpTo,
      publicCount: set.articles.length - draftCount - embargoed - retracted.size,
      nextMomentAt,
      heldBack: Object.freeze(heldBack),
      select(scopes: readonly FeedScope[], limit: number): Article[][] {
        const max = Math.floor(limit);
        return scopes.map((scope) => {
          if (max <= 0) return [];
          const candidates = scope.kind === 'site' ? set.articles : (set.byCategory.get(scope.slug) ?? []);
          // The lists are newest-published first, so the walk stops after the limit, once the
          // publication time changes: equal times are then ordered by their shown `updated`.
          const chosen: Article[] = [];
          const site = scope.kind === 'site';
          for (const article of candidates) {
            if (!isShown(article, now) || (site && !inSiteFeed(article))) continue;
            if (chosen.length >= max && article.published !== chosen[chosen.length - 1]?.published) break;
            chosen.push(dated(article));
          }
          return chosen.sort(compareNewestFirst).slice(0, max);
        });
      },
      find(slug: string): Article | undefined {
        const article = findBySlug(set, slug);
        return article !== undefined && isShown(article, now) ? dated(article) : undefined;
      },
      version: (article: Article): Article | undefined => (isShown(article, now) ? dated(article) : undefined),
    });
    return { view, touched, full, ...(recorded.size > 0 ? { recorded } : {}) };
  }

  return { advance };
}
