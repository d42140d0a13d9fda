import { open, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ArticleVersion, ChangeKind, ChangeRecord } from '../../src/domain/change-entry.ts';
import type { ChangeJournal } from '../../src/state/durable-state.ts';
import { CHANGE_JOURNAL_FILE, openChangeJournalFile } from '../../src/state/change-journal-file.ts';
import { makeTempDir, removeTempDir } from '../store/temp-dir.ts';

let dir: string | undefined;
const opened: ChangeJournal[] = [];
beforeEach(async () => {
  dir = await makeTempDir('wirefeed-journal-');
});
afterEach(async () => {
  for (const journal of opened.splice(0)) await journal.close().catch(() => undefined);
  await removeTempDir(dir);
});

async function openJournal(): Promise<ChangeJournal> {
  const journal = await openChangeJournalFile(dir ?? '');
  opened.push(journal);
  return journal;
}

function version(id: string, categories: readonly string[] = ['world'], updated = 1_000): ArticleVersion {
  return {
    id,
    sourcePath: `${id}.md`,
    slug: id,
    title: `Title of ${id}`,
    summary: 'Summary',
    contentHtml: '<p>Body “quoted”</p>',
    categories: categories.map((slug) => ({ name: slug.toUpperCase(), slug })),
    tags: [],
    authors: [{ name: 'A. Writer' }],
    published: 500,
    updated,
  };
}

function record(id: string, change: ChangeKind = 'published', at = 2_000, categories: readonly string[] = ['world']): ChangeRecord {
  return { change, at, scopes: categories, article: version(id, categories) };
}

const seqsOf = (entries: readonly { seq: number }[]): number[] => entries.map((entry) => entry.seq);
const journalFile = (): string => path.join(dir ?? '', CHANGE_JOURNAL_FILE);

