import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeEntry } from '../../src/domain/change-entry.ts';
import type { Site } from '../../src/domain/site.ts';
import { CLOCK_ONLY, pathsChanged, WHOLE_STORE } from '../../src/domain/store-change.ts';
import { CONFIRM_FILE_NAME } from '../../src/jobs/deletion-guard.ts';
import type { RebuildJob } from '../../src/jobs/rebuild.ts';
import { createRebuildJob } from '../../src/jobs/rebuild.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

const ARTICLES = 20;
const NOW = Date.parse('2026-11-24T12:00:00Z');
const story = (n: number): string =>
  `---\nid: story-${n}\ntitle: Story number ${n}\ncategory: ${n % 2 === 0 ? 'World' : 'Tech'}\n` +
  `published: 2026-11-${String(1 + n).padStart(2, '0')}T09:00:00Z\n---\nBody of story ${n}.\n`;
const storyPath = (n: number): string => `${n % 2 === 0 ? 'world' : 'tech'}/story-${n}.md`;
const numbers = (from: number, count: number): number[] => Array.from({ length: count }, (_, offset) => from + offset);

let root: string;
let store: string;
let output: string;
let site: Site;
const jobs: RebuildJob[] = [];

beforeEach(async () => {
  now = NOW;
  root = await makeTempDir();
  store = path.join(root, 'content');
  output = path.join(root, 'public');
  const files: Record<string, string> = { 'site.yaml': fixtureSiteYaml(['World', 'Tech']) };
  for (const n of numbers(0, ARTICLES)) files[storyPath(n)] = story(n);
  await writeFiles(store, files);
  const loaded = await loadSite(store);
  if (!loaded.ok) throw new Error('fixture site.yaml rejected');
  site = loaded.site;
});
afterEach(async () => {
  for (const job of jobs.splice(0)) await job.close();
  await removeTempDir(root);
});

let now = NOW;

async function startJob(threshold?: number, deletionGraceMs?: number): Promise<RebuildJob> {
  const job = await createRebuildJob({
    site, contentDir: store, outputDir: output, maxArticleBytes: 65536, feedItemLimit: 50, feedCron: '*/5 * * * *',
    clock: () => now, logger: pino({ level: 'silent' }), cwd: root, restore: true,
    ...(threshold === undefined ? {} : { massDeletionThreshold: threshold }),
    ...(deletionGraceMs === undefined ? {} : { deletionGraceMs }),
  });
  jobs.push(job);
  return job;
}

async function stopJob(job: RebuildJob): Promise<void> {
  jobs.splice(jobs.indexOf(job), 1);
  await job.close();
}

async function retracted(job: RebuildJob): Promise<string[]> {
  const entries: readonly ChangeEntry[] = await job.journal.read({ after: 0, limit: 10_000 });
  return entries.filter((entry) => entry.change === 'retracted').map((entry) => entry.article.id).sort();
}

/** Every document the job serves, as text, by path. */
function served(job: RebuildJob): Map<string, string> {
  const documents = job.current()?.documents ?? new Map();
  return new Map([...documents].map(([documentPath, document]) => [documentPath, document.body.toString('utf8')]));
}

async function deleteStories(list: readonly number[]): Promise<string[]> {
  for (const n of list) await rm(path.join(store, storyPath(n)));
  return list.map(storyPath);
}

async function restoreStories(list: readonly number[]): Promise<string[]> {
  for (const n of list) await writeFiles(store, { [storyPath(n)]: story(n) });
  return list.map(storyPath);
}

async function confirm(fingerprint: string): Promise<void> {
  await writeFile(path.join(output, CONFIRM_FILE_NAME), `${fingerprint}\n`);
}

const VANISHING = numbers(0, 6); // 30% of the store

