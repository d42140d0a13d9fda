import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeEntry } from '../../src/domain/change-entry.ts';
import type { Site } from '../../src/domain/site.ts';
import { CLOCK_ONLY, pathsChanged, WHOLE_STORE } from '../../src/domain/store-change.ts';
import type { RebuildJob, RebuildJobOptions } from '../../src/jobs/rebuild.ts';
import { createRebuildJob } from '../../src/jobs/rebuild.ts';
import type { ChangeJournal } from '../../src/state/durable-state.ts';
import { openChangeJournalFile } from '../../src/state/change-journal-file.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';

const SITE_YAML = fixtureSiteYaml(['World', 'Tech']);
interface StoryFields {
  readonly title?: string;
  readonly category?: string;
  readonly published?: string;
  readonly updated?: string;
}
const story = (id: string, fields: StoryFields = {}): string =>
  `---\nid: ${id}\ntitle: ${fields.title ?? `Story ${id}`}\ncategory: ${fields.category ?? 'World'}\npublished: ${fields.published ?? '2026-11-20T09:00:00Z'}\n` +
  `${fields.updated === undefined ? '' : `updated: ${fields.updated}\n`}---\nBody of ${id}.\n`;
const NOW = Date.parse('2026-11-24T12:00:00Z');
const HOUR = 3_600_000;

let root: string;
let store: string;
let output: string;
let site: Site;
let now: number;
const jobs: RebuildJob[] = [];

beforeEach(async () => {
  root = await makeTempDir();
  store = path.join(root, 'content');
  output = path.join(root, 'public');
  now = NOW;
  await writeFiles(store, { 'site.yaml': SITE_YAML, 'world/one.md': story('one'), 'world/two.md': story('two', { published: '2026-11-21T09:00:00Z' }) });
  const loaded = await loadSite(store);
  if (!loaded.ok) throw new Error('fixture site.yaml rejected');
  site = loaded.site;
});
afterEach(async () => {
  for (const job of jobs.splice(0)) await job.close();
  await removeTempDir(root);
});

async function startJob(extra: Partial<RebuildJobOptions> = {}): Promise<RebuildJob> {
  const job = await createRebuildJob({
    site, contentDir: store, outputDir: output, maxArticleBytes: 65536, feedItemLimit: 50, feedCron: '*/5 * * * *',
    clock: () => now, logger: pino({ level: 'silent' }), cwd: root, ...extra,
  });
  jobs.push(job);
  return job;
}

async function stopJob(job: RebuildJob): Promise<void> {
  jobs.splice(jobs.indexOf(job), 1);
  await job.close();
}

async function entriesAfter(job: RebuildJob, after: number): Promise<readonly ChangeEntry[]> {
  return job.journal.read({ after, limit: 1000 });
}

const summary = (entries: readonly ChangeEntry[]): string[] => entries.map((entry) => `${entry.seq} ${entry.change} ${entry.article.id}`);

