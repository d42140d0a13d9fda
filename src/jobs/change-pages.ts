import { LRUCache } from 'lru-cache';
import type { Clock } from '../domain/clock.ts';
import type { ChangeStreamFormat, FeedScope } from '../domain/documents.ts';
import { changeStreamPath, FEED_MEDIA_TYPES } from '../domain/documents.ts';
import { formatProblem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import { changeStreamUrl } from '../domain/site-urls.ts';
import { buildChangePage, changePageUpdated } from '../feeds/build-change-stream.ts';
import { publishDocumentAsync } from '../publication/publish-document.ts';
import type { PublishedDocument } from '../publication/snapshot.ts';
import type { ChangeJournal } from '../state/durable-state.ts';
import { validateFeedText } from '../validation/validate-feed-text.ts';

/** Entries per page: partners that fall behind catch up a hundred at a time. */
export const CHANGE_PAGE_SIZE = 100;
/** Requests held open by `wait` at once; more are answered at once with what there is, so a crowd cannot pin the process. */
export const MAX_WAITERS = 1000;
/** Rendered pages kept, by bytes (each kept with its two compressed copies). */
const CACHE_BYTES = 64 * 1024 * 1024;
const DAY_MS = 86_400_000;

export interface ChangePageRequest {
  readonly scope: FeedScope;
  readonly format: ChangeStreamFormat;
  /** The cursor; undefined: from the start of the replay window. */
  readonly after: number | undefined;
}

export type ChangePageAnswer =
  | { readonly kind: 'page'; readonly document: PublishedDocument; readonly count: number; readonly head: number }
  /** A cursor the journal cannot answer: 400 (unknown, future) or 410 (older than the replay window). */
  | { readonly kind: 'refused'; readonly status: 400 | 410; readonly message: string }
  /** The page failed the feeds' validation: a defect, never served. */
  | { readonly kind: 'invalid'; readonly message: string };

export interface ChangePages {
  page(request: ChangePageRequest): Promise<ChangePageAnswer>;
  /**
   * Resolves true once the journal's head passes `head`, false after `timeoutMs`, when `signal`
   * aborts, when MAX_WAITERS are already waiting, or at close().
   */
  waitForChange(head: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Told of each append: wakes the waiters. */
  notify(head: number): void;
  /** Releases every waiter and refuses new waits: for shutdown. */
  close(): void;
}

export interface ChangePagesOptions {
  readonly site: Site;
  readonly journal: ChangeJournal;
  readonly clock: Clock;
  /** CHANGES_REPLAY_DAYS; undefined keeps every entry replayable. */
  readonly replayDays?: number | undefined;
}

interface CachedPage {
  readonly head: number;
  readonly answer: Extract<ChangePageAnswer, { kind: 'page' }>;
}

function scopeKey(scope: FeedScope): string {
  return scope.kind === 'site' ? '' : scope.slug;
}

/**
 * Renders change-stream pages from the journal, validated like every feed and cached by (scope,
 * format, cursor): a full page never changes, a shorter one until the journal's head moves, so
 * partners polling an unchanged stream cost a map lookup and a 304.
 */
export function createChangePages(options: ChangePagesOptions): ChangePages {
  const { site, journal, clock } = options;
  const cache = new LRUCache<string, CachedPage>({
    maxSize: CACHE_BYTES,
    sizeCalculation: (page) => page.answer.document.body.length + page.answer.document.gzip.length + page.answer.document.brotli.length + 200,
  });
  const waiters = new Set<(woken: boolean) => void>();
  let knownHead = 0;
  let closed = false;

  async function render(request: ChangePageRequest, after: number, head: number): Promise<ChangePageAnswer> {
    const { scope, format } = request;
    const entries = await journal.read({ after, limit: CHANGE_PAGE_SIZE, ...(scope.kind === 'category' ? { category: scope.slug } : {}) });
    const last = entries[entries.length - 1]?.seq ?? after;
    const categoryName = scope.kind === 'category' ? site.categories.find((category) => category.slug === scope.slug)?.name : undefined;
    const text = buildChangePage({
      site,
      scope,
      format,
      entries,
      // The URL the page was asked for, so the self link is where a reader fetched it from.
      selfUrl: changeStreamUrl(site, scope, format, request.after),
      nextUrl: changeStreamUrl(site, scope, format, last),
      ...(categoryName === undefined ? {} : { categoryName }),
    });
    const updated = changePageUpdated(entries);
    const path = changeStreamPath(scope, format);
    const problems = validateFeedText(text, { now: Math.max(clock(), updated), format, subject: `${path}?after=${after}` });
    if (problems.length > 0) return { kind: 'invalid', message: problems.map(formatProblem).join('\n') };
    const document = await publishDocumentAsync(path, FEED_MEDIA_TYPES[format], text, updated);
    return { kind: 'page', document, count: entries.length, head };
  }

  function release(woken: boolean): void {
    for (const wake of [...waiters]) wake(woken);
  }

  return {
    async page(request) {
      const head = await journal.head();
      knownHead = Math.max(knownHead, head);
      const windowStart = options.replayDays === undefined ? 0 : await journal.cursorBefore(clock() - options.replayDays * DAY_MS);
      const after = request.after ?? windowStart;
      if (after > head) {
        return { kind: 'refused', status: 400, message: `after=${after} is not a sequence number this journal has given out yet (the newest is ${head}): use a seq or next_url from a page you were served, or leave after out to start from the oldest change kept.\n` };
      }
      if (after < windowStart) {
        return { kind: 'refused', status: 410, message: `after=${after} is older than the replay window of ${options.replayDays ?? 0} days: the changes after it are no longer replayed; the oldest cursor served is ${windowStart}. Reload the feeds and start again from next_url of ?after=${windowStart}.\n` };
      }
      // The self link differs between "no cursor" and "?after=<window start>", so do their bytes.
      const key = `${scopeKey(request.scope)}\0${request.format}\0${request.after === undefined ? '' : after}`;
      const cached = cache.get(key);
      if (cached && (cached.head === head || cached.answer.count === CHANGE_PAGE_SIZE)) return cached.answer;
      const answer = await render(request, after, head);
      if (answer.kind === 'page') cache.set(key, { head, answer });
      return answer;
    },
    waitForChange(head, timeoutMs, signal) {
      if (knownHead > head) return Promise.resolve(true);
      if (closed || waiters.size >= MAX_WAITERS || signal?.aborted) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const finish = (woken: boolean): void => {
          clearTimeout(timer);
          waiters.delete(finish);
          signal?.removeEventListener('abort', abort);
          resolve(woken);
        };
        const abort = (): void => finish(false);
        const timer = setTimeout(() => finish(false), timeoutMs);
        waiters.add(finish);
        signal?.addEventListener('abort', abort, { once: true });
      });
    },
    notify(head) {
      if (head <= knownHead) return;
      knownHead = head;
      release(true);
    },
    close() {
      closed = true;
      release(false);
    },
  };
}
