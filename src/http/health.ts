import type { Logger } from 'pino';
import type { Problem } from '../domain/problem.ts';
import type { Snapshot } from '../publication/snapshot.ts';
import type { ClientBudgetHealth } from './client-budget.ts';

export interface HealthInput {
  readonly snapshot: Snapshot | undefined;
  /** What the app derives once per snapshot; health reads only the declared feeds it lacks. */
  readonly catalogOf: (snapshot: Snapshot) => { readonly missingFeeds: readonly string[] };
  readonly now: number;
  /** Extra fields from the scheduler; they cannot replace the fields derived from the snapshot. */
  readonly status?: () => SchedulerFields;
  readonly logger: Logger;
  /** The request's query ("?page=2"), or "" for the summary. */
  readonly query?: string;
}

/**
 * What the service adds to /healthz beside the snapshot: its schedule, the last build's failure,
 * store folders it cannot watch. The two that decide "ok" are typed; the rest are the composition
 * root's to shape. They come first in the body, so a field of the same name below replaces them.
 */
export interface SchedulerFields {
  /** Why the last build failed; null (or absent) after a build that was published. */
  readonly lastBuildError?: { readonly at: string; readonly message: string } | null;
  /** Store folders the watcher cannot watch: edits there wait for the cron tick. */
  readonly watchProblems?: readonly ReportedProblem[];
  /** Retractions held because many public articles vanished at once; null (or absent) when none are. */
  readonly deletionHold?: { readonly count: number; readonly confirm: string } | null;
  /** The per-client request budgets (RATE_LIMIT); null (or absent) when they are off. */
  readonly clientBudgets?: ClientBudgetHealth | null;
  /** PARTNERS_FILE as read (absent without one): a bad edit keeps the last good partners, and `problems` says why. */
  readonly partnersFile?: { readonly loadedAt: string; readonly partners: number; readonly problems: readonly ReportedProblem[] };
  readonly [field: string]: unknown;
}

/** A problem as /healthz lists it: the Problem without its internals. */
export interface ReportedProblem {
  readonly subject: string;
  readonly field?: string;
  readonly message: string;
}

type ProblemsByKind = Readonly<Record<ProblemKind, readonly ReportedProblem[]>>;

/** Before the first snapshot: nothing to describe but that. */
interface StartingReport {
  readonly status: 'starting';
  readonly reason: string;
  readonly time: string;
}

/** While a snapshot is served: the summary, with the first HEALTH_PAGE_SIZE problems. */
interface ServingReport extends ProblemsByKind {
  readonly status: 'ok' | 'degraded';
  /** Only when degraded. */
  readonly reason?: string;
  readonly time: string;
  readonly lastBuild: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly durationMs: number;
    readonly restoredFromDisk: boolean;
  };
  readonly snapshotAgeSeconds: number;
  readonly articles: { readonly loaded: number; readonly public: number };
  readonly feeds: { readonly count: number; readonly missing: readonly string[] };
  readonly documents: number;
  /** Left out of the JSON when nothing is under embargo. */
  readonly nextEmbargoAt?: string | undefined;
  readonly problems: Readonly<Record<ProblemKind, number>> & {
    readonly total: number;
    readonly listed: number;
    readonly pages?: number;
    readonly all?: string;
  };
}

/** `/healthz?page=N`: every problem, a page at a time. */
interface ProblemPage {
  readonly time: string;
  readonly page: number;
  readonly pageSize: number;
  readonly pages: number;
  readonly total: number;
  readonly problems: readonly ListedProblem[];
}

/**
 * The /healthz bodies, the contract monitoring reads: a field renamed here is a compile error
 * wherever the body is built. The scheduler's fields ride along untyped.
 */
export type HealthReport = (SchedulerFields & (StartingReport | ServingReport)) | ProblemPage | { readonly error: string };

export interface Health {
  readonly httpStatus: 200 | 400 | 503;
  readonly body: HealthReport;
}

/** Problems listed in `/healthz` itself and on each `/healthz?page=N`: a few thousand broken files must not make every poll megabytes. */
export const HEALTH_PAGE_SIZE = 100;

