import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleIndex } from '../../src/articles/article-index.ts';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import type { StoreChange } from '../../src/domain/store-change.ts';
import { CLOCK_ONLY, WHOLE_STORE } from '../../src/domain/store-change.ts';
import type { StoreWatcher } from '../../src/store/watch-store.ts';
import { watchStore } from '../../src/store/watch-store.ts';
import { SITE, articleText } from '../articles/sample-site.ts';
import { eventually, makeTempDir, makeTooDeepFolder, removeTempDir, writeFiles } from './temp-dir.ts';

let store: string;
let watcher: StoreWatcher | undefined;
let batches: (readonly string[])[];
let index: ArticleIndex;
/** Each batch as its paths, "." for the whole store. */
const record = (change: StoreChange): void => void batches.push(change.kind === 'paths' ? change.paths : ['.']);

beforeEach(async () => {
  store = await makeTempDir();
  await writeFiles(store, {
    'site.yaml': 'title: x\n',
    'world/a.md': articleText({ id: 'a', title: 'A one' }),
    'world/b.md': articleText({ id: 'b' }),
    'sport/c.md': articleText({ id: 'c', category: 'Sport' }),
  });
  batches = [];
  index = createArticleIndex({ contentDir: store, site: SITE, maxArticleBytes: 65536, cwd: store });
  await index.refresh();
  watcher = await watchStore(store, record, { debounceMs: 100 });
});

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  await removeTempDir(store);
});

/** Waits for a batch naming every one of `paths`, then refreshes the index with all batches so far. */
async function settle(...paths: string[]) {
  await eventually(() => {
    const seen = new Set(batches.flat());
    return paths.every((p) => seen.has(p)) ? true : undefined;
  }, `a batch naming ${paths.join(', ')}`);
  return index.refresh(changeSoFar());
}

/** Whether a batch after the `mark`-th names `storePath` or a folder holding it (what a refresh lists again). */
function coveredSince(mark: number, storePath: string): boolean {
  return batches.slice(mark).some((batch) => batch.some((hint) => hint === '.' || hint === storePath || storePath.startsWith(`${hint}/`)));
}

/**
 * Edits each of `storePaths` (written once already) and waits for batches after the edits that
 * cover them, twice: an edit after the first ones were reported can only be seen through a watch
 * on its folder. Several folders, as each one made before its parent's watch is on is missed by
 * the system's watcher only some of the time.
 */
async function expectEditsSeen(storePaths: readonly string[]): Promise<void> {
  for (const title of ['Edited once', 'Edited twice']) {
    const mark = batches.length;
    for (const storePath of storePaths) await fs.writeFile(path.join(store, storePath), articleText({ id: idOf(storePath), title }));
    await eventually(() => (storePaths.every((storePath) => coveredSince(mark, storePath)) ? true : undefined), `batches covering the edits of ${storePaths.join(', ')}`);
  }
  const { set } = await index.refresh(changeSoFar());
  for (const storePath of storePaths) expect(set.articles.find((a) => a.id === idOf(storePath))?.title).toBe('Edited twice');
}

const idOf = (storePath: string): string => storePath.replace(/[/.]/g, '-');

const run = promisify(execFile);

/** Every batch so far as one change ('.' stands for a batch that asked for the whole store). */
function changeSoFar(): StoreChange {
  const hints = batches.flat();
  if (hints.includes('.')) return WHOLE_STORE;
  return hints.length === 0 ? CLOCK_ONLY : { kind: 'paths', paths: hints };
}

const ids = (set: { articles: readonly { id: string }[] }) => set.articles.map((a) => a.id).sort();

