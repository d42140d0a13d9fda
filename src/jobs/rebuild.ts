import type { ArticleIndex } from '../articles/article-index.ts';
import { createArticleIndex } from '../articles/article-index.ts';
import type { Clock } from '../domain/clock.ts';
import type { Problem } from '../domain/problem.ts';
import { formatProblem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import type { StoreChange } from '../domain/store-change.ts';
import { mergeStoreChanges } from '../domain/store-change.ts';
import type { FeedDocument } from '../feeds/feed-document.ts';
import type { Logger } from '../logger.ts';
import { createOutputWriter } from '../publication/output-writer.ts';
import { restoreSnapshot } from '../publication/restore-snapshot.ts';
import type { BuildReport, Snapshot } from '../publication/snapshot.ts';
import type { ChangeEntry, ChangeRecord, JournaledState } from '../domain/change-entry.ts';
import type { ChangeJournal, RevisionTimes } from '../state/durable-state.ts';
import { journaledState } from '../state/durable-state.ts';
import { openChangeJournalFile } from '../state/change-journal-file.ts';
import { openRevisionLedgerFile } from '../state/revision-ledger-file.ts';
import type { BuildPlan, PublicChanges } from './build-site.ts';
import { createSiteBuilder } from './build-site.ts';
import { diffPublicChanges } from './journal-changes.ts';
import type { DeletionHold } from './deletion-guard.ts';
import { createDeletionGuard, DEFAULT_MASS_DELETION_THRESHOLD, isStoreFileGone } from './deletion-guard.ts';
import { createRetractionRegistry } from './retractions.ts';
import { cacheLifetimeSeconds } from './schedule.ts';

export interface RebuildJobOptions {
  readonly site: Site;
  readonly contentDir: string;
  readonly outputDir: string;
  readonly maxArticleBytes: number;
  /** MIN_IMAGE_WIDTH: lead images narrower than this are reported in /healthz; defaults to 720. */
  readonly minImageWidth?: number;
  readonly feedItemLimit: number;
  /** The rebuild schedule: feeds tell readers (RSS ttl) how long they stay fresh. */
  readonly feedCron: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Serve what the output directory vouches for until the first build is published (the service does; a one-shot build does not need to). */
  readonly restore?: boolean;
  /** Told of every build published: /metrics. */
  readonly recordBuild?: (report: BuildReport) => void;
  /** Told of every snapshot published, before its files are written: e.g. to arm the next embargo. */
  readonly onPublished?: (snapshot: Snapshot) => void;
  /** An index already loaded (the benchmark measures loading on its own); by default one is made for the store. */
  readonly index?: ArticleIndex;
  /** Where problem paths are shown relative to; defaults to process.cwd(). */
  readonly cwd?: string;
  /** A seam for tests that need a document to fail validation. */
  readonly validate?: (document: FeedDocument, context: { now: number }) => Problem[];
  /** Where changes are journaled; by default the journal file in `stateDir`. The job closes it. */
  readonly journal?: ChangeJournal;
  /** The folder of the default journal file; defaults to outputDir. */
  readonly stateDir?: string;
  /** Where revision times are kept; by default the revision ledger file in `outputDir`. */
  readonly revisions?: RevisionTimes;
  /** Told of every change appended to the journal, before the snapshot that shows it is swapped in: e.g. to wake long polls. */
  readonly onChanges?: (entries: readonly ChangeEntry[]) => void;
  /** Days a retraction notice stays in the subscription feeds after it is journaled; defaults to 30. */
  readonly retractionNoticeDays?: number;
  /** MASS_DELETION_THRESHOLD: past this share of the public articles vanishing in one build, their retractions are held (jobs/deletion-guard.ts). */
  readonly massDeletionThreshold?: number;
  /** How long vanished articles wait before a deletion under the threshold is retracted (see jobs/deletion-guard.ts); 0 by default. */
  readonly deletionGraceMs?: number;
  /** FEED_BYTE_BUDGET (feeds/fit-feed-budget.ts); no limit without it. */
  readonly feedByteBudget?: number;
  /** ARTICLE_BYTE_BUDGET (feeds/feed-item-cache.ts); no limit without it. */
  readonly articleByteBudget?: number;
}

export interface BuildFailure {
  readonly at: string;
  readonly message: string;
}

export interface RebuildJob {
  /** The snapshot being served; undefined before the first build when nothing was restored. */
  current(): Snapshot | undefined;
  /** Why the last build failed, or null after a build that was published. */
  lastBuildError(): BuildFailure | null;
  /**
   * Refreshes, builds, validates and publishes (swap, output mirror, revision ledger, metrics,
   * problem log) what `change` may have changed. Runs never overlap: a call during a build is
   * merged into one follow-up. Resolves once a build that started after the call has ended, with
   * how it ended; a failed build keeps the previous snapshot published and never rejects.
   */
  rebuild(change: StoreChange): Promise<RebuildOutcome>;
  /** Resolves when no build is running or waiting: for shutdown. */
  idle(): Promise<void>;
  /** The change journal every publication is recorded in (read it for the change streams). */
  readonly journal: ChangeJournal;
  /** Deletions held because too many public articles vanished at once, or undefined when none are. */
  deletionHold(): DeletionHold | undefined;
  /** When a build must run to judge deletions waiting out their grace period, or undefined. */
  deletionDecisionDueAt(): number | undefined;
  /** Waits for the build under way, then closes the journal. */
  close(): Promise<void>;
}

/**
 * Appends in parts of this many entries: the first build of a large store journals every article,
 * and one part's text must stay small. Each part is atomic; a crash between parts leaves the
 * first ones, and the comparison at the next start-up appends the rest once.
 */
const APPEND_PART = 1000;

/** The snapshot as published with these problems writing the output directory. */
function withOutputProblems(snapshot: Snapshot, outputProblems: readonly Problem[]): Snapshot {
  if (outputProblems.length === 0 && snapshot.build.outputProblems.length === 0) return snapshot;
  return Object.freeze({ ...snapshot, build: Object.freeze({ ...snapshot.build, outputProblems }) });
}

export type RebuildOutcome =
  | { readonly ok: true; readonly snapshot: Snapshot; readonly changedPaths: readonly string[]; readonly writeMs: number }
  | { readonly ok: false; readonly error: BuildFailure };

/**
 * The one way Wirefeed publishes: the service, `npm run build` and the benchmark all run this
 * job, so none of them can drift from the others (a builder wired without the revision ledger
 * would move announced `updated` times back).
 */
export async function createRebuildJob(options: RebuildJobOptions): Promise<RebuildJob> {
  const { site, clock, logger, outputDir } = options;
  const retractions = createRetractionRegistry(options.retractionNoticeDays ?? 30);
  const restored = options.restore ? await restoreSnapshot(outputDir, site, clock) : undefined;
  if (restored) logger.info({ documents: restored.documents.size }, 'serving the last published feeds from the output directory until the first build');
  const revisionTimes = options.revisions ?? openRevisionLedgerFile(outputDir);
  const output = createOutputWriter(outputDir);
  const stateDir = options.stateDir ?? outputDir;
  /** What the journal last said about each article id, kept in step with every append. */
  const known = new Map<string, JournaledState>();
  let opened: ChangeJournal | undefined;
  /**
   * The journal, opened on first use and again after a failure: an output folder that cannot be
   * written fails the builds (nothing is served without its entry) until it can be.
   */
  async function openJournal(): Promise<ChangeJournal> {
    if (opened) return opened;
    let candidate: ChangeJournal;
    try {
      candidate = options.journal ?? (await openChangeJournalFile(stateDir));
    } catch (error) {
      throw new Error(`cannot open the change journal in ${stateDir}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    for (const problem of candidate.problems) logger.warn(problem);
    for (const [id, state] of await candidate.lastStates()) {
      known.set(id, state);
      // Notices and 410 pages come from the journal, so they outlive restarts and deleted files.
      if (state.change === 'retracted') retractions.record(await candidate.read({ after: state.seq - 1, limit: 1 }));
    }
    opened = candidate;
    return candidate;
  }
  await openJournal().catch((error: unknown) => logger.error({ err: error }, 'the change journal is not available; builds fail until it is'));
  const journal: ChangeJournal = {
    get problems() {
      return opened?.problems ?? [];
    },
    append: async (records) => (await openJournal()).append(records),
    read: async (query) => (await openJournal()).read(query),
    head: async () => (await openJournal()).head(),
    count: async (category) => (await openJournal()).count(category),
    cursorBefore: async (at) => (await openJournal()).cursorBefore(at),
    lastStates: async () => (await openJournal()).lastStates(),
    close: async () => opened?.close(),
  };
  const versionOf = async (seq: number): Promise<ChangeEntry['article'] | undefined> => (await journal.read({ after: seq - 1, limit: 1 }))[0]?.article;
  const guard = createDeletionGuard({
    index:
      options.index ??
      createArticleIndex({
        contentDir: options.contentDir,
        site,
        maxArticleBytes: options.maxArticleBytes,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        ...(options.minImageWidth === undefined ? {} : { minImageWidth: options.minImageWidth }),
      }),
    contentDir: options.contentDir,
    stateDir,
    threshold: options.massDeletionThreshold ?? DEFAULT_MASS_DELETION_THRESHOLD,
    ...(options.deletionGraceMs === undefined ? {} : { graceMs: options.deletionGraceMs }),
    known,
    versionOf,
    clock,
    logger,
  });
  const builder = createSiteBuilder({
    site,
    index: guard.index,
    clock,
    feedItemLimit: options.feedItemLimit,
    ttlMinutes: Math.max(1, Math.round(cacheLifetimeSeconds(options.feedCron) / 60)),
    revisions: await revisionTimes.load(),
    ...(restored ? { published: restored } : {}),
    ...(options.validate ? { validate: options.validate } : {}),
    plan: (publicChanges) => planChanges(publicChanges),
    ...(options.feedByteBudget === undefined ? {} : { feedByteBudget: options.feedByteBudget }),
    ...(options.articleByteBudget === undefined ? {} : { articleByteBudget: options.articleByteBudget }),
  });
  /** Set when an append failed: the changes of that build were never journaled, so the next one compares everything. */
  let compareAll = false;
  let snapshot: Snapshot | undefined = restored;
  let lastError: BuildFailure | null = null;
  let lastOutcome: RebuildOutcome | undefined;
  /** Problems already logged: each is logged once when it appears, not at every build. */
  let reportedProblems = new Set<string>();

  /** The changes of the build under way, worked out before its feeds are rendered (planChanges) and journaled before it is published. */
  let planned: readonly ChangeRecord[] = [];

  /**
   * Works out what the build makes public, before its feeds are rendered, and returns each
   * scope's journal entry count once they are appended: the subscription documents link their
   * newest archive page by it (README "Archives"). Throws when the journal is not available.
   */
  async function planChanges(publicChanges: PublicChanges): Promise<BuildPlan> {
    await openJournal();
    const changes = compareAll ? { ...publicChanges, full: true, touched: publicChanges.all() } : publicChanges;
    compareAll = true;
    planned = await diffPublicChanges({
      changes,
      known,
      at: changes.at,
      fileExists: async (sourcePath) => !(await isStoreFileGone(options.contentDir, sourcePath)),
      versionOf,
    });
    // This build's records per category in one pass, then each scope's count in the journal.
    const listed = new Map<string, number>();
    for (const record of planned) for (const slug of record.scopes) listed.set(slug, (listed.get(slug) ?? 0) + 1);
    const counts = new Map<string, number>([['', (await journal.count()) + planned.length]]);
    for (const category of site.categories) counts.set(category.slug, (await journal.count(category.slug)) + (listed.get(category.slug) ?? 0));
    // Notices and 410 pages as they stand once these changes are journaled: a build that
    // retracts an article shows its notice at once.
    return { archiveCounts: counts, retractions: retractions.preview(planned) };
  }

  /** Journals the changes planChanges found; throws when it could not, and then the build must not be published. */
  async function journalChanges(): Promise<void> {
    const records = planned;
    planned = [];
    for (let start = 0; start < records.length; start += APPEND_PART) {
      const entries = await journal.append(records.slice(start, start + APPEND_PART));
      for (const entry of entries) known.set(entry.article.id, journaledState(entry));
      retractions.record(entries);
      options.onChanges?.(entries);
    }
    compareAll = false;
  }

  async function publish(change: StoreChange): Promise<void> {
    const { snapshot: next, changedPaths, revisions } = await builder.build(change);
    // Nothing is served without its entry: the journal first, then the swap. The revision times
    // the entries carry are kept now too, so a restart cannot date these articles differently.
    await Promise.all([
      journalChanges(),
      revisions
        ? revisionTimes.append(revisions).catch((error: unknown) => {
            // Losing it only means a later restart stamps the newest revisions again, a little later.
            logger.warn({ err: error }, 'could not keep the revision ledger');
          })
        : undefined,
    ]);
    // Until its files are written, the new snapshot carries the output problems already known:
    // /healthz must not say "ok" for the moment between the swap and the write.
    snapshot = withOutputProblems(next, snapshot?.build.outputProblems ?? []);
    options.onPublished?.(next);
    const writeStarted = performance.now();
    const outputProblems = await output.write(next.documents);
    const writeMs = performance.now() - writeStarted;
    snapshot = withOutputProblems(next, outputProblems);
    options.recordBuild?.(snapshot.build);
    const warnings = (next.build.warnings ?? []).map((warning) => `${warning.subject}: ${warning.field ?? 'warning'}: ${warning.message}`);
    const problems = [...next.build.rejectedArticles, ...next.build.failedDocuments, ...outputProblems].map(formatProblem).concat(warnings);
    for (const problem of problems) if (!reportedProblems.has(problem)) logger.warn(problem);
    reportedProblems = new Set(problems);
    logger.info(
      { durationMs: next.build.durationMs, articles: next.build.articleCount, public: next.build.publicArticleCount, changed: changedPaths.length },
      'build published',
    );
    lastError = null;
    lastOutcome = { ok: true, snapshot, changedPaths, writeMs };
  }

  const runner = createCoalescingRunner<StoreChange>(async (change) => {
    try {
      await publish(change);
    } catch (error) {
      // E.g. the content folder vanished: keep serving the last good snapshot and say why.
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      lastError = { at: new Date(clock()).toISOString(), message: `${error instanceof Error ? error.message : String(error)}${cause}` };
      lastOutcome = { ok: false, error: lastError };
      // What this build would have retracted may not be journaled: the next one looks at everything again.
      guard.compareAllNext();
      logger.error({ err: error }, 'build failed; the previous feeds stay published');
    }
  }, mergeStoreChanges);

  return {
    current: () => snapshot,
    lastBuildError: () => lastError,
    async rebuild(change) {
      await runner.trigger(change);
      // Set by the run the trigger waited for, which always sets it before it ends.
      return lastOutcome ?? { ok: false, error: { at: new Date(clock()).toISOString(), message: 'no build ran' } };
    },
    idle: () => runner.idle(),
    journal,
    deletionHold: () => guard.hold(),
    deletionDecisionDueAt: () => guard.decisionDueAt(),
    async close() {
      await runner.idle();
      await journal.close();
    },
  };
}

/**
 * Runs an async job so that runs never overlap: a trigger that arrives while the job is running
 * schedules exactly one follow-up run after it (however many triggers arrive), never a queue.
 * The inputs of the triggers that arrive meanwhile are merged into that follow-up's input, so a
 * burst of file changes is handled by one run that sees them all.
 */
export interface CoalescingRunner<Input> {
  /** Resolves when a run that started after this call has finished (or rejects with its error). */
  trigger(input: Input): Promise<void>;
  /** Resolves once nothing is running or pending: for shutdown. */
  idle(): Promise<void>;
}

export function createCoalescingRunner<Input>(job: (input: Input) => Promise<void>, merge: (earlier: Input, later: Input) => Input): CoalescingRunner<Input> {
  let current: Promise<void> | undefined;
  let followUp: Promise<void> | undefined;
  let pending: { readonly input: Input } | undefined;

  function start(input: Input): Promise<void> {
    const run = job(input).finally(() => {
      current = undefined;
    });
    current = run;
    return run;
  }

  return {
    trigger(input) {
      if (!current) return start(input);
      pending = { input: pending ? merge(pending.input, input) : input };
      if (!followUp) {
        followUp = current
          .catch(() => undefined)
          .then(() => {
            followUp = undefined;
            const next = pending;
            pending = undefined;
            // `pending` is always set when a follow-up exists; the fallback only satisfies the type.
            return next ? start(next.input) : Promise.resolve();
          });
      }
      return followUp;
    },
    async idle() {
      while (current || followUp) {
        await (followUp ?? current)?.catch(() => undefined);
      }
    },
  };
}
