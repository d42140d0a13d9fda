import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { corpusCategoryNames } from '../corpus/generate-corpus.ts';
import { startServiceProcess, waitFor } from '../bench/service-process.ts';
import { createResponseChecker } from './check-response.ts';
import { corruptOneResponse } from './corrupt-one-response.ts';
import { discoverFeeds } from './discover-feeds.ts';
import { startEditorProcess } from './editor-process.ts';
import { startHeartbeatProcess } from './heartbeat-process.ts';
import type { Heartbeat, HeartbeatProcess } from './heartbeat-process.ts';
import type { EditorProcess } from './editor-process.ts';
import type { EditorCounts } from './store-editor.ts';
import { judgeMemory } from './judge-memory.ts';
import type { MemoryVerdict } from './judge-memory.ts';
import { trackLoopLag } from './loop-lag.ts';
import { sampleMemory } from './memory-sampler.ts';
import type { MemorySample } from './memory-sampler.ts';
import { pollFeeds } from './poll-clients.ts';
import { primeKnownTags } from './prime-known-tags.ts';
import type { ProcessUsage } from './process-usage.ts';
import { readProcessUsage } from './process-usage.ts';
import { readBuildCount } from './service-build-count.ts';
import { readServiceHealth } from './read-service-health.ts';
import type { ServiceHealth } from './read-service-health.ts';
import { SoakTally } from './soak-tally.ts';
import type { TallySummary } from './soak-tally.ts';
import { ensureCorpus } from '../corpus/ensure-corpus.ts';
import { copyStore } from './soak-store.ts';
import { startValidatorProcess } from './validator-process.ts';
import type { ValidatorProcess } from './validator-process.ts';

export interface SoakOptions {
  readonly articles: number;
  readonly categories: number;
  readonly seconds: number;
  readonly clients: number;
  /** Where generated corpora are kept between runs (`.corpus/`). */
  readonly corpusRoot: string;
  readonly editsPerSecond: number;
  readonly conditionalShare: number;
  /** How far VmRSS may rise from its warm level to the end; see judge-memory.ts. */
  readonly maxRssGrowthBytes: number;
  /**
   * Extra environment for the service, to diagnose what the soak finds: NODE_OPTIONS (a heap cap,
   * a profiler preload), MALLOC_ARENA_MAX, LOG_LEVEL. The loopback address and port stay the soak's.
   */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /** Tamper with one response after this many, to prove a bad body is caught. */
  readonly corruptAfterResponses?: number;
  readonly log: (line: string) => void;
}

export interface SoakResult {
  readonly options: Omit<SoakOptions, 'log'>;
  readonly feeds: number;
  readonly loadMs: number;
  readonly tally: TallySummary;
  readonly editor: EditorCounts;
  /** Builds the service published during the load, from its metrics. */
  readonly builds: number;
  /** /healthz latencies from an otherwise idle process: the service's own responsiveness. */
  readonly heartbeat: Heartbeat;
  /** The service's /healthz after the load; undefined when it had exited. */
  readonly health: ServiceHealth | undefined;
  /** Distinct feed bodies the clients received (each one validated). */
  readonly validatedBodies: number;
  /** How long after the load the validator took to finish its queue. */
  readonly validationTailMs: number;
  readonly injectedCorruptions: number;
  readonly serviceStart: ProcessUsage;
  readonly serviceEnd: ProcessUsage;
  readonly memory: MemoryVerdict;
  /** VmRSS through the load, for the report's trend line. */
  readonly memorySamples: readonly MemorySample[];
  readonly serviceCpuMs: number;
  /** The soak's own CPU time during the load: the clients' process and the validator's. */
  readonly loadGeneratorCpuMs: number;
  /** Share of the load the clients' event loop was busy: near 1, the latencies are partly the soak's own. */
  readonly clientEventLoopUtilization: number;
  /**
   * How late the clients' event loop ran its callbacks. A reset on a kept-alive connection with a
   * delay near the server's keep-alive timeout may be the soak's lateness, not the service's.
   */
  readonly clientEventLoopDelayMs: { readonly p99: number; readonly max: number };
  /** The machine's 1-minute load average before and after: other work on the machine skews every figure. */
  readonly loadAverage: readonly [number, number];
  readonly cores: number;
  readonly serviceSurvived: boolean;
  /** Why the soak failed; empty when it passed. */
  readonly failures: readonly string[];
}

