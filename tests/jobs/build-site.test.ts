import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import type { Site } from '../../src/domain/site.ts';
import type { SiteBuilder } from '../../src/jobs/build-site.ts';
import { createSiteBuilder } from '../../src/jobs/build-site.ts';
import { pathsChanged, CLOCK_ONLY, WHOLE_STORE } from '../../src/domain/store-change.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';

const SITE_YAML = fixtureSiteYaml(['World', 'Sport']);

const article = (id: string, category: string, published: string, extra = '', body = 'Body text.'): string =>
  `---\nid: ${id}\ntitle: Story ${id}\ncategory: ${category}\npublished: ${published}\n${extra}---\n${body}\n`;

let root: string;
let store: string;
let site: Site;
let now: number;

beforeEach(async () => {
  root = await makeTempDir();
  store = path.join(root, 'content');
  await writeFiles(store, {
    'site.yaml': SITE_YAML,
    'world/one.md': article('one', 'World', '2026-11-20T09:00:00Z'),
    'world/two.md': article('two', 'World', '2026-11-21T09:00:00Z'),
    'sport/three.md': article('three', 'Sport', '2026-11-22T09:00:00Z'),
  });
  const loaded = await loadSite(store);
  if (!loaded.ok) throw new Error('fixture site.yaml rejected');
  site = loaded.site;
  now = Date.parse('2026-11-24T12:00:00Z');
});
afterEach(() => removeTempDir(root));

function builder(): SiteBuilder {
  return createSiteBuilder({
    site,
    index: createArticleIndex({ contentDir: store, site, maxArticleBytes: 65536, cwd: root }),
    clock: () => now,
    feedItemLimit: 50,
    ttlMinutes: 5,
  });
}

const ids = (snapshot: Snapshot, documentPath: string): string[] =>
  (JSON.parse(snapshot.documents.get(documentPath)!.body.toString()) as { items: { id: string }[] }).items.map((item) => item.id);

