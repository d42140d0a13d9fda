import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import type { Site } from '../../src/domain/site.ts';
import { createSiteBuilder } from '../../src/jobs/build-site.ts';
import { pageRenderers } from '../../src/jobs/page-renderers.ts';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

const SITE_YAML = `title: Test News
description: Fixture store.
language: en
baseUrl: https://news.example.com
tagAuthority: news.example.com,2026
defaultAuthor: Desk
categories:
  - { name: World, description: World news. }
`;
const HOUR = 3_600_000;
const T = Date.parse('2026-11-24T12:00:00Z');
const iso = (at: number): string => new Date(at).toISOString();
const article = (id: string, published: number): string => `---\nid: ${id}\ntitle: Story ${id}\ncategory: World\npublished: ${iso(published)}\n---\nBody.\n`;

let root: string;
let store: string;
let site: Site;
beforeEach(async () => {
  root = await makeTempDir();
  store = path.join(root, 'content');
  await writeFiles(store, {
    'site.yaml': SITE_YAML,
    'world/old.md': article('old', T - 5 * HOUR),
    'world/recent.md': article('recent', T - 20 * 60_000),
    'world/later.md': article('later', T - 10 * 60_000),
  });
  const loaded = await loadSite(store);
  if (!loaded.ok) throw new Error('fixture site.yaml rejected');
  site = loaded.site;
});
afterEach(() => removeTempDir(root));

const itemIds = (snapshot: Snapshot): string[] =>
  (JSON.parse(snapshot.documents.get('feed.json')?.body.toString() ?? '{"items":[]}') as { items: { id: string }[] }).items.map((item) => item.id);

describe('a build after the clock steps back an hour (an NTP correction)', () => {
  it('keeps every article it made public on the air, valid, while a new article dated in the stepped-over hour waits', async () => {
    let now = T;
    const builder = createSiteBuilder({
      site,
      index: createArticleIndex({ contentDir: store, site, maxArticleBytes: 65536, cwd: root }),
      clock: () => now,
      feedItemLimit: 50,
      ttlMinutes: 5,
      pages: pageRenderers,
    });
    const first = (await builder.build(undefined, [])).snapshot;
    expect(itemIds(first)).toHaveLength(3);

    now = T - HOUR;
    await writeFiles(store, { 'world/new.md': article('new', T - 30 * 60_000) });
    const stepped = (await builder.build(first, ['world/new.md'])).snapshot;
    expect(stepped.build.failedDocuments).toEqual([]);
    expect(itemIds(stepped)).toEqual(itemIds(first));
    expect(stepped.findArticle('recent')?.id).toBe('recent');
    expect(stepped.findArticle('new')).toBeUndefined();
    expect(stepped.build.publicArticleCount).toBe(3);

    // A full re-list (the cron tick) decides the same.
    const relisted = (await builder.build(stepped, ['.'])).snapshot;
    expect(itemIds(relisted)).toEqual(itemIds(first));
    expect(relisted.findArticle('later')).toBeDefined();

    // An editor moving `published` of a public article into the future still embargoes it.
    await writeFiles(store, { 'world/later.md': article('later', T + 2 * HOUR) });
    const moved = (await builder.build(relisted, ['world/later.md'])).snapshot;
    expect(moved.findArticle('later')).toBeUndefined();

    now = T - 29 * 60_000;
    const caughtUp = (await builder.build(moved, [])).snapshot;
    expect(caughtUp.findArticle('new')).toBeDefined();
  });
});
