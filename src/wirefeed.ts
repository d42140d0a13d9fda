import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';
import { rebuildSettings, siteOptions } from './config.ts';
import type { Clock } from './domain/clock.ts';
import { systemClock } from './domain/clock.ts';
import type { Problem } from './domain/problem.ts';
import { formatProblem } from './domain/problem.ts';
import type { StoreChange } from './domain/store-change.ts';
import { CLOCK_ONLY, WHOLE_STORE } from './domain/store-change.ts';
import { createBudgetGate, createClientBudgets, identifyByAddress } from './http/client-budget.ts';
import { createRequestHandler } from './http/request-handler.ts';
import { createMetrics } from './http/metrics.ts';
import { startServer } from './http/start-server.ts';
import type { ChangeStreamSource } from './http/change-streams.ts';
import type { ArchiveSource } from './http/archives.ts';
import type { ArchivePages } from './jobs/archive-pages.ts';
import { createArchivePages } from './jobs/archive-pages.ts';
import type { ChangePages } from './jobs/change-pages.ts';
import { createChangePages } from './jobs/change-pages.ts';
import { SERVICE_DELETION_GRACE_MS } from './jobs/deletion-guard.ts';
import type { RebuildJob } from './jobs/rebuild.ts';
import { createRebuildJob } from './jobs/rebuild.ts';
import type { Schedule, ScheduleStatus } from './jobs/schedule.ts';
import { cacheLifetimeSeconds, startSchedule } from './jobs/schedule.ts';
import type { Logger } from './logger.ts';
import type { Snapshot } from './publication/snapshot.ts';
import { loadSite } from './store/load-site.ts';
import { openStoreImage } from './store/store-images.ts';
import { watchStore } from './store/watch-store.ts';
import type { PartnersSource } from './store/watch-partners.ts';
import { NO_PARTNERS, watchPartners } from './store/watch-partners.ts';

