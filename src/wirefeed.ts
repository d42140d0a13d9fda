import path from 'node:path';
import { createArticleIndex } from './articles/article-index.ts';
import type { Config } from './config.ts';
import type { Clock } from './domain/clock.ts';
import { systemClock } from './domain/clock.ts';
import type { Problem } from './domain/problem.ts';
import { formatProblem } from './domain/problem.ts';
import { createRequestHandler } from './http/create-app.ts';
import { createMetrics } from './http/metrics.ts';
import { startServer } from './http/start-server.ts';
import { createSiteBuilder } from './jobs/build-site.ts';
import { createCoalescingRunner } from './jobs/coalescing-runner.ts';
import { pageRenderers } from './jobs/page-renderers.ts';
import type { Schedule, ScheduleStatus } from './jobs/schedule.ts';
import { cacheLifetimeSeconds, startSchedule } from './jobs/schedule.ts';
import type { Logger } from './logger.ts';
import { createOutputWriter } from './publication/output-writer.ts';
import { appendRevisions, loadRevisionLedger } from './publication/revision-ledger-file.ts';
import { restoreSnapshot } from './publication/restore-snapshot.ts';
import type { Snapshot } from './publication/snapshot.ts';
import { loadSite } from './store/load-site.ts';
import { watchStore } from './store/watch-store.ts';

