import type { Logger } from 'pino';
import type { Problem } from '../domain/problem.ts';
import type { Snapshot } from '../publication/snapshot.ts';

export interface HealthInput {
  readonly snapshot: Snapshot | undefined;
  /** What the app derives once per snapshot; health reads only the declared feeds it lacks. */
  readonly catalogOf: (snapshot: Snapshot) => { readonly missingFeeds: readonly string[] };
  readonly now: number;
  /** Extra fields from the scheduler; they cannot replace the fields derived from the snapshot. */
  readonly status?: () => SchedulerFields;
  readonly logger: Logger;
}

/**
 * What the service adds to /healthz about its schedule (its cron, next build, last build error).
 * The composition root owns their shape; they come first in the body, so a field of the same name
 * below replaces them.
 */
export type SchedulerFields = Readonly<Record<string, unknown>>;

/** A problem as /healthz lists it: the Problem without its internals. */
export interface ReportedProblem {
  readonly subject: string;
  readonly field?: string;
  readonly message: string;
}

/** Before the first snapshot: nothing to describe but that. */
interface StartingReport {
  readonly status: 'starting';
  readonly reason: string;
  readonly time: string;
}

/** While a snapshot is served. */
interface ServingReport {
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
  readonly rejectedArticles: readonly ReportedProblem[];
  readonly failedDocuments: readonly ReportedProblem[];
  readonly outputProblems: readonly ReportedProblem[];
}

/**
 * The /healthz body, the contract monitoring reads: a field renamed here is a compile error
 * wherever the body is built or read. The scheduler's fields ride along untyped.
 */
export type HealthReport = SchedulerFields & (StartingReport | ServingReport);

export interface Health {
  readonly httpStatus: 200 | 503;
  readonly body: HealthReport;
}

function iso(epochMs: number): string;
function iso(epochMs: number | undefined): string | undefined;
function iso(epochMs: number | undefined): string | undefined {
  return epochMs === undefined ? undefined : new Date(epochMs).toISOString();
}

function problems(list: readonly Problem[]): ReportedProblem[] {
  return list.map(({ subject, field, message }) => ({ subject, ...(field === undefined ? {} : { field }), message }));
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

/**
 * The health report: 200 while every feed the site declares is being served, 503 before the
 * first snapshot (the body says so) or while a declared feed has no servable version at all.
 * A document that failed validation but still serves its previous version keeps it 200; it is
 * listed, and the metrics count it.
 */
export function describeHealth(input: HealthInput): Health {
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
  const { build } = snapshot;
  const missingFeeds = input.catalogOf(snapshot).missingFeeds;
  const healthy = missingFeeds.length === 0;
  return {
    httpStatus: healthy ? 200 : 503,
    body: {
      ...extra,
      status: healthy ? 'ok' : 'degraded',
      ...(healthy ? {} : { reason: `${missingFeeds.length} declared feed(s) have never passed validation and are not served.` }),
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
      rejectedArticles: problems(build.rejectedArticles),
      failedDocuments: problems(build.failedDocuments),
      outputProblems: problems(build.outputProblems),
    },
  };
}