export interface RunningWirefeed {
  readonly url: string;
  readonly port: number;
  current(): Snapshot | undefined;
  /** Rebuilds now (coalesced with any build under way) and resolves when it is published or has failed; by default only for the clock. */
  rebuild(change?: StoreChange): Promise<void>;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

const isoOrNull = (at: number | undefined): string | null => (at === undefined ? null : new Date(at).toISOString());

function describeSchedule(status: ScheduleStatus | undefined): Record<string, unknown> | null {
  if (!status) return null;
  return { cron: status.cron, nextBuildAt: isoOrNull(status.nextBuildAt), nextEmbargoAt: isoOrNull(status.nextEmbargoAt) };
}

/** How often the deletion guard is looked at: a confirmation file to read, or a grace period that ended. */
const GUARD_POLL_MS = 1000;

/**
 * Builds when the deletion guard needs one: deletions whose grace period is over are judged, and
 * an operator's confirmation file (new or changed) takes effect in seconds, not at the next cron tick.
 */
function pollDeletionGuard(job: RebuildJob, clock: Clock, build: () => void): () => void {
  let seen: number | undefined;
  const timer = setInterval(() => {
    const due = job.deletionDecisionDueAt();
    if (due !== undefined && clock() >= due) return build();
    const hold = job.deletionHold();
    if (!hold) return;
    void stat(hold.confirmFile).then(
      (file) => {
        if (file.mtimeMs === seen) return;
        seen = file.mtimeMs;
        build();
      },
      () => undefined,
    );
  }, GUARD_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The composition root: wires the store watcher, the schedule and the HTTP server to the rebuild
 * job (store -> articles -> feeds -> validation -> publication), which owns the published snapshot.
 */
export async function startWirefeed(config: Config, logger: Logger, clock: Clock = systemClock): Promise<RunningWirefeed> {
  // Assigned once site.yaml is read; requests before that see no snapshot.
  let getJob: () => RebuildJob | undefined = () => undefined;
  // Assigned once the first build is under way; requests and builds before that see undefined.
  let schedule: Schedule | undefined = undefined;
  // Folders the watcher cannot watch (past the path length limit), shown by /healthz; set once it runs.
  let watchProblems = (): readonly Problem[] => [];
  // Read once site.yaml is (scopes name its categories); until then nobody is a partner.
  let partners: PartnersSource = NO_PARTNERS;
  const cacheMaxAgeSeconds = cacheLifetimeSeconds(config.feedCron);
  const metrics = createMetrics(clock);
  // Made once the journal is open; change-stream requests before that find no snapshot and wait for it.
  const pagesBox: { pages?: ChangePages } = {};
  const changes: ChangeStreamSource = {
    page: (request) => pagesBox.pages?.page(request) ?? Promise.resolve({ kind: 'invalid', message: 'the change journal is not open yet' }),
    waitForChange: (head, timeoutMs, signal) => pagesBox.pages?.waitForChange(head, timeoutMs, signal) ?? Promise.resolve(false),
  };
  const archivesBox: { pages?: ArchivePages } = {};
  const archives: ArchiveSource = {
    page: (request) => archivesBox.pages?.page(request) ?? Promise.resolve({ kind: 'invalid', message: 'the change journal is not open yet' }),
  };
  const { rateLimit } = config;
  const budgets = rateLimit ? createClientBudgets({ limit: rateLimit, clock }) : undefined;
  const handler = createRequestHandler({
    ...(budgets && rateLimit
      ? { budgetGate: createBudgetGate({ budgets, limit: rateLimit, identify: identifyByAddress(config.trustProxy), recordRefusal: (kind) => metrics.recordRateLimited(kind) }) }
      : {}),
    changes,
    archives,
    images: async (storePath) => {
      const opening = await openStoreImage(config.contentDir, storePath);
      return opening.kind === 'file' ? opening.file : undefined;
    },
    getSnapshot: () => getJob()?.current(),
    partners: () => partners.current(),
    metrics,
    logger,
    cacheMaxAgeSeconds,
    status: () => ({
      schedule: describeSchedule(schedule?.status()),
      lastBuildError: getJob()?.lastBuildError() ?? null,
      deletionHold: getJob()?.deletionHold() ?? null,
      watchProblems: watchProblems(),
      clientBudgets: budgets?.health() ?? null,
      ...(config.partnersFile === undefined ? {} : { partnersFile: partners.status() }),
    }),
    clock,
  });
  // Listen first: with PORT=0 the real port is only known now, and the default base URL needs it.
  const server = await startServer(handler, { port: config.port, host: config.host });

  const siteResult = await loadSite(config.contentDir, siteOptions(config, server.port));
  if (!siteResult.ok) {
    await server.close();
    throw new StartupError(`cannot start: ${siteResult.problems.map(formatProblem).join('; ')}`);
  }
  const site = siteResult.site;
  if (config.partnersFile !== undefined) {
    const watched = await watchPartners(config.partnersFile, {
      categorySlugs: site.categories.map((category) => category.slug),
      onReload: ({ partners: count, problems }) => {
        if (problems.length === 0) logger.info({ partners: count }, 'partners file reloaded');
        else for (const problem of problems) logger.error(`${formatProblem(problem)} (the last good partners stay in force)`);
      },
    });
    if (!watched.ok) {
      await server.close();
      throw new StartupError(`cannot start: ${watched.problems.map(formatProblem).join('; ')}`);
    }
    partners = watched.source;
  }

  const job = await createRebuildJob({
    site,
    ...rebuildSettings(config),
    clock,
    logger,
    restore: true,
    deletionGraceMs: SERVICE_DELETION_GRACE_MS,
    recordBuild: (report) => metrics.recordBuild(report),
    onPublished: (next) => schedule?.setNextEmbargo(next.nextEmbargoAt),
    onChanges: (entries) => pagesBox.pages?.notify(entries[entries.length - 1]?.seq ?? 0),
  });
  const changePages = createChangePages({ site, journal: job.journal, clock, replayDays: config.changesReplayDays });
  pagesBox.pages = changePages;
  archivesBox.pages = createArchivePages({ site, journal: job.journal, clock, ttlMinutes: Math.max(1, Math.round(cacheMaxAgeSeconds / 60)) });
  getJob = () => job;
  const rebuild = async (change: StoreChange = CLOCK_ONLY): Promise<void> => {
    await job.rebuild(change);
  };

  // Watch before the first build lists the store, so no change can fall between the two.
  const watcher = await watchStore(config.contentDir, (change) => {
    if (change.kind === 'paths' && change.paths.includes('site.yaml')) {
      logger.warn('content/site.yaml changed: restart Wirefeed to apply site settings');
    }
    void rebuild(change);
    // The watcher already batches what the system reports (about 50 ms); a short quiet period on
    // top, and longer bursts are still folded into one follow-up build by the coalescing runner.
  }, { debounceMs: 10 });
  watchProblems = () => watcher.problems();
  for (const problem of watcher.problems()) logger.warn(formatProblem(problem));
  await rebuild(WHOLE_STORE);
  // The cron tick re-lists the whole store, even when it coalesces with watcher hints: it is the
  // safety net for changes a watcher can miss (network filesystems, events lost under load). An
  // embargo moment lists nothing (no hints): only the clock moved, and listing 100,000 files takes seconds.
  schedule = startSchedule({ cron: config.feedCron, clock, trigger: (reason) => void rebuild(reason === 'cron' ? WHOLE_STORE : CLOCK_ONLY) });
  schedule.setNextEmbargo(job.current()?.nextEmbargoAt);
  const stopGuardPoll = pollDeletionGuard(job, clock, () => void rebuild(CLOCK_ONLY));

  logger.info({ url: server.url, content: path.relative(process.cwd(), config.contentDir) || '.', output: config.outputDir }, 'serving feeds');

  return {
    url: server.url,
    port: server.port,
    current: () => job.current(),
    rebuild,
    async stop() {
      // Long polls answer now, with what they have, so closing the server does not wait for them.
      changePages.close();
      stopGuardPoll();
      partners.close();
      await server.close();
      await watcher.close();
      await schedule?.stop();
      await job.close();
    },
  };
}