export interface RunningWirefeed {
  readonly url: string;
  readonly port: number;
  current(): Snapshot | undefined;
  /** Rebuilds now (coalesced with any build under way) and resolves when it is published. */
  rebuild(hintedPaths?: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

/** A hint that covers every path of the store. */
const WHOLE_STORE = '.';

const isoOrNull = (at: number | undefined): string | null => (at === undefined ? null : new Date(at).toISOString());

function describeSchedule(status: ScheduleStatus | undefined): Record<string, unknown> | null {
  if (!status) return null;
  return { cron: status.cron, nextBuildAt: isoOrNull(status.nextBuildAt), nextEmbargoAt: isoOrNull(status.nextEmbargoAt) };
}

/**
 * Wires the stages together: store -> articles -> feeds -> validation -> publication -> http.
 * The published snapshot is the one piece of mutable state, replaced in one assignment.
 */
export async function startWirefeed(config: Config, logger: Logger, clock: Clock = systemClock): Promise<RunningWirefeed> {
  let snapshot: Snapshot | undefined;
  let lastBuildError: { at: string; message: string } | null = null;
  // Assigned once the first build is under way; requests and builds before that see undefined.
  let schedule: Schedule | undefined = undefined;
  // Folders the watcher cannot watch (past the path length limit), shown by /healthz; set once it runs.
  let watchProblems = (): readonly Problem[] => [];
  const cacheMaxAgeSeconds = cacheLifetimeSeconds(config.feedCron);
  const ttlMinutes = Math.max(1, Math.round(cacheMaxAgeSeconds / 60));
  const metrics = createMetrics(clock);
  const handler = createRequestHandler({
    getSnapshot: () => snapshot,
    metrics,
    logger,
    cacheMaxAgeSeconds,
    status: () => ({ schedule: describeSchedule(schedule?.status()), lastBuildError, watchProblems: watchProblems() }),
    clock,
  });
  // Listen first: with PORT=0 the real port is only known now, and the default base URL needs it.
  const server = await startServer(handler, { port: config.port, host: config.host });

  const siteResult = await loadSite(config.contentDir, {
    ...(config.baseUrl ? { baseUrlOverride: config.baseUrl } : {}),
    defaultBaseUrl: `http://localhost:${server.port}`,
  });
  if (!siteResult.ok) {
    await server.close();
    throw new StartupError(`cannot start: ${siteResult.problems.map(formatProblem).join('; ')}`);
  }
  const site = siteResult.site;

  snapshot = await restoreSnapshot(config.outputDir, site, clock);
  if (snapshot) logger.info({ documents: snapshot.documents.size }, 'serving the last published feeds from the output directory until the first build');

  const builder = createSiteBuilder({
    site,
    index: createArticleIndex({ contentDir: config.contentDir, site, maxArticleBytes: config.maxArticleBytes }),
    clock,
    feedItemLimit: config.feedItemLimit,
    ttlMinutes,
    pages: pageRenderers,
    revisions: await loadRevisionLedger(config.outputDir),
  });
  const output = createOutputWriter(config.outputDir);
  let reportedProblems = new Set<string>();

  const runner = createCoalescingRunner<string>(async (hints) => {
    const { snapshot: next, changedPaths, revisions } = await builder.build(snapshot, hints);
    snapshot = next;
    schedule?.setNextEmbargo(next.nextEmbargoAt);
    const outputProblems = await output.write(next.documents);
    if (revisions) {
      await appendRevisions(config.outputDir, revisions).catch((error: unknown) => {
        // Losing it only means a later restart stamps the newest revisions again, a little later.
        logger.warn({ err: error }, 'could not keep the revision ledger');
      });
    }
    if (outputProblems.length > 0 || next.build.outputProblems.length > 0) {
      snapshot = Object.freeze({ ...next, build: Object.freeze({ ...next.build, outputProblems }) });
    }
    metrics.recordBuild(snapshot.build);
    const problems = [...next.build.rejectedArticles, ...next.build.failedDocuments, ...outputProblems].map(formatProblem);
    for (const problem of problems) if (!reportedProblems.has(problem)) logger.warn(problem);
    reportedProblems = new Set(problems);
    logger.info(
      { durationMs: next.build.durationMs, articles: next.build.articleCount, public: next.build.publicArticleCount, changed: changedPaths.length },
      'build published',
    );
  });
  const rebuild = (hints: readonly string[] = []): Promise<void> =>
    runner.trigger(hints).then(
      () => {
        lastBuildError = null;
      },
      (error: unknown) => {
        // E.g. the content folder vanished: keep serving the last good snapshot and say why in /healthz.
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
        lastBuildError = { at: new Date(clock()).toISOString(), message: `${error instanceof Error ? error.message : String(error)}${cause}` };
        logger.error({ err: error }, 'build failed; the previous feeds stay published');
      },
    );

  // Watch before the first build lists the store, so no change can fall between the two.
  const watcher = await watchStore(config.contentDir, (change) => {
    if (change.kind === 'paths' && change.paths.includes('site.yaml')) {
      logger.warn('content/site.yaml changed: restart Wirefeed to apply site settings');
    }
    void rebuild(change.kind === 'paths' ? change.paths : [WHOLE_STORE]);
    // The watcher already batches what the system reports (about 50 ms); a short quiet period on
    // top, and longer bursts are still folded into one follow-up build by the coalescing runner.
  }, { debounceMs: 10 });
  watchProblems = () => watcher.problems();
  for (const problem of watcher.problems()) logger.warn(formatProblem(problem));
  await rebuild();
  // The cron tick re-lists the whole store, even when it coalesces with watcher hints: it is the
  // safety net for changes a watcher can miss (network filesystems, events lost under load). An
  // embargo moment lists nothing (no hints): only the clock moved, and listing 100,000 files takes seconds.
  schedule = startSchedule({ cron: config.feedCron, clock, trigger: (reason) => void rebuild(reason === 'cron' ? [WHOLE_STORE] : []) });
  schedule.setNextEmbargo(snapshot?.nextEmbargoAt);

  logger.info({ url: server.url, content: path.relative(process.cwd(), config.contentDir) || '.', output: config.outputDir }, 'serving feeds');

  return {
    url: server.url,
    port: server.port,
    current: () => snapshot,
    rebuild,
    async stop() {
      await server.close();
      await watcher.close();
      await schedule?.stop();
      await runner.idle();
    },
  };
}