describe('the rebuild job journals what it publishes', () => {
  it('journals every public article once at the first build, ordered by id, with the version as published', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    const entries = await entriesAfter(job, 0);
    expect(summary(entries)).toEqual(['1 published one', '2 published two']);
    expect(entries[0]).toMatchObject({ at: NOW, scopes: ['world'], article: { title: 'Story one', contentHtml: '<p>Body of one.</p>', sourcePath: 'world/one.md', published: Date.parse('2026-11-20T09:00:00Z') } });
  });

  it('an edit that moves `updated` is exactly one `revised` entry; a new file one `published`', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    const head = await job.journal.head();
    await writeFile(path.join(store, 'world/one.md'), story('one', { title: 'Story one, revised', updated: '2026-11-24T11:00:00Z' }));
    await writeFiles(store, { 'world/three.md': story('three') });
    await job.rebuild(pathsChanged(['world/one.md', 'world/three.md']));
    const entries = await entriesAfter(job, head);
    expect(summary(entries)).toEqual([`${head + 1} revised one`, `${head + 2} published three`]);
    // Dated as the feeds show it: a new wording is stamped with the moment it was first seen.
    expect(entries[0]?.article).toMatchObject({ title: 'Story one, revised', updated: NOW });
    expect(job.current()?.findArticle('one')?.updated).toBe(NOW);
    // Rebuilding the same store again publishes no change.
    await job.rebuild(WHOLE_STORE);
    expect(await job.journal.head()).toBe(head + 2);
  });

  it('a category change is one `recategorised` entry listed under both categories', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    const head = await job.journal.head();
    await writeFile(path.join(store, 'world/one.md'), story('one', { category: 'Tech' }));
    await job.rebuild(pathsChanged(['world/one.md']));
    const entries = await entriesAfter(job, head);
    expect(summary(entries)).toEqual([`${head + 1} recategorised one`]);
    expect(entries[0]?.scopes).toEqual(['tech', 'world']);
    expect(summary(await job.journal.read({ after: head, limit: 10, category: 'world' }))).toEqual([`${head + 1} recategorised one`]);
  });

  it('a deleted public article is one `retracted` entry holding its last version; a file that stops parsing is none', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    const head = await job.journal.head();
    await rm(path.join(store, 'world/two.md'));
    await writeFile(path.join(store, 'world/one.md'), story('one', { published: 'yesterday' }));
    await job.rebuild(pathsChanged(['world/two.md', 'world/one.md']));
    const entries = await entriesAfter(job, head);
    expect(summary(entries)).toEqual([`${head + 1} retracted two`]);
    expect(entries[0]?.article).toMatchObject({ id: 'two', title: 'Story two' });
    // The file restored: a new public change with the same id.
    await writeFiles(store, { 'world/two.md': story('two', { published: '2026-11-21T09:00:00Z' }) });
    await job.rebuild(pathsChanged(['world/two.md']));
    expect(summary(await entriesAfter(job, head + 1))).toEqual([`${head + 2} published two`]);
  });

  it('journals nothing for an article that fails validation, and `published` once it is fixed', async () => {
    const job = await startJob();
    await job.rebuild(WHOLE_STORE);
    const head = await job.journal.head();
    await writeFiles(store, { 'world/bad.md': story('bad', { published: '2026-13-45' }) });
    const outcome = await job.rebuild(pathsChanged(['world/bad.md']));
    expect(outcome.ok && outcome.snapshot.build.rejectedArticles.length).toBeGreaterThan(0);
    expect(await job.journal.head()).toBe(head);
    await writeFiles(store, { 'world/bad.md': story('bad') });
    await job.rebuild(pathsChanged(['world/bad.md']));
    expect(summary(await entriesAfter(job, head))).toEqual([`${head + 1} published bad`]);
  });

  it('an embargo lifting is one `published` entry at its moment', async () => {
    const release = NOW + HOUR;
    await writeFiles(store, { 'world/later.md': story('later', { published: new Date(release).toISOString() }) });
    const job = await startJob();
    const first = await job.rebuild(WHOLE_STORE);
    expect(first.ok && first.snapshot.nextEmbargoAt).toBe(release);
    const head = await job.journal.head();
    expect(summary(await entriesAfter(job, 0)).some((line) => line.endsWith(' later'))).toBe(false);
    now = release;
    await job.rebuild(CLOCK_ONLY);
    const entries = await entriesAfter(job, head);
    expect(summary(entries)).toEqual([`${head + 1} published later`]);
    expect(entries[0]?.at).toBe(release);
  });

  it('a restart with an unchanged store appends nothing; changes made while it was down are appended once', async () => {
    const first = await startJob();
    await first.rebuild(WHOLE_STORE);
    const head = await first.journal.head();
    await stopJob(first);

    const unchanged = await startJob({ restore: true });
    await unchanged.rebuild(WHOLE_STORE);
    expect(await unchanged.journal.head()).toBe(head);
    await stopJob(unchanged);

    await writeFile(path.join(store, 'world/one.md'), story('one', { title: 'Edited while down', updated: '2026-11-24T10:00:00Z' }));
    await rm(path.join(store, 'world/two.md'));
    await writeFiles(store, { 'world/new.md': story('new') });
    const restarted = await startJob({ restore: true });
    await restarted.rebuild(WHOLE_STORE);
    expect(summary(await entriesAfter(restarted, head))).toEqual([`${head + 1} published new`, `${head + 2} revised one`, `${head + 3} retracted two`]);
    await stopJob(restarted);

    const again = await startJob({ restore: true });
    await again.rebuild(WHOLE_STORE);
    expect(await again.journal.head()).toBe(head + 3);
  });

  it('does not publish a build whose changes could not be journaled, says why, and journals them with the next one', async () => {
    const file = await openChangeJournalFile(path.join(root, 'state'));
    let failing = false;
    const journal: ChangeJournal = {
      ...file,
      problems: file.problems,
      append: (records) => (failing ? Promise.reject(new Error('disk full')) : file.append(records)),
    };
    const job = await startJob({ journal });
    const good = await job.rebuild(WHOLE_STORE);
    failing = true;
    await writeFiles(store, { 'world/three.md': story('three') });
    const failed = await job.rebuild(pathsChanged(['world/three.md']));
    expect(failed.ok).toBe(false);
    expect(job.lastBuildError()?.message).toMatch(/disk full/);
    expect(job.current()).toBe(good.ok ? good.snapshot : undefined);
    expect(job.current()?.findArticle('three')).toBeUndefined();

    failing = false;
    // A clock-only build: nothing new is touched, yet the change the failed build saw is journaled.
    const recovered = await job.rebuild(CLOCK_ONLY);
    expect(recovered.ok && recovered.snapshot.findArticle('three')).toBeTruthy();
    expect(summary(await entriesAfter(job, 2))).toEqual(['3 published three']);
  });
});
