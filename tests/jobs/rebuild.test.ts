import { access, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import type { RevisionRecord } from '../../src/articles/revision-ledger.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Site } from '../../src/domain/site.ts';
import { CLOCK_ONLY, pathsChanged, WHOLE_STORE } from '../../src/domain/store-change.ts';
import type { RebuildJob, RebuildJobOptions } from '../../src/jobs/rebuild.ts';
import { createCoalescingRunner, createRebuildJob } from '../../src/jobs/rebuild.ts';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { openChangeJournalFile } from '../../src/state/change-journal-file.ts';
import type { RevisionTimes } from '../../src/state/durable-state.ts';
import { REVISION_LEDGER_FILE } from '../../src/state/revision-ledger-file.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';

const SITE_YAML = fixtureSiteYaml(['World']);
const story = (id: string, published: string): string => `---\nid: ${id}\ntitle: Story ${id}\ncategory: World\npublished: ${published}\n---\nBody of ${id}.\n`;
const NOW = Date.parse('2026-11-24T12:00:00Z');

let root: string;
let store: string;
let site: Site;

beforeEach(async () => {
  root = await makeTempDir();
  store = path.join(root, 'content');
  await writeFiles(store, { 'site.yaml': SITE_YAML, 'world/one.md': story('one', '2026-11-20T09:00:00Z') });
  const loaded = await loadSite(store);
  if (!loaded.ok) throw new Error('fixture site.yaml rejected');
  site = loaded.site;
});
afterEach(() => removeTempDir(root));

function jobOptions(outputDir: string, extra: Partial<RebuildJobOptions> = {}): RebuildJobOptions {
  return { site, contentDir: store, outputDir, maxArticleBytes: 65536, feedItemLimit: 50, feedCron: '*/5 * * * *', clock: () => NOW, logger: pino({ level: 'silent' }), cwd: root, ...extra };
}

describe('createRebuildJob', () => {
  it('publishes, mirrors to the output directory and reports how the build ended', async () => {
    const job = await createRebuildJob(jobOptions(path.join(root, 'public')));
    expect(job.current()).toBeUndefined();
    const outcome = await job.rebuild(WHOLE_STORE);
    expect(outcome.ok).toBe(true);
    expect(job.current()?.documents.get('feed.json')?.body.toString()).toContain('tag:news.example.com,2026:one');
    expect(job.lastBuildError()).toBeNull();
  });

  it('never shows a snapshot without the output problems already known, even between the swap and the write', async () => {
    const blocker = path.join(root, 'blocker');
    await writeFile(blocker, 'a file where the output folder should be');
    const seenAtSwap: number[] = [];
    const box: { job?: RebuildJob } = {};
    // The journal is kept elsewhere: without it no build is published at all.
    const journal = await openChangeJournalFile(path.join(root, 'state'));
    const job = await createRebuildJob(jobOptions(path.join(blocker, 'public'), { journal, onPublished: () => seenAtSwap.push(box.job?.current()?.build.outputProblems.length ?? -1) }));
    box.job = job;
    const first = await job.rebuild(WHOLE_STORE);
    expect(first.ok && first.snapshot.build.outputProblems.length).toBeGreaterThan(0);

    await writeFiles(store, { 'world/two.md': story('two', '2026-11-21T09:00:00Z') });
    const second = await job.rebuild(pathsChanged(['world/two.md']));
    expect(second.ok && second.snapshot.build.outputProblems.length).toBeGreaterThan(0);
    // The first swap has nothing known yet; the second must still carry the first build's problems.
    expect(seenAtSwap[1]).toBeGreaterThan(0);
  });

  it('keeps revision times in the store it is given, and dates a later job from them', async () => {
    const kept = new Map<string, RevisionRecord>();
    const revisions: RevisionTimes = {
      load: async () => new Map(kept),
      append: async (records) => {
        for (const [id, record] of records) kept.set(id, record);
      },
    };
    const first = await createRebuildJob(jobOptions(path.join(root, 'first'), { revisions }));
    await first.rebuild(WHOLE_STORE);
    await writeFiles(store, { 'world/one.md': `${story('one', '2026-11-20T09:00:00Z')}A new paragraph.\n` });
    await first.rebuild(pathsChanged(['world/one.md']));
    await first.close();
    expect([...kept.values()].map((record) => record.since)).toEqual([NOW]);
    await expect(access(path.join(root, 'first', REVISION_LEDGER_FILE))).rejects.toThrow();

    // A fresh output folder: only the store given can say the article was revised at NOW.
    const later = await createRebuildJob(jobOptions(path.join(root, 'later'), { revisions }));
    const outcome = await later.rebuild(WHOLE_STORE);
    await later.close();
    const feed = outcome.ok ? (JSON.parse(outcome.snapshot.documents.get('feed.json')?.body.toString() ?? '{}') as { items: { date_modified: string }[] }) : { items: [] };
    expect(feed.items.map((item) => Date.parse(item.date_modified))).toEqual([NOW]);
  });

  it('keeps the last good snapshot and says why when a build fails, and recovers', async () => {
    const job = await createRebuildJob(jobOptions(path.join(root, 'public')));
    const good = await job.rebuild(WHOLE_STORE);
    await rename(store, `${store}-gone`);
    const failed = await job.rebuild(WHOLE_STORE);
    expect(failed.ok).toBe(false);
    expect(job.lastBuildError()?.message).toMatch(/content folder/);
    expect(job.current()).toBe(good.ok ? good.snapshot : undefined);

    await rename(`${store}-gone`, store);
    expect((await job.rebuild(WHOLE_STORE)).ok).toBe(true);
    expect(job.lastBuildError()).toBeNull();
  });

  it('folds calls made during a build into one follow-up that sees every change', async () => {
    const job = await createRebuildJob(jobOptions(path.join(root, 'public')));
    await job.rebuild(WHOLE_STORE);
    await writeFiles(store, { 'world/two.md': story('two', '2026-11-21T09:00:00Z'), 'world/three.md': story('three', '2026-11-22T09:00:00Z') });
    const results = await Promise.all([job.rebuild(CLOCK_ONLY), job.rebuild(pathsChanged(['world/two.md'])), job.rebuild(pathsChanged(['world/three.md']))]);
    const last = results[2];
    const ids = last?.ok ? (JSON.parse(last.snapshot.documents.get('feed.json')?.body.toString() ?? '{}') as { items: { id: string }[] }).items.map((item) => item.id) : [];
    expect(ids).toEqual(['tag:news.example.com,2026:three', 'tag:news.example.com,2026:two', 'tag:news.example.com,2026:one']);
    const published: Snapshot | undefined = job.current();
    expect(published?.documents.get('feed.json')).toBe(last?.ok ? last.snapshot.documents.get('feed.json') : undefined);
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('createCoalescingRunner', () => {
  it('never overlaps and turns many triggers during a slow run into exactly one follow-up', async () => {
    const gates = [deferred(), deferred()];
    let active = 0;
    let maxActive = 0;
    const runs: string[][] = [];
    const runner = createCoalescingRunner<string[]>(async (hints) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      runs.push([...hints]);
      await gates[runs.length - 1]?.promise;
      active -= 1;
    }, (earlier, later) => [...earlier, ...later]);

    const first = runner.trigger(['a']);
    const during = [runner.trigger(['b']), runner.trigger(['c']), runner.trigger(['d'])];
    expect(maxActive).toBe(1);
    gates[0]!.resolve();
    await first;
    gates[1]!.resolve();
    await Promise.all(during);

    expect(runs).toEqual([['a'], ['b', 'c', 'd']]);
    expect(maxActive).toBe(1);
  });

  it('runs again after a failed run and reports the failure to its caller', async () => {
    let calls = 0;
    const runner = createCoalescingRunner<null>(async () => {
      calls += 1;
      if (calls === 1) throw new Error('build failed');
    }, () => null);
    await expect(runner.trigger(null)).rejects.toThrow('build failed');
    await expect(runner.trigger(null)).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it('idle() waits for the follow-up too', async () => {
    const gate = deferred();
    let finished = 0;
    const runner = createCoalescingRunner<null>(async () => {
      await gate.promise;
      finished += 1;
    }, () => null);
    void runner.trigger(null);
    void runner.trigger(null);
    const idle = runner.idle();
    gate.resolve();
    await idle;
    expect(finished).toBe(2);
  });
});