/**
 * Most serious first. The first three make the service "degraded"; `warnings` (problems in
 * articles published all the same, such as a missing or narrow lead image; feed items left out by
 * FEED_BYTE_BUDGET; articles sent as their summary; partner lint findings) are listed and counted
 * but leave it "ok": every feed is served as well as its content allows.
 */
const KINDS = ['failedDocuments', 'outputProblems', 'rejectedArticles', 'warnings'] as const;
type ProblemKind = (typeof KINDS)[number];

interface ListedProblem {
  readonly kind: ProblemKind;
  readonly subject: string;
  readonly field?: string;
  readonly message: string;
}

/** What /healthz derives from one snapshot: computed on its first request, then reused by every poll. */
interface SnapshotHealth {
  readonly missingFeeds: readonly string[];
  readonly counts: Readonly<Record<ProblemKind, number>>;
  readonly total: number;
  readonly pages: number;
  /** The first HEALTH_PAGE_SIZE problems, most serious kind first, grouped back by kind for the summary. */
  readonly firstByKind: Readonly<Record<ProblemKind, readonly Omit<ListedProblem, 'kind'>[]>>;
  page(index: number): readonly ListedProblem[];
}

function iso(epochMs: number): string;
function iso(epochMs: number | undefined): string | undefined;
function iso(epochMs: number | undefined): string | undefined {
  return epochMs === undefined ? undefined : new Date(epochMs).toISOString();
}

function listed(kind: ProblemKind, { subject, field, message }: Problem): ListedProblem {
  return Object.freeze({ kind, subject, ...(field === undefined ? {} : { field }), message });
}

function summarise(snapshot: Snapshot, catalog: { readonly missingFeeds: readonly string[] }): SnapshotHealth {
  const { build } = snapshot;
  // Documents that failed and output that could not be written come first: fewer, and more urgent.
  const all = KINDS.flatMap((kind) => (build[kind] ?? []).map((problem) => listed(kind, problem)));
  const first = all.slice(0, HEALTH_PAGE_SIZE);
  const byKind = (kind: ProblemKind) => first.filter((problem) => problem.kind === kind).map(({ kind: _kind, ...rest }) => rest);
  return Object.freeze({
    missingFeeds: catalog.missingFeeds,
    counts: Object.freeze({ failedDocuments: build.failedDocuments.length, outputProblems: build.outputProblems.length, rejectedArticles: build.rejectedArticles.length, warnings: build.warnings?.length ?? 0 }),
    total: all.length,
    pages: Math.ceil(all.length / HEALTH_PAGE_SIZE),
    firstByKind: Object.freeze({ failedDocuments: byKind('failedDocuments'), outputProblems: byKind('outputProblems'), rejectedArticles: byKind('rejectedArticles'), warnings: byKind('warnings') }),
    page: (index: number) => all.slice((index - 1) * HEALTH_PAGE_SIZE, index * HEALTH_PAGE_SIZE),
  });
}

function extraFields(input: HealthInput): SchedulerFields {
  if (!input.status) return {};
  try {
    return input.status();
  } catch (error) {
    // A scheduler that cannot describe itself must not take the health check down with it.
    input.logger.error({ err: error }, 'health: the status() callback failed');
    return { statusError: 'the scheduler status could not be read' };
  }
}

/** The page a query asks for: 0 for none, undefined when it is not a page number. */
function requestedPage(query: string | undefined): number | undefined {
  if (query === undefined || query === '' || query === '?') return 0;
  const raw = new URLSearchParams(query).get('page');
  if (raw === null) return 0;
  return /^[1-9]\d{0,6}$/.test(raw) ? Number(raw) : undefined;
}

/**
 * Returns the health report for a request. 200 while every feed the site declares is being
 * served, 503 before the first snapshot (the body says so) or while a declared feed has no
 * servable version at all. `status` is "ok" only when nothing is wrong: a rejected article, a
 * document that failed validation (its previous version still serves), an output problem or a
 * failed build make it "degraded", with the reason, while the HTTP status stays 200. Warnings
 * (see KINDS) are listed beside the problems and never make it "degraded".
 *
 * The summary lists the first HEALTH_PAGE_SIZE problems and counts all of them by kind;
 * `/healthz?page=N` lists them all, HEALTH_PAGE_SIZE at a time. What depends on the snapshot
 * alone is derived once per snapshot (the cache belongs to the app that creates the reporter).
 */
