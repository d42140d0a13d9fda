import { LRUCache } from 'lru-cache';
import type { Clock } from '../domain/clock.ts';
import type { FeedFormat, FeedScope } from '../domain/documents.ts';
import { ARCHIVE_PAGE_SIZE, FEED_MEDIA_TYPES, newestArchivePage } from '../domain/documents.ts';
import { formatProblem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import { buildArchiveDocument } from '../feeds/build-archive.ts';
import { publishDocumentAsync } from '../publication/publish-document.ts';
import type { PublishedDocument } from '../publication/snapshot.ts';
import type { ChangeJournal } from '../state/durable-state.ts';
import { validateFeedText } from '../validation/validate-feed-text.ts';

export interface ArchivePageRequest {
  readonly scope: FeedScope;
  readonly format: FeedFormat;
  /** 1-based. */
  readonly page: number;
}

export type ArchivePageAnswer =
  /** `complete`: the page has all its entries and never changes again. */
  | { readonly kind: 'page'; readonly document: PublishedDocument; readonly complete: boolean }
  /** No such page yet (or ever: page 0, or a scope without entries). */
  | { readonly kind: 'not-found' }
  /** The page failed the feeds' validation: a defect, never served. */
  | { readonly kind: 'invalid'; readonly message: string };

export interface ArchivePages {
  page(request: ArchivePageRequest): Promise<ArchivePageAnswer>;
}

export interface ArchivePagesOptions {
  readonly site: Site;
  readonly journal: ChangeJournal;
  readonly clock: Clock;
  /** The incomplete page's RSS ttl, as the subscription documents'. */
  readonly ttlMinutes: number;
}

/** Rendered pages kept, by bytes (each with its two compressed copies). */
const CACHE_BYTES = 64 * 1024 * 1024;

interface CachedPage {
  /** The scope's entry count it was rendered at: an incomplete page is good while that holds. */
  readonly count: number;
  readonly answer: Extract<ArchivePageAnswer, { kind: 'page' }>;
}

/**
 * Renders RFC 5005 archive pages (README "Archives") from the change journal, validated like
 * every feed. A complete page is rendered once and kept (its bytes cannot change); the newest,
 * incomplete one until the scope's entry count moves.
 */
export function createArchivePages(options: ArchivePagesOptions): ArchivePages {
  const { site, journal, clock } = options;
  const cache = new LRUCache<string, CachedPage>({
    maxSize: CACHE_BYTES,
    sizeCalculation: (page) => page.answer.document.body.length + page.answer.document.gzip.length + page.answer.document.brotli.length + 200,
  });

  async function render(request: ArchivePageRequest, count: number): Promise<ArchivePageAnswer> {
    const { scope, format, page } = request;
    const category = scope.kind === 'category' ? { category: scope.slug } : {};
    const entries = await journal.read({ after: 0, skip: (page - 1) * ARCHIVE_PAGE_SIZE, limit: ARCHIVE_PAGE_SIZE, ...category });
    const complete = count >= page * ARCHIVE_PAGE_SIZE && entries.length === ARCHIVE_PAGE_SIZE;
    const built = buildArchiveDocument({ site, scope, format, page, entries, complete, ttlMinutes: options.ttlMinutes });
    const problems = validateFeedText(built.body, { now: Math.max(clock(), built.lastModified), format, subject: built.path });
    if (problems.length > 0) return { kind: 'invalid', message: problems.map(formatProblem).join('\n') };
    const document = await publishDocumentAsync(built.path, FEED_MEDIA_TYPES[format], built.body, built.lastModified);
    return { kind: 'page', document, complete };
  }

  return {
    async page(request) {
      const count = await journal.count(request.scope.kind === 'category' ? request.scope.slug : undefined);
      if (!Number.isInteger(request.page) || request.page < 1 || request.page > newestArchivePage(count)) return { kind: 'not-found' };
      const key = `${request.scope.kind === 'site' ? '' : request.scope.slug}\0${request.format}\0${request.page}`;
      const cached = cache.get(key);
      if (cached && (cached.answer.complete || cached.count === count)) return cached.answer;
      const answer = await render(request, count);
      if (answer.kind === 'page') cache.set(key, { count, answer });
      return answer;
    },
  };
}