interface Rig {
  readonly serviceUrl: string;
  readonly port: number;
  readonly pid: number;
  readonly contentDir: string;
  readonly alive: () => boolean;
  readonly validator: ValidatorProcess;
  readonly editor: EditorProcess;
  readonly heartbeat: HeartbeatProcess;
  close(): Promise<void>;
}

/** The store copy, the service serving it (first feed built) and the helper processes; close() undoes them all. */
async function startRig(options: SoakOptions): Promise<Rig> {
  options.log(`corpus of ${options.articles} articles in ${options.categories} categories…`);
  const corpusDir = await ensureCorpus(options.corpusRoot, options.articles, options.categories);
  const store = await copyStore(corpusDir);
  const undo: (() => Promise<void>)[] = [() => store.remove()];
  const close = async (): Promise<void> => {
    for (const step of undo.reverse()) await step();
  };
  try {
    options.log('starting the service…');
    // Every poll client shares 127.0.0.1, one client to the budgets: the soak measures the service, not RATE_LIMIT (--service-env RATE_LIMIT=... to include it).
    const service = await startServiceProcess({ RATE_LIMIT: 'off', ...options.serviceEnv, CONTENT_DIR: store.contentDir, OUTPUT_DIR: store.outputDir });
    // If the soak dies of an exception no finally block sees, the service must not outlive it:
    // the helpers leave when their channel closes, but the service has none. SIGKILL, because a
    // graceful stop has nobody left to wait for it, and once, in a crash test, an orphaned
    // service asked to stop spun at full CPU with its stderr reader gone.
    const orphanGuard = (): void => {
      service.child.kill('SIGKILL');
      store.removeSync();
    };
    process.once('exit', orphanGuard);
    undo.push(async () => {
      process.off('exit', orphanGuard);
      await service.stop();
    });
    const { hostname, port } = new URL(service.url);
    if (hostname !== '127.0.0.1') throw new Error(`soak: refusing to load ${service.url}: loopback only`);
    await waitFor(
      async () => {
        if (!service.alive()) throw new Error('bench: the service exited before serving its first feed');
        return (await fetch(`${service.url}/rss.xml`)).status === 200;
      },
      10 * 60_000,
      'the first feed',
      50,
    );
    const validator = startValidatorProcess();
    undo.push(() => validator.close());
    const editor = startEditorProcess();
    undo.push(() => editor.close());
    const heartbeat = startHeartbeatProcess();
    undo.push(() => heartbeat.close());
    return {
      serviceUrl: service.url,
      port: Number(port),
      pid: service.child.pid ?? Number.NaN,
      contentDir: store.contentDir,
      alive: service.alive,
      validator,
      editor,
      heartbeat,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The whole soak: a private copy of a generated store, the real service as a subprocess, readers
 * polling every feed from `clients` keep-alive connections while an editor changes the store,
 * every answer checked, and the service's memory watched from outside.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { log, ...settings } = options;
  const rig = await startRig(options);
  try {
    const feeds = await discoverFeeds(rig.serviceUrl);
    const checker = createResponseChecker(rig.validator.validate);
    const tally = new SoakTally();
    log(`${feeds.length} feeds; priming every feed in br, gzip and identity…`);
    const primed = await primeKnownTags(rig.port, feeds, checker, tally);

    const serviceStart = await readProcessUsage(rig.pid);
    const validatorStart = await readProcessUsage(rig.validator.pid);
    const loadAverageBefore = loadavg()[0] ?? Number.NaN;
    const buildsBefore = await readBuildCount(rig.serviceUrl);
    const ownCpuBefore = process.cpuUsage();
    const eventLoopBefore = performance.eventLoopUtilization();
    const eventLoopDelay = monitorEventLoopDelay({ resolution: 20 });
    eventLoopDelay.enable();
    const loadMs = options.seconds * 1000;
    const started = performance.now();
    const deadline = started + loadMs;
    const corruption = options.corruptAfterResponses === undefined ? undefined : corruptOneResponse(options.corruptAfterResponses);
    log(`${options.clients} clients for ${options.seconds} s, editor at ${options.editsPerSecond} changes/s…`);
    const sampler = sampleMemory(rig.pid);
    const lag = trackLoopLag();
    const progress = setInterval(() => {
      const { requests, errors, awaitingValidation } = tally.progress();
      log(`  ${Math.round((performance.now() - started) / 1000)} s: ${requests} requests, ${errors} errors, ${awaitingValidation} 200s awaiting the validator`);
    }, 10_000);
    let editor: EditorCounts;
    let heartbeat: Heartbeat;
    let samples: readonly MemorySample[];
    try {
      [, editor, heartbeat] = await Promise.all([
        pollFeeds({
          port: rig.port,
          feeds,
          clients: options.clients,
          deadline,
          rampMs: Math.min(1000, loadMs / 10),
          conditionalShare: options.conditionalShare,
          primed,
          checker,
          tally,
          serviceAlive: rig.alive,
          lagMs: lag.recentMaxMs,
          ...(corruption ? { corruption } : {}),
        }),
        rig.editor.run({ contentDir: rig.contentDir, categories: corpusCategoryNames(options.categories), operationsPerSecond: options.editsPerSecond }, loadMs),
        rig.heartbeat.run(rig.port, loadMs),
      ]);
    } finally {
      clearInterval(progress);
      lag.stop();
      samples = sampler.stop();
    }
    const actualLoadMs = performance.now() - started;
    log(`load over after ${(actualLoadMs / 1000).toFixed(1)} s; reading the service's figures…`);
    const ownCpu = process.cpuUsage(ownCpuBefore);
    const eventLoop = performance.eventLoopUtilization(eventLoopBefore);
    eventLoopDelay.disable();
    const serviceSurvived = rig.alive();
    const serviceEnd = await readProcessUsage(rig.pid);
    const validatorEnd = await readProcessUsage(rig.validator.pid);
    const builds = serviceSurvived ? (await readBuildCount(rig.serviceUrl)) - buildsBefore : Number.NaN;
    const health = serviceSurvived ? await readServiceHealth(rig.serviceUrl) : undefined;
    const memory = judgeMemory([{ atMs: 0, rssBytes: serviceStart.rssBytes }, ...samples], actualLoadMs, serviceEnd.rssBytes, options.maxRssGrowthBytes);
    const validationStarted = performance.now();
    await tally.settled();
    const validationTailMs = performance.now() - validationStarted;
    const summary = tally.summary();
    return {
      options: settings,
      feeds: feeds.length,
      loadMs: actualLoadMs,
      tally: summary,
      editor,
      builds,
      health,
      heartbeat,
      validatedBodies: checker.validatedBodies(),
      validationTailMs,
      injectedCorruptions: corruption?.injected() ?? 0,
      serviceStart,
      serviceEnd,
      memory,
      memorySamples: samples,
      serviceCpuMs: serviceEnd.cpuMs - serviceStart.cpuMs,
      loadGeneratorCpuMs: (ownCpu.user + ownCpu.system) / 1000 + (validatorEnd.cpuMs - validatorStart.cpuMs),
      clientEventLoopUtilization: eventLoop.utilization,
      clientEventLoopDelayMs: { p99: eventLoopDelay.percentile(99) / 1e6, max: eventLoopDelay.max / 1e6 },
      loadAverage: [loadAverageBefore, loadavg()[0] ?? Number.NaN],
      cores: cpus().length,
      serviceSurvived,
      failures: [
        ...(summary.errors > 0 ? [`${summary.errors} wrong or failed responses`] : []),
        ...(memory.ok ? [] : [`VmRSS grew ${Math.round(memory.growthBytes / 2 ** 20)} MiB after warm-up, over the ${Math.round(memory.boundBytes / 2 ** 20)} MiB bound`]),
        ...(editor.failures.length > 0 ? [`the editor failed ${editor.failures.length} times`] : []),
        ...(heartbeat.failures.length > 0 ? ['/healthz requests of the heartbeat failed'] : []),
        ...(serviceSurvived ? [] : ['the service exited']),
        ...(health && health.status !== 'ok' ? [`/healthz says ${health.status}`] : []),
        ...(health && health.rejectedArticles + health.failedDocuments + health.outputProblems > 0 ? ['/healthz lists problems'] : []),
      ],
    };
  } finally {
    log('stopping the service…');
    await rig.close();
  }
}