describe('the deletion guard', () => {
  it('holds a build that would retract 30% of the public articles: nothing retracted, every document unchanged, the hold reported', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    const before = served(job);
    const head = await job.journal.head();
    expect(job.deletionHold()).toBeUndefined();

    await job.rebuild(pathsChanged(await deleteStories(VANISHING)));
    expect(await job.journal.head()).toBe(head);
    expect(served(job)).toEqual(before);
    expect(job.current()?.findArticle('story-3')?.title).toBe('Story number 3');
    const hold = job.deletionHold();
    expect(hold).toMatchObject({ count: 6, since: new Date(NOW).toISOString(), examples: expect.arrayContaining(['world/story-0.md']) });
    expect(hold?.confirm).toContain(hold?.fingerprint);
    expect(hold?.confirm).toContain(path.join(output, CONFIRM_FILE_NAME));

    // The cron tick re-lists the whole store: still held.
    await job.rebuild(WHOLE_STORE);
    expect(await retracted(job)).toEqual([]);
    expect(served(job)).toEqual(before);
    expect(job.deletionHold()?.count).toBe(6);
  });

  it('clears the hold when the files come back, and nothing was retracted', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    const before = served(job);
    const head = await job.journal.head();
    await job.rebuild(pathsChanged(await deleteStories(VANISHING)));
    expect(job.deletionHold()?.count).toBe(6);

    await job.rebuild(pathsChanged(await restoreStories(VANISHING.slice(0, 3))));
    expect(job.deletionHold()?.count).toBe(3);
    await job.rebuild(pathsChanged(await restoreStories(VANISHING.slice(3))));
    expect(job.deletionHold()).toBeUndefined();
    expect(await job.journal.head()).toBe(head);
    expect(served(job)).toEqual(before);
  });

  it('retracts the held articles exactly once each after the operator confirms the hold by its fingerprint; a stale confirmation does nothing', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    await job.rebuild(pathsChanged(await deleteStories(VANISHING)));
    const fingerprint = job.deletionHold()?.fingerprint ?? '';

    // Confirmed for another hold (say, one before a seventh file vanished): not this one.
    await confirm('7-0000000000000000');
    await job.rebuild(CLOCK_ONLY);
    expect(await retracted(job)).toEqual([]);
    expect(job.deletionHold()?.confirmationProblem).toContain(fingerprint);

    await confirm(fingerprint);
    await job.rebuild(CLOCK_ONLY);
    const ids = VANISHING.map((n) => `story-${n}`).sort();
    expect(await retracted(job)).toEqual(ids);
    expect(job.deletionHold()).toBeUndefined();
    expect(job.current()?.findArticle('story-3')).toBeUndefined();
    // The confirmation is used up, and later builds retract nothing again.
    await expect(readFile(path.join(output, CONFIRM_FILE_NAME))).rejects.toThrow();
    await job.rebuild(WHOLE_STORE);
    expect(await retracted(job)).toEqual(ids);
  });

  it('a file that vanishes while a hold lasts joins it, whatever the count', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    await job.rebuild(pathsChanged(await deleteStories(VANISHING)));
    await job.rebuild(pathsChanged(await deleteStories([10])));
    expect(job.deletionHold()?.count).toBe(7);
    expect(await retracted(job)).toEqual([]);
  });

  it('still holds after a restart with the files missing, and the confirmation still works then', async () => {
    const first = await startJob();
    await first.rebuild(WHOLE_STORE);
    const before = served(first);
    await first.rebuild(pathsChanged(await deleteStories(VANISHING)));
    const fingerprint = first.deletionHold()?.fingerprint;
    await stopJob(first);

    const second = await startJob();
    await second.rebuild(WHOLE_STORE);
    expect(await retracted(second)).toEqual([]);
    expect(second.deletionHold()).toMatchObject({ count: 6, fingerprint });
    // Shown as last published, from the journal: the same documents as before the files vanished.
    expect(served(second)).toEqual(before);

    await confirm(fingerprint ?? '');
    await second.rebuild(CLOCK_ONLY);
    expect(await retracted(second)).toEqual(VANISHING.map((n) => `story-${n}`).sort());
  });

  it('holds everything when the content folder is emptied (an unmounted volume)', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    const before = served(job);
    await rm(path.join(store, 'world'), { recursive: true });
    await rm(path.join(store, 'tech'), { recursive: true });
    await job.rebuild(WHOLE_STORE);
    expect(await retracted(job)).toEqual([]);
    expect(job.deletionHold()?.count).toBe(ARTICLES);
    expect(served(job)).toEqual(before);
  });

  it('a missing content folder fails the build: the last feeds stay, nothing is retracted, at run time or at a restart', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    const before = served(job);
    await rename(store, `${store}-away`);
    const outcome = await job.rebuild(WHOLE_STORE);
    expect(outcome.ok).toBe(false);
    expect(job.lastBuildError()?.message).toContain('content folder');
    expect(served(job)).toEqual(before);
    await stopJob(job);

    const restarted = await startJob();
    expect((await restarted.rebuild(WHOLE_STORE)).ok).toBe(false);
    await rename(`${store}-away`, store);
    await restarted.rebuild(WHOLE_STORE);
    expect(await retracted(restarted)).toEqual([]);
  });

  it('lets ordinary deletions through: one article among many, or fewer than five in a small store', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    await job.rebuild(pathsChanged(await deleteStories([7])));
    expect(await retracted(job)).toEqual(['story-7']);
    // 4 of 19 is over 10%, but four deletions are an editor's, not a vanished store.
    await job.rebuild(pathsChanged(await deleteStories([1, 2, 3, 4])));
    expect(await retracted(job)).toEqual(['story-1', 'story-2', 'story-3', 'story-4', 'story-7']);
    expect(job.deletionHold()).toBeUndefined();
  });

  it('with a grace period, a mass deletion the watcher reports in small batches is held, and a small one is retracted once the period ends', async () => {
    const job = await startJob(undefined, 5000);
    await job.rebuild(WHOLE_STORE);
    // One file per build, a second apart: each batch alone is under the threshold and the floor.
    for (const n of VANISHING) {
      now += 1000;
      await job.rebuild(pathsChanged(await deleteStories([n])));
      expect(await retracted(job)).toEqual([]);
    }
    expect(job.deletionHold()?.count).toBe(6);

    await job.rebuild(pathsChanged(await restoreStories(VANISHING)));
    expect(job.deletionHold()).toBeUndefined();
    await job.rebuild(pathsChanged(await deleteStories([10])));
    // Kept as it was until the period ends; the service builds then (deletionDecisionDueAt).
    expect(await retracted(job)).toEqual([]);
    expect(job.current()?.findArticle('story-10')?.title).toBe('Story number 10');
    const due = job.deletionDecisionDueAt() ?? Number.NaN;
    expect(due).toBe(now + 5000);
    now = due;
    await job.rebuild(CLOCK_ONLY);
    expect(await retracted(job)).toEqual(['story-10']);
    expect(job.deletionDecisionDueAt()).toBeUndefined();
    expect(job.deletionHold()).toBeUndefined();
  });

  it('follows MASS_DELETION_THRESHOLD: at 0.5, 30% vanishing is retracted', async () => {
    const job = await startJob(0.5);
    await job.rebuild(WHOLE_STORE);
    await job.rebuild(pathsChanged(await deleteStories(VANISHING)));
    expect(await retracted(job)).toEqual(VANISHING.map((n) => `story-${n}`).sort());
    expect(job.deletionHold()).toBeUndefined();
  });
});
