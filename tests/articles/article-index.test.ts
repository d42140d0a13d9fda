import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WHOLE_STORE } from '../../src/domain/store-change.ts';
import type { ArticleIndex } from '../../src/articles/article-index.ts';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import { formatProblem } from '../../src/domain/problem.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { listArticleFiles, readArticleFile } from '../../src/store/read-store.ts';
import { SAMPLE_STORE, makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';
import { SITE, articleText } from './sample-site.ts';

let root: string;
let store: string;
beforeEach(async () => {
  root = await makeTempDir();
  store = path.join(root, 'content');
  await fs.mkdir(store);
});
afterEach(async () => {
  await removeTempDir(root);
});

function indexOf(maxArticleBytes = 64 * 1024): ArticleIndex {
  return createArticleIndex({ contentDir: store, site: SITE, maxArticleBytes, cwd: root });
}

describe('ArticleIndex, first refresh', () => {
  it('loads the sample store, newest first, skipping ignored files', async () => {
    await fs.cp(SAMPLE_STORE, store, { recursive: true });
    const site = await loadSite(store);
    if (!site.ok) throw new Error(site.problems.map(formatProblem).join('\n'));
    const set = (await createArticleIndex({ contentDir: store, site: site.site, maxArticleBytes: 65536, cwd: root }).refresh()).set;
    expect(set.problems).toEqual([]);
    expect(set.articles.map((a) => [a.id, a.slug, a.categories[0]?.slug])).toEqual([
      ['2026-11-23-pakistan-diplomacy', 'pakistan-diplomacy', 'general-news'],
      ['sport/cup-final', 'cup-final', 'sport'],
    ]);
    expect(set.articles[0]?.body.html()).toContain('href="https://news.example.com/analysis/talks"');
    expect(set.articles[1]?.image).toEqual({ url: 'https://news.example.com/images/cup.jpg', type: 'image/jpeg' });
    expect(Object.isFrozen(set.articles)).toBe(true);
    expect(Object.isFrozen(set)).toBe(true);
  });

  it('keeps loading when files are bad, reporting each by its path', async () => {
    await writeFiles(store, {
      'good.md': articleText(),
      'no-front-matter.md': 'Just text.\n',
      'bad-date.md': articleText({ published: 'yesterday' }),
      'empty.md': '',
      'binary.md': Buffer.from([0x00, 0x01, 0x02]),
      'latin1.md': Buffer.from(articleText({ title: 'Caf\xe9' }), 'latin1'),
      'big.md': articleText({}, 'x'.repeat(2000)),
      'bom-crlf.md': `\uFEFF${articleText({ id: 'crlf' }).replace(/\n/g, '\r\n')}`,
    });
    await writeFiles(root, { 'outside.md': articleText({ id: 'outside' }) });
    await fs.symlink(path.join(root, 'outside.md'), path.join(store, 'linked-out.md'));
    const set = (await indexOf(1024).refresh()).set;
    expect(set.articles.map((a) => a.id).sort()).toEqual(['crlf', 'good']);
    expect(set.problems.map((p) => p.subject)).toEqual([
      'content/bad-date.md',
      'content/big.md',
      'content/binary.md',
      'content/empty.md',
      'content/latin1.md',
      'content/linked-out.md',
      'content/no-front-matter.md',
    ]);
  });

  it('lets the file whose path sorts first keep a duplicate id, and names both files', async () => {
    // Written in reverse order so that creation order cannot be what decides.
    await writeFiles(store, {
      'world/b.md': articleText({ id: 'same', title: 'B' }),
      'sport/a.md': articleText({ id: 'same', title: 'A' }),
    });
    const set = (await indexOf().refresh()).set;
    expect(set.articles.map((a) => [a.id, a.sourcePath])).toEqual([['same', 'sport/a.md']]);
    expect(set.problems).toEqual([
      {
        subject: 'content/world/b.md',
        field: 'id',
        message: expect.stringMatching(/^id "same" is also the id of content\/sport\/a\.md, which keeps it.*give one of the two articles its own id/),
      },
    ]);
  });

  it('treats ids that publish as the same URI as duplicates', async () => {
    await writeFiles(store, {
      'a.md': articleText({ id: '0f8fad5b-d9cb-469f-a165-70867728950e' }),
      'b.md': articleText({ id: '0F8FAD5B-D9CB-469F-A165-70867728950E' }),
    });
    const set = (await indexOf().refresh()).set;
    expect(set.articles.map((a) => a.sourcePath)).toEqual(['a.md']);
    expect(set.problems.map((p) => p.subject)).toEqual(['content/b.md']);
  });

  it('gives clashing slugs to the earliest published, and a stable suffix to the others', async () => {
    await writeFiles(store, {
      'world/floods.md': articleText({ id: 'late', published: '2026-11-24T09:00:00Z' }),
      'sport/floods.md': articleText({ id: 'early', published: '2026-11-20T09:00:00Z' }),
      'other.md': articleText({ id: 'third', slug: 'floods', published: '2026-11-22T09:00:00Z' }),
    });
    const first = (await indexOf().refresh()).set;
    const slugs = Object.fromEntries(first.articles.map((a) => [a.id, a.slug]));
    expect(slugs.early).toBe('floods');
    expect(slugs.late).toMatch(/^floods-[0-9a-f]{8}$/);
    expect(slugs.third).toMatch(/^floods-[0-9a-f]{8}$/);
    expect(slugs.late).not.toBe(slugs.third);
    expect(new Set(first.articles.map((a) => a.slug)).size).toBe(3);

    // The suffix depends on the article's own id only: removing another clashing article keeps it.
    await fs.rm(path.join(store, 'other.md'));
    const second = (await indexOf().refresh()).set;
    expect(second.articles.find((a) => a.id === 'late')?.slug).toBe(slugs.late);
  });

  it('sorts newest published first, ties by id', async () => {
    await writeFiles(store, {
      'a.md': articleText({ id: 'b-tie', published: '2026-11-23T09:00:00Z' }),
      'b.md': articleText({ id: 'a-tie', published: '2026-11-23T09:00:00Z' }),
      'c.md': articleText({ id: 'old', published: '2026-01-01T00:00:00Z' }),
      'd.md': articleText({ id: 'future', published: '2099-01-01T00:00:00Z', draft: 'true' }),
    });
    expect(((await indexOf().refresh()).set).articles.map((a) => a.id)).toEqual(['future', 'a-tie', 'b-tie', 'old']);
  });
});

describe('ArticleIndex.refresh', () => {
  it('reports additions, edits, removals and category moves, and nothing for untouched or moved files', async () => {
    await writeFiles(store, {
      'keep.md': articleText({ id: 'keep' }),
      'edit.md': articleText({ id: 'edit' }),
      'gone.md': articleText({ id: 'gone' }),
      'move.md': articleText({ id: 'move', category: 'General News' }),
      'rename-me.md': articleText({ id: 'renamed', slug: 'stable' }),
    });
    const index = indexOf();
    const before = (await index.refresh()).set;
    const old = (id: string) => before.articles.find((a) => a.id === id);

    await writeFiles(store, {
      'edit.md': articleText({ id: 'edit', title: 'Edited headline' }),
      'move.md': articleText({ id: 'move', category: 'Sport' }),
      'new.md': articleText({ id: 'new' }),
    });
    await fs.rm(path.join(store, 'gone.md'));
    await fs.mkdir(path.join(store, 'moved'));
    await fs.rename(path.join(store, 'rename-me.md'), path.join(store, 'moved', 'rename-me.md'));

    const { set, changes } = await index.refresh();
    expect(changes.map((c) => [c.id, c.before?.title ?? null, c.after?.title ?? null])).toEqual([
      ['edit', 'Floods close the coast road', 'Edited headline'],
      ['gone', 'Floods close the coast road', null],
      ['move', 'Floods close the coast road', 'Floods close the coast road'],
      ['new', null, 'Floods close the coast road'],
    ]);
    expect(changes.find((c) => c.id === 'move')?.after?.categories.map((c) => c.slug)).toEqual(['sport']);
    expect(changes.find((c) => c.id === 'edit')?.before).toBe(old('edit'));
    expect(set.articles.find((a) => a.id === 'keep')).toBe(old('keep'));
    expect(set.articles.find((a) => a.id === 'renamed')?.sourcePath).toBe('moved/rename-me.md');

    expect((await index.refresh()).changes).toEqual([]);
  });

  it('re-reads only changed files, plus files under hinted paths', async () => {
    await writeFiles(store, { 'world/a.md': articleText({ id: 'a' }), 'world/b.md': articleText({ id: 'b' }), 'c.md': articleText({ id: 'c' }) });
    const index = indexOf();
    const loaded = (await index.refresh()).set;
    const object = (set: typeof loaded, id: string) => set.articles.find((a) => a.id === id);

    // Parsing makes a new object, so identity shows which files were read again.
    const plain = await index.refresh();
    for (const id of ['a', 'b', 'c']) expect(object(plain.set, id)).toBe(object(loaded, id));

    const hinted = await index.refresh({ kind: 'paths', paths: ['./world/'] });
    expect(object(hinted.set, 'a')).not.toBe(object(loaded, 'a'));
    expect(object(hinted.set, 'b')).not.toBe(object(loaded, 'b'));
    expect(object(hinted.set, 'c')).toBe(object(loaded, 'c'));
    // Read again, but equal: not a change.
    expect(hinted.changes).toEqual([]);

    const oneFile = await index.refresh({ kind: 'paths', paths: ['c.md'] });
    expect(object(oneFile.set, 'c')).not.toBe(object(loaded, 'c'));
    expect(object(oneFile.set, 'a')).toBe(object(hinted.set, 'a'));
  });

  it('reports a half-written file, then loads it once it is complete', async () => {
    await writeFiles(store, { 'half.md': '---\ntitle: Floods\ncategory: Gen' });
    const index = indexOf();
    const first = (await index.refresh()).set;
    expect(first.articles).toEqual([]);
    expect(first.problems.map(formatProblem)).toEqual([expect.stringMatching(/^content\/half\.md: front matter is not closed/)]);

    await writeFiles(store, { 'half.md': articleText({ id: 'half' }) });
    const { set, changes } = await index.refresh({ kind: 'paths', paths: ['half.md'] });
    expect(set.problems).toEqual([]);
    expect(set.articles.map((a) => a.id)).toEqual(['half']);
    expect(changes.map((c) => c.id)).toEqual(['half']);
  });

  it('treats a file deleted between listing and reading as gone, without a problem', async () => {
    await writeFiles(store, { 'a.md': articleText({ id: 'a' }), 'b.md': articleText({ id: 'b' }) });
    const listing = await listArticleFiles(store, root);
    await fs.rm(path.join(store, 'b.md'));
    const storeRealPath = await fs.realpath(store);
    const outcomes = await Promise.all(
      listing.files.map((f) => readArticleFile(f.absolutePath, { storeRealPath, maxArticleBytes: 65536, cwd: root })),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['text', 'gone']);

    const index = indexOf();
    await index.refresh();
    await fs.rm(path.join(store, 'a.md'));
    const { set, changes } = await index.refresh({ kind: 'paths', paths: ['a.md'] });
    expect(set).toMatchObject({ articles: [], bySlug: [], problems: [] });
    expect(set.byCategory.size).toBe(0);
    expect(changes.map((c) => [c.id, c.after])).toEqual([['a', undefined]]);
  });

  it('runs overlapping calls one after another', async () => {
    await writeFiles(store, { 'a.md': articleText({ id: 'a' }) });
    const index = indexOf();
    const [loaded, refreshed] = await Promise.all([index.refresh().then(({ set }) => set), index.refresh()]);
    expect(loaded.articles.map((a) => a.id)).toEqual(['a']);
    // The second refresh starts after the first finished, so it sees nothing new.
    expect(refreshed.changes).toEqual([]);
  });
});

describe('ArticleIndex.refresh with watcher hints', () => {
  it('looks only at the hinted paths, and a refresh without hints lists the whole store again', async () => {
    await writeFiles(store, { 'world/a.md': articleText({ id: 'a', title: 'A' }), 'world/b.md': articleText({ id: 'b', title: 'B' }) });
    const index = indexOf();
    await index.refresh();

    await writeFiles(store, { 'world/c.md': articleText({ id: 'c', title: 'C' }), 'sport/d.md': articleText({ id: 'd', title: 'D' }) });
    await fs.rm(path.join(store, 'world/a.md'));
    const hinted = await index.refresh({ kind: 'paths', paths: ['world/c.md', 'world/a.md'] });
    // d.md was not hinted: a scoped refresh does not see it, which is what keeps an edit at 100,000 articles cheap.
    expect(hinted.set.articles.map((article) => article.id).sort()).toEqual(['b', 'c']);
    expect(hinted.changes.map((change) => [change.id, Boolean(change.before), Boolean(change.after)])).toEqual([
      ['a', true, false],
      ['c', false, true],
    ]);

    const full = await index.refresh();
    expect(full.set.articles.map((article) => article.id).sort()).toEqual(['b', 'c', 'd']);
  });

  it('treats a hinted folder as everything under it, including its removal', async () => {
    await writeFiles(store, { 'world/a.md': articleText({ id: 'a' }), 'world/deep/b.md': articleText({ id: 'b' }), 'sport/c.md': articleText({ id: 'c' }) });
    const index = indexOf();
    await index.refresh();
    await fs.rm(path.join(store, 'world'), { recursive: true });
    const { set } = await index.refresh({ kind: 'paths', paths: ['world'] });
    expect(set.articles.map((article) => article.id)).toEqual(['c']);
  });

  it('with a storm of changed paths (more than a refresh visits one by one), still finds every edit, addition and removal', async () => {
    await writeFiles(store, { 'world/a.md': articleText({ id: 'a' }), 'world/deep/b.md': articleText({ id: 'b' }), 'sport/c.md': articleText({ id: 'c' }) });
    const index = indexOf();
    await index.refresh();
    const storm = Array.from({ length: 3000 }, (_, i) => `storm-${i}/x`);
    await writeFiles(store, { 'world/deep/b.md': articleText({ id: 'b', title: 'B edited' }), 'news/d.md': articleText({ id: 'd' }) });
    await fs.rm(path.join(store, 'sport'), { recursive: true });
    const { set } = await index.refresh({ kind: 'paths', paths: [...storm, 'world/deep/b.md', 'news/d.md', 'sport'] });
    expect(set.articles.map((article) => article.id).sort()).toEqual(['a', 'b', 'd']);
    expect(set.articles.find((article) => article.id === 'b')?.title).toBe('B edited');
  });

  it('still fails when the store itself is gone, instead of publishing an empty store', async () => {
    await writeFiles(store, { 'world/a.md': articleText({ id: 'a' }) });
    const index = indexOf();
    await index.refresh();
    await fs.rm(store, { recursive: true });
    await expect(index.refresh({ kind: 'paths', paths: ['world/a.md'] })).rejects.toThrow(/content folder/);
  });
});

describe('ArticleIndex.refresh with "." (the cron tick)', () => {
  it('lists the whole store but reads again only files whose stamp changed', async () => {
    await writeFiles(store, { 'a.md': articleText({ id: 'a', title: 'A' }), 'b.md': articleText({ id: 'b', title: 'B' }) });
    const index = indexOf();
    const first = (await index.refresh()).set;
    const b = first.articles.find((article) => article.id === 'b');
    await writeFiles(store, { 'a.md': articleText({ id: 'a', title: 'A, longer now' }), 'c.md': articleText({ id: 'c', title: 'C' }) });
    const { set, patch } = await index.refresh(WHOLE_STORE);
    expect(set.articles.map((article) => article.title).sort()).toEqual(['A, longer now', 'B', 'C']);
    // b.md was not read again: the same object, and the set was patched rather than rebuilt.
    expect(set.articles.find((article) => article.id === 'b')).toBe(b);
    expect(patch?.added.map((article) => article.id).sort()).toEqual(['a', 'c']);
  });
});

