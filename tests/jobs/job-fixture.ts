import path from 'node:path';
import { pino } from 'pino';
import type { Site } from '../../src/domain/site.ts';
import type { RebuildJob, RebuildJobOptions } from '../../src/jobs/rebuild.ts';
import { createRebuildJob } from '../../src/jobs/rebuild.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

/** A store on disk with its output folder, a settable clock, and the rebuild jobs started on it (closed by `dispose`). */
export interface JobFixture {
  readonly root: string;
  readonly store: string;
  readonly site: Site;
  now: number;
  start(extra?: Partial<RebuildJobOptions>): Promise<RebuildJob>;
  /** Closes one job before the fixture ends, e.g. to start another on the same folders. */
  stop(job: RebuildJob): Promise<void>;
  dispose(): Promise<void>;
}

export async function createJobFixture(files: Readonly<Record<string, string>>, now: number): Promise<JobFixture> {
  const root = await makeTempDir();
  const store = path.join(root, 'content');
  await writeFiles(store, files);
  const loaded = await loadSite(store);
  if (!loaded.ok) throw new Error('fixture site.yaml rejected');
  const running = new Set<RebuildJob>();
  const fixture: JobFixture = {
    root,
    store,
    site: loaded.site,
    now,
    async start(extra = {}) {
      const job = await createRebuildJob({
        site: loaded.site, contentDir: store, outputDir: path.join(root, 'public'), maxArticleBytes: 65536, feedItemLimit: 50,
        feedCron: '*/5 * * * *', clock: () => fixture.now, logger: pino({ level: 'silent' }), cwd: root, ...extra,
      });
      running.add(job);
      return job;
    },
    async stop(job) {
      running.delete(job);
      await job.close();
    },
    async dispose() {
      for (const job of running) await job.close();
      running.clear();
      await removeTempDir(root);
    },
  };
  return fixture;
}