describe('createSiteBuilder', () => {
  it('builds byte-identical documents from the same store, whatever builder or day', async () => {
    const first = (await builder().build(WHOLE_STORE)).snapshot;
    now += 86_400_000;
    const second = (await builder().build(WHOLE_STORE)).snapshot;
    expect([...second.documents.keys()].sort()).toEqual([...first.documents.keys()].sort());
    for (const [documentPath, document] of first.documents) expect(second.documents.get(documentPath)?.etag, documentPath).toBe(document.etag);
  });

  it('after an edit republishes only the feeds that show the article, keeping the others as they were', async () => {
    const build = builder();
    const before = (await build.build(WHOLE_STORE)).snapshot;
    await writeFiles(store, { 'world/one.md': article('one', 'World', '2026-11-20T09:00:00Z', '', 'Corrected body.') });
    const { snapshot: after, changedPaths } = await build.build(pathsChanged(['world/one.md']));

    for (const unchanged of ['category/sport/rss.xml', 'category/sport/atom.xml', 'category/sport/feed.json', 'category/sport/index.html']) {
      expect(after.documents.get(unchanged), unchanged).toBe(before.documents.get(unchanged));
    }
    for (const changed of ['rss.xml', 'atom.xml', 'feed.json', 'category/world/rss.xml', 'category/world/atom.xml', 'category/world/feed.json']) {
      expect(after.documents.get(changed)?.etag, changed).not.toBe(before.documents.get(changed)?.etag);
      expect(changedPaths).toContain(changed);
    }
  });

  it('after an edit that moves the site\'s newest date keeps the documents of every category it does not touch, empty ones included', async () => {
    const empties = Array.from({ length: 20 }, (_, index) => `  - { name: Empty ${index + 1}, description: Nothing yet. }\n`).join('');
    await writeFiles(store, { 'site.yaml': `${SITE_YAML}${empties}` });
    const loaded = await loadSite(store);
    if (!loaded.ok) throw new Error('fixture site.yaml rejected');
    site = loaded.site;
    const build = builder();
    const before = (await build.build(WHOLE_STORE)).snapshot;
    // A correction dated now: the newest date on the whole site moves.
    await writeFiles(store, { 'world/one.md': article('one', 'World', '2026-11-20T09:00:00Z', 'updated: 2026-11-24T11:00:00Z\n', 'Corrected body.') });
    const { snapshot: after, changedPaths } = await build.build(pathsChanged(['world/one.md']));

    const touched = ['rss.xml', 'atom.xml', 'feed.json', 'index.html', 'feeds.opml', 'category/world/rss.xml', 'category/world/atom.xml', 'category/world/feed.json', 'category/world/index.html'];
    expect([...changedPaths].sort()).toEqual([...touched].sort());
    expect(after.documents.size).toBe(before.documents.size);
    for (const [documentPath, document] of before.documents) {
      if (!touched.includes(documentPath)) expect(after.documents.get(documentPath), documentPath).toBe(document);
    }
  });

  it('keeps an embargoed article out until its moment, and a draft out for good', async () => {
    await writeFiles(store, {
      'world/embargoed.md': article('embargoed', 'World', '2026-11-24T13:00:00Z'),
      'world/draft.md': article('draft', 'World', '2026-11-01T09:00:00Z', 'draft: true\n'),
    });
    const build = builder();
    now = Date.parse('2026-11-24T12:59:59Z');
    const before = (await build.build(WHOLE_STORE)).snapshot;
    expect(ids(before, 'category/world/feed.json')).not.toContain('tag:news.example.com,2026:embargoed');
    expect(before.nextEmbargoAt).toBe(Date.parse('2026-11-24T13:00:00Z'));
    expect(before.findArticle('embargoed')).toBeUndefined();
    expect(before.findArticle('draft')).toBeUndefined();
    expect(before.findArticle('one')?.id).toBe('one');

    now = Date.parse('2026-11-24T13:00:00.001Z');
    const after = (await build.build(CLOCK_ONLY)).snapshot;
    expect(ids(after, 'category/world/feed.json')[0]).toBe('tag:news.example.com,2026:embargoed');
    expect(ids(after, 'feed.json')).not.toContain('tag:news.example.com,2026:draft');
    expect(after.nextEmbargoAt).toBeUndefined();
    expect(after.findArticle('embargoed')?.id).toBe('embargoed');
    expect(after.findArticle('draft')).toBeUndefined();
  });

  it('keeps the last good version of a document that fails validation while the others update', async () => {
    const index = createArticleIndex({ contentDir: store, site, maxArticleBytes: 65536, cwd: root });
    let failWorld = false;
    const build = createSiteBuilder({
      site,
      index,
      clock: () => now,
      feedItemLimit: 50,
      ttlMinutes: 5,
        validate: (document, context) =>
        failWorld && document.path.startsWith('category/world/')
          ? [{ subject: document.path, field: 'test', message: 'rejected by the test' }]
          : validateFeedDocument(document, context),
    });
    const good = (await build.build(WHOLE_STORE)).snapshot;
    failWorld = true;
    await writeFiles(store, {
      'world/five.md': article('five', 'World', '2026-11-23T10:00:00Z'),
      'sport/four.md': article('four', 'Sport', '2026-11-23T09:00:00Z'),
    });
    const { snapshot } = await build.build(WHOLE_STORE);

    expect(snapshot.build.failedDocuments.map((problem) => problem.subject)).toEqual(['category/world/rss.xml', 'category/world/atom.xml', 'category/world/feed.json']);
    expect(snapshot.documents.get('category/world/rss.xml')).toBe(good.documents.get('category/world/rss.xml'));
    expect(ids(snapshot, 'category/sport/feed.json')[0]).toBe('tag:news.example.com,2026:four');
    expect(ids(snapshot, 'feed.json')[0]).toBe('tag:news.example.com,2026:five');
    expect(snapshot.build.feedCount).toBe(9);

    // Once the document passes again it is published: a failure is retried, not remembered.
    failWorld = false;
    const { snapshot: recovered } = await build.build(CLOCK_ONLY);
    expect(ids(recovered, 'category/world/feed.json')[0]).toBe('tag:news.example.com,2026:five');
  });

  it('holds back an update dated in the future instead of failing every feed that shows it', async () => {
    await writeFiles(store, {
      'world/one.md': article('one', 'World', '2026-11-20T09:00:00Z', 'updated: 2026-12-31T09:00:00Z\n'),
      'world/six.md': article('six', 'World', '2026-11-24T11:00:00Z'),
    });
    const build = builder();
    const { snapshot } = await build.build(WHOLE_STORE);
    expect(snapshot.build.failedDocuments).toEqual([]);
    expect(snapshot.build.rejectedArticles).toEqual([expect.objectContaining({ subject: 'world/one.md', field: 'updated' })]);
    const items = (JSON.parse(snapshot.documents.get('feed.json')!.body.toString()) as { items: { id: string; date_modified: string }[] }).items;
    expect(items[0]?.id).toBe('tag:news.example.com,2026:six');
    expect(items.find((item) => item.id.endsWith(':one'))?.date_modified).toBe('2026-11-20T09:00:00Z');
    expect(snapshot.nextEmbargoAt).toBe(Date.parse('2026-12-31T09:00:00Z'));

    now = Date.parse('2026-12-31T09:00:01Z');
    const later = (await build.build(CLOCK_ONLY)).snapshot;
    const laterItems = (JSON.parse(later.documents.get('feed.json')!.body.toString()) as { items: { id: string; date_modified: string }[] }).items;
    expect(laterItems.find((item) => item.id.endsWith(':one'))?.date_modified).toBe('2026-12-31T09:00:00Z');
  });
});
