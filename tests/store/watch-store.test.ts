import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleIndex } from '../../src/articles/article-index.ts';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import type { StoreWatcher } from '../../src/store/watch-store.ts';
import { watchStore } from '../../src/store/watch-store.ts';
import { SITE, articleText } from '../articles/sample-site.ts';
import { eventually, makeTempDir, removeTempDir, writeFiles } from './temp-dir.ts';

let store: string;
let watcher: StoreWatcher | undefined;
let batches: (readonly string[])[];
let index: ArticleIndex;

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
  await index.loadAll();
  watcher = await watchStore(store, (paths) => batches.push(paths), { debounceMs: 100 });
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
  return index.refresh(batches.flat());
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
    watcher = await watchStore(store, (paths) => batches.push(paths), { debounceMs: 500 });
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`burst/n${String(i).padStart(2, '0')}.md`] = articleText({ id: `n${i}` });
    await writeFiles(store, files);
    const first = await eventually(() => batches[0], 'the first batch');
    // Without debouncing, the first batch would hold one path.
    expect(first).toEqual(expect.arrayContaining(['burst', ...Object.keys(files)]));
    const { set } = await index.refresh(first);
    expect(set.articles).toHaveLength(23);
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