export function createHealthReporter(): (input: HealthInput) => Health {
  const known = new WeakMap<Snapshot, SnapshotHealth>();
  return (input) => {
    const { snapshot, now } = input;
    const extra = extraFields(input);
    if (!snapshot) {
      return {
        httpStatus: 503,
        body: {
          ...extra,
          status: 'starting',
          reason: 'No snapshot has been published yet: the first build has not finished, so there is nothing to serve.',
          time: iso(now),
        },
      };
    }
    let health = known.get(snapshot);
    if (!health) {
      health = summarise(snapshot, input.catalogOf(snapshot));
      known.set(snapshot, health);
    }
    const page = requestedPage(input.query);
    if (page === undefined) {
      return { httpStatus: 400, body: { error: `page must be a whole number from 1 to ${Math.max(1, health.pages)}, as in /healthz?page=2` } };
    }
    if (page > 0) {
      return {
        httpStatus: 200,
        body: { time: iso(now), page, pageSize: HEALTH_PAGE_SIZE, pages: health.pages, total: health.total, problems: health.page(page) },
      };
    }
    return { httpStatus: health.missingFeeds.length === 0 ? 200 : 503, body: { ...extra, ...summaryFields(snapshot, health, extra, now) } };
  };
}

function summaryFields(snapshot: Snapshot, health: SnapshotHealth, extra: SchedulerFields, now: number): ServingReport {
  const { build } = snapshot;
  const { missingFeeds, counts, total } = health;
  const buildFailed = extra.lastBuildError !== undefined && extra.lastBuildError !== null;
  const watchProblems = extra.watchProblems?.length ?? 0;
  const held = extra.deletionHold?.count ?? 0;
  const partnerProblems = extra.partnersFile?.problems.length ?? 0;
  const reasons = [
    ...(missingFeeds.length > 0 ? [`${missingFeeds.length} declared feed(s) have never passed validation and are not served.`] : []),
    ...(buildFailed ? ['The last build failed; the feeds of the build before it stay published.'] : []),
    ...(held > 0 ? [`${held} deletion(s) held: that many public articles vanished at once, so none is retracted and they stay published (see deletionHold for how to confirm).`] : []),
    ...(counts.failedDocuments > 0 ? [`${counts.failedDocuments} document(s) failed validation; their previous versions stay published.`] : []),
    ...(counts.outputProblems > 0 ? [`${counts.outputProblems} problem(s) writing the output folder.`] : []),
    ...(counts.rejectedArticles > 0 ? [`${counts.rejectedArticles} article problem(s): those articles are not published as written.`] : []),
    ...(partnerProblems > 0 ? [`The partners file has ${partnerProblems} problem(s); the partners read at ${extra.partnersFile?.loadedAt} stay in force (see partnersFile).`] : []),
    ...(watchProblems > 0 ? [`${watchProblems} store folder(s) cannot be watched: edits there wait for the cron tick (see watchProblems).`] : []),
  ];
  return {
    status: reasons.length === 0 ? 'ok' : 'degraded',
    ...(reasons.length === 0 ? {} : { reason: reasons.join(' ') }),
    time: iso(now),
    lastBuild: {
      startedAt: iso(build.startedAt),
      finishedAt: iso(build.finishedAt),
      durationMs: build.durationMs,
      restoredFromDisk: build.restoredFromDisk === true,
    },
    snapshotAgeSeconds: Math.max(0, now - build.finishedAt) / 1000,
    articles: { loaded: build.articleCount, public: build.publicArticleCount },
    feeds: { count: build.feedCount, missing: missingFeeds },
    documents: snapshot.documents.size,
    nextEmbargoAt: iso(snapshot.nextEmbargoAt),
    problems: {
      total,
      ...counts,
      listed: Math.min(total, HEALTH_PAGE_SIZE),
      ...(total > HEALTH_PAGE_SIZE ? { pages: health.pages, all: `/healthz?page=1 to /healthz?page=${health.pages}` } : {}),
    },
    ...health.firstByKind,
  };
}