describe('watchStore', () => {
  it('reports a created file, and only it (the initial scan is silent)', async () => {
    await writeFiles(store, { 'world/new.md': articleText({ id: 'new' }) });
    const { set } = await settle('world/new.md');
    expect(batches[0]).toEqual(['world/new.md']);
    expect(ids(set)).toEqual(['a', 'b', 'c', 'new']);
  });

  it('reports an edited file', async () => {
    await fs.writeFile(path.join(store, 'world/a.md'), articleText({ id: 'a', title: 'A two' }));
    const { set, changes } = await settle('world/a.md');
    expect(set.articles.find((a) => a.id === 'a')?.title).toBe('A two');
    expect(changes.map((c) => c.id)).toEqual(['a']);
  });

  it('reports both names of a renamed file', async () => {
    await fs.rename(path.join(store, 'world/b.md'), path.join(store, 'world/b2.md'));
    const { set } = await settle('world/b.md', 'world/b2.md');
    expect(set.articles.find((a) => a.id === 'b')?.sourcePath).toBe('world/b2.md');
  });

  it('reports a deleted file', async () => {
    await fs.rm(path.join(store, 'world/b.md'));
    const { set } = await settle('world/b.md');
    expect(ids(set)).toEqual(['a', 'c']);
  });

  it('reports a deleted folder', async () => {
    await fs.rm(path.join(store, 'world'), { recursive: true });
    const { set } = await settle('world');
    expect(ids(set)).toEqual(['c']);
  });

  it('reports a renamed folder', async () => {
    await fs.rename(path.join(store, 'sport'), path.join(store, 'sports'));
    const { set } = await settle('sport', 'sports');
    expect(set.articles.find((a) => a.id === 'c')?.sourcePath).toBe('sports/c.md');
  });

  it('reports a save-by-rename (write a temporary file, rename it over the article) as the article', async () => {
    const temp = path.join(store, 'world/.a.md.tmp');
    await fs.writeFile(temp, articleText({ id: 'a', title: 'A saved atomically' }));
    await fs.rename(temp, path.join(store, 'world/a.md'));
    const { set } = await settle('world/a.md');
    expect(set.articles.find((a) => a.id === 'a')?.title).toBe('A saved atomically');
    expect(batches.flat().some((p) => p.includes('.tmp'))).toBe(false);
  });

  it('ignores editor temp and backup files', async () => {
    await writeFiles(store, { 'world/a.md~': 'x', 'world/.a.md.swp': 'x', 'world/4913': 'x', 'world/_draft.md': 'x', 'world/z.md': articleText({ id: 'z' }) });
    await settle('world/z.md');
    expect(batches.flat()).toEqual(['world/z.md']);
  });

  it('debounces a burst into one batch', async () => {
    // A longer quiet period than the other tests, so that a slow machine writing the burst
    // cannot fall quiet half-way.
    await watcher?.close();
    watcher = await watchStore(store, record, { debounceMs: 500 });
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`burst/n${String(i).padStart(2, '0')}.md`] = articleText({ id: `n${i}` });
    await writeFiles(store, files);
    // The contract, not the system's event order: the folder is named (the files inside it may
    // be, or not, depending on when the system's watch on it began), and a refresh with what the
    // batches named finds every article.
    await eventually(() => (batches.some((batch) => batch.includes('burst')) ? true : undefined), 'a batch naming the new folder');
    const { set } = await index.refresh(changeSoFar());
    expect(set.articles).toHaveLength(23);
    // Without debouncing, twenty writes would give about twenty batches.
    expect(batches.length).toBeLessThan(Object.keys(files).length);
  });

  describe('watches every folder of a tree created at once', () => {
    it('by mkdir -p, three levels deep', async () => {
      const deepest = Array.from({ length: 16 }, (_, i) => `t${i}/sub/deeper/x.md`);
      await run('mkdir', ['-p', ...deepest.map((storePath) => path.dirname(path.join(store, storePath)))]);
      for (const storePath of deepest) await fs.writeFile(path.join(store, storePath), articleText({ id: idOf(storePath) }));
      await eventually(() => (deepest.every((storePath) => coveredSince(0, storePath)) ? true : undefined), 'batches naming the new trees');
      await expectEditsSeen(deepest);
    });

    it('by cp -r of a 200-file section', async () => {
      const source = await makeTempDir();
      try {
        const files: Record<string, string> = {};
        const folders = (i: number) => `y2026/m${String(i % 4).padStart(2, '0')}/d${i % 3}`;
        for (let i = 0; i < 200; i++) files[`${folders(i)}/n${i}.md`] = articleText({ id: `s${i}` });
        await writeFiles(source, files);
        await run('cp', ['-r', source, path.join(store, 'section')]);
        await eventually(() => (coveredSince(0, 'section') ? true : undefined), 'a batch naming the copied section');
        const edited = Array.from({ length: 12 }, (_, i) => `section/${folders(i)}/x.md`);
        for (const storePath of edited) await fs.writeFile(path.join(store, storePath), articleText({ id: idOf(storePath) }));
        await expectEditsSeen(edited);
        const { set } = await index.refresh(changeSoFar());
        expect(set.articles).toHaveLength(3 + 200 + edited.length);
      } finally {
        await removeTempDir(source);
      }
    });

    it('by a git checkout of a branch that adds folders', async () => {
      const git = (...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: store });
      await git('init', '-q');
      await git('add', '-A');
      await git('commit', '-q', '-m', 'base');
      await git('checkout', '-q', '-b', 'adds');
      const added = Array.from({ length: 16 }, (_, i) => `region/r${i % 4}/c${i}/x.md`);
      await writeFiles(store, Object.fromEntries(added.map((storePath) => [storePath, articleText({ id: idOf(storePath) })])));
      await git('add', '-A');
      await git('commit', '-q', '-m', 'adds folders');
      // Waited for, or the system's watcher may fold the creation and the removal into nothing.
      await eventually(() => (coveredSince(0, 'region') ? true : undefined), 'a batch naming the new folder');
      const mark = batches.length;
      await git('checkout', '-q', 'main');
      await eventually(() => (coveredSince(mark, 'region') ? true : undefined), 'a batch naming the removed folder');
      await git('checkout', '-q', 'adds');
      await expectEditsSeen(added);
    });
  });

  it('starts with a folder past the path length limit, reports it, and watches the rest', async () => {
    await watcher?.close();
    await makeTooDeepFolder(path.join(store, 'deep'));
    watcher = await watchStore(store, record, { debounceMs: 100, cwd: store });
    expect(watcher.problems()).toEqual([expect.objectContaining({ subject: expect.stringMatching(/^deep\/(aaaaaaaaaa\/)+aaaaaaaaaa$/), message: expect.stringMatching(/longer than the system accepts/) })]);
    await writeFiles(store, { 'world/new.md': articleText({ id: 'new' }) });
    await settle('world/new.md');
  });

  it('reports a folder past the path length limit made while running, and watches the rest', async () => {
    await makeTooDeepFolder(path.join(store, 'deep'));
    await eventually(() => (watcher?.problems().length ? true : undefined), 'the folder reported');
    const mark = batches.length;
    await fs.writeFile(path.join(store, 'world/a.md'), articleText({ id: 'a', title: 'A later' }));
    await eventually(() => (coveredSince(mark, 'world/a.md') ? true : undefined), 'a batch naming the edit');
  });

  it('watches a store reached through a symbolic link to its folder', async () => {
    await watcher?.close();
    const link = `${store}-current`;
    await fs.symlink(store, link);
    try {
      watcher = await watchStore(link, record, { debounceMs: 100 });
      await writeFiles(store, { 'world/new.md': articleText({ id: 'new' }) });
      await settle('world/new.md');
    } finally {
      await fs.rm(link);
    }
  });

  it('hands an exception thrown by onBatch to onError instead of crashing', async () => {
    await watcher?.close();
    const errors: Error[] = [];
    watcher = await watchStore(
      store,
      () => {
        throw new Error('consumer failed');
      },
      { debounceMs: 50, onError: (error) => errors.push(error) },
    );
    await writeFiles(store, { 'world/x.md': articleText({ id: 'x' }) });
    const [error] = await eventually(() => (errors.length > 0 ? errors : undefined), 'the error');
    expect(error?.message).toBe('consumer failed');
  });
});
