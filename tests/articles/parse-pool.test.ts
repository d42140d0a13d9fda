import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import { loadArticleFile } from '../../src/articles/article-index.ts';
import { createParsePool } from '../../src/articles/parse-pool.ts';
import { generateHostileStore, writeHostileStore } from '../fixtures/generate-hostile-store.ts';
import type { Site } from '../../src/domain/site.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { makeTempDir, removeTempDir } from '../store/temp-dir.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const MAX_ARTICLE_BYTES = 256 * 1024;

let root: string;
let contentDir: string;
let site: Site;
let hostileFiles: string[];

beforeAll(async () => {
  root = await makeTempDir();
  // Enough files for the index to start its threads, with every kind of hostile file among them.
  const store = generateHostileStore({ seed: 11, healthyArticles: 1100, categories: 6, now: NOW, maxArticleBytes: MAX_ARTICLE_BYTES });
  hostileFiles = store.entries.filter((entry) => entry.kind === 'file' && entry.path.startsWith('hostile/')).map((entry) => entry.path);
  contentDir = await writeHostileStore(root, store);
  // Every optional field at least once, so that rebuilding articles from the threads' copies is checked for each.
  const [first, second] = store.categoryNames;
  await writeFile(
    path.join(contentDir, 'hostile', 'every-field.md'),
    `---\nid: every-field\ntitle: Every field\ncategories: [${first}, ${second}]\npublished: 2026-11-20T09:00:00+01:00\nupdated: 2026-11-21T09:00:00Z\n` +
      `authors: [{ name: Ada, url: 'https://example.com/ada', email: ada@example.com }, Bo]\nsummary: Given summary.\ntags: [ports, ferries]\n` +
      `image: /media/ferry.jpg\nurl: https://www.example-gazette.com/every-field\nslug: every-field-page\n---\nBody with [a link](https://example.com).\n`,
  );
  const loaded = await loadSite(contentDir);
  if (!loaded.ok) throw new Error('hostile store site.yaml rejected');
  site = loaded.site;
});
afterAll(() => removeTempDir(root));

describe('createParsePool', () => {
  // Parses 1,100 hostile files twice: on a machine shared with other suites that takes longer than the default 30 s.
  it('loads a store on threads to exactly the set it gives when parsed inline', { timeout: 120_000 }, async () => {
    const inline = (await createArticleIndex({ contentDir, site, maxArticleBytes: MAX_ARTICLE_BYTES, cwd: root, parseThreads: 0 }).refresh()).set;
    const threaded = (await createArticleIndex({ contentDir, site, maxArticleBytes: MAX_ARTICLE_BYTES, cwd: root, parseThreads: 2 }).refresh()).set;
    expect(inline.articles.length).toBeGreaterThan(1000);
    expect(inline.problems.length).toBeGreaterThan(10);
    expect(inline.articles.find((article) => article.id === 'every-field')).toMatchObject({ url: 'https://www.example-gazette.com/every-field', slug: 'every-field-page', image: { type: 'image/jpeg' } });
    // JSON shows bodies as their HTML (ArticleBody.toJSON), so this compares every field's value.
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(inline));
    expect(Object.isFrozen(threaded.articles[0])).toBe(true);
    expect(threaded.articles[0]?.body.html()).toBe(inline.articles[0]?.body.html());
  });

  it('answers each file as loadArticleFile does, including a file deleted meanwhile', async () => {
    const storeRealPath = contentDir;
    const context = { site, storeRealPath, maxArticleBytes: MAX_ARTICLE_BYTES, cwd: root };
    const pool = createParsePool(context, 2);
    try {
      const files = ['hostile/gone.md', ...hostileFiles].map((name) => ({ absolutePath: path.join(contentDir, name), storePath: name, displayPath: `content/${name}` }));
      expect(files.length).toBeGreaterThan(20);
      for (const file of files) {
        expect(JSON.stringify(await pool.load(file)), file.storePath).toBe(JSON.stringify(await loadArticleFile(file, context)));
      }
      expect(await pool.load(files[0]!)).toBeUndefined();
    } finally {
      await pool.close();
    }
  });

  it('refuses work once closed, so a caller can fall back to loading inline', async () => {
    const pool = createParsePool({ site, storeRealPath: contentDir, maxArticleBytes: MAX_ARTICLE_BYTES, cwd: root }, 1);
    await pool.close();
    await expect(pool.load({ absolutePath: path.join(contentDir, 'x.md'), storePath: 'x.md', displayPath: 'content/x.md' })).rejects.toThrow(/closed/);
  });
});