describe('change journal file', () => {
  it('numbers appends from 1 and reads them back after a cursor, a page at a time', async () => {
    const journal = await openJournal();
    expect(await journal.head()).toBe(0);
    const first = await journal.append([record('a'), record('b')]);
    expect(seqsOf(first)).toEqual([1, 2]);
    await journal.append([record('c', 'revised', 3_000)]);
    expect(await journal.head()).toBe(3);
    expect(seqsOf(await journal.read({ after: 0, limit: 100 }))).toEqual([1, 2, 3]);
    expect(seqsOf(await journal.read({ after: 1, limit: 1 }))).toEqual([2]);
    expect(await journal.read({ after: 3, limit: 100 })).toEqual([]);
    const [entry] = await journal.read({ after: 2, limit: 1 });
    expect(entry).toEqual({ seq: 3, at: 3_000, change: 'revised', scopes: ['world'], article: version('c') });
  });

  it('reads a category: only the entries listed under it', async () => {
    const journal = await openJournal();
    await journal.append([record('a', 'published', 1, ['world']), record('b', 'published', 1, ['tech']), record('c', 'published', 1, ['tech', 'world'])]);
    await journal.append([record('d', 'published', 2, ['world'])]);
    expect(seqsOf(await journal.read({ after: 0, limit: 100, category: 'world' }))).toEqual([1, 3, 4]);
    expect(seqsOf(await journal.read({ after: 1, limit: 1, category: 'world' }))).toEqual([3]);
    expect(seqsOf(await journal.read({ after: 0, limit: 100, category: 'tech' }))).toEqual([2, 3]);
    expect(await journal.read({ after: 0, limit: 100, category: 'none' })).toEqual([]);
  });

  it('keeps every entry and its numbers across a restart, and goes on from the last one', async () => {
    const journal = await openJournal();
    await journal.append([record('a'), record('b')]);
    await journal.close();
    const again = await openJournal();
    expect(await again.head()).toBe(2);
    expect(seqsOf(await again.append([record('c')]))).toEqual([3]);
    expect((await again.read({ after: 0, limit: 10 })).map((entry) => entry.article.id)).toEqual(['a', 'b', 'c']);
    expect(again.problems).toEqual([]);
  });

  it('removes a torn last line at open and gives its number to the next append, keeping every acknowledged one', async () => {
    const journal = await openJournal();
    await journal.append([record('a')]);
    await journal.append([record('b')]);
    await journal.close();
    const text = await readFile(journalFile(), 'utf8');
    // A crash mid-append: the second line lost its tail.
    await truncate(journalFile(), text.length - 10);
    const again = await openJournal();
    expect(again.problems.join('\n')).toMatch(/cut short by a crash/);
    expect(await again.head()).toBe(1);
    expect(seqsOf(await again.append([record('c')]))).toEqual([2]);
    const entries = await again.read({ after: 0, limit: 10 });
    expect(entries.map((entry) => [entry.seq, entry.article.id])).toEqual([[1, 'a'], [2, 'c']]);
    // The repair is on disk: a second restart finds nothing to repair.
    await again.close();
    expect((await openJournal()).problems).toEqual([]);
  });

  it('removes an append of several entries whole when a crash left only some of its lines', async () => {
    const journal = await openJournal();
    await journal.append([record('a')]);
    await journal.append([record('b'), record('c'), record('d')]);
    await journal.close();
    const lines = (await readFile(journalFile(), 'utf8')).split('\n');
    // Two complete lines of the three-line append reached the file.
    await truncate(journalFile(), Buffer.byteLength(`${lines.slice(0, 3).join('\n')}\n`));
    const again = await openJournal();
    expect(await again.head()).toBe(1);
    expect((await again.lastStates()).has('b')).toBe(false);
    expect(seqsOf(await again.read({ after: 0, limit: 10 }))).toEqual([1]);
  });

  it('skips a damaged line in the middle, reporting it, and never reuses a number', async () => {
    const journal = await openJournal();
    await journal.append([record('a')]);
    await journal.append([record('b')]);
    await journal.close();
    const [first = '', second = ''] = (await readFile(journalFile(), 'utf8')).split('\n');
    await writeFile(journalFile(), `${first}\n{not json\n${second}\n`);
    const again = await openJournal();
    expect(again.problems.join('\n')).toMatch(/damaged and was skipped/);
    expect(seqsOf(await again.read({ after: 0, limit: 10 }))).toEqual([1, 2]);
    expect(seqsOf(await again.append([record('c')]))).toEqual([3]);
  });

  it('makes each append durable with fsync before it resolves', async () => {
    const probe = await open(journalFile(), 'a+');
    const prototype = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const datasync = vi.spyOn(prototype, 'datasync');
    try {
      const journal = await openJournal();
      await journal.append([record('a')]);
      expect(datasync).toHaveBeenCalledTimes(1);
    } finally {
      datasync.mockRestore();
    }
  });

  it('rejects an append that cannot be made durable and keeps none of it', async () => {
    const journal = await openJournal();
    await journal.append([record('a')]);
    const probe = await open(journalFile(), 'r');
    const prototype = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const datasync = vi.spyOn(prototype, 'datasync').mockRejectedValueOnce(new Error('EIO: disk gone'));
    try {
      await expect(journal.append([record('b'), record('c')])).rejects.toThrow(/could not append to the change journal: EIO/);
    } finally {
      datasync.mockRestore();
    }
    expect(await journal.head()).toBe(1);
    expect(seqsOf(await journal.append([record('d')]))).toEqual([2]);
    await journal.close();
    const again = await openJournal();
    expect((await again.read({ after: 0, limit: 10 })).map((entry) => entry.article.id)).toEqual(['a', 'd']);
  });

  it('finds the cursor a replay window starts after, and keeps times from going back', async () => {
    const journal = await openJournal();
    await journal.append([record('a', 'published', 1_000)]);
    await journal.append([record('b', 'published', 5_000)]);
    // A clock that stepped back.
    const [stepped] = await journal.append([record('c', 'published', 4_000)]);
    expect(stepped?.at).toBe(5_000);
    expect(await journal.cursorBefore(0)).toBe(0);
    expect(await journal.cursorBefore(1_001)).toBe(1);
    expect(await journal.cursorBefore(5_000)).toBe(1);
    expect(await journal.cursorBefore(9_000)).toBe(3);
  });

  it('knows what its newest entry says about each article', async () => {
    const journal = await openJournal();
    await journal.append([record('a'), record('b')]);
    await journal.append([record('a', 'recategorised', 3_000, ['tech'])]);
    await journal.close();
    const states = await (await openJournal()).lastStates();
    expect(states.get('a')).toEqual({ seq: 3, change: 'recategorised', updated: 1_000, categories: ['tech'], sourcePath: 'a.md' });
    expect(states.get('b')?.change).toBe('published');
  });
});
