import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import { FEED_FORMATS, feedPath } from '../../src/domain/documents.ts';
import type { Site } from '../../src/domain/site.ts';
import { pathsChanged, WHOLE_STORE } from '../../src/domain/store-change.ts';
import type { SiteBuilderOptions } from '../../src/jobs/build-site.ts';
import { createSiteBuilder } from '../../src/jobs/build-site.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

const SITE_YAML = fixtureSiteYaml(['World', 'Sport']);

const article = (id: string, category: string, published: string, title: string, body = 'Body text.'): string =>
  `---\nid: ${id}\ntitle: ${title}\ncategory: ${category}\npublished: ${published}\n---\n${body}\n`;

/** About `kb` KB of Markdown paragraphs, different for each seed. */
const largeBody = (seed: number, kb: number): string =>
  Array.from({ length: kb * 10 }, (_, index) => `Paragraph ${seed}-${index}: the council met the harbour board, and the ferry timetable was read out in full.\n`).join('\n');

let root: string;
let store: string;
let site: Site;
const now = Date.parse('2026-11-24T12:00:00Z');

beforeEach(async () => {
  root = await makeTempDir();
  store = path.join(root, 'content');
});
afterEach(() => removeTempDir(root));

async function builder(files: Record<string, string>, extra: Partial<SiteBuilderOptions> = {}) {
  await writeFiles(store, { 'site.yaml': SITE_YAML, ...files });
  const loaded = await loadSite(store);
  if (!loaded.ok) throw new Error('fixture site.yaml rejected');
  site = loaded.site;
  return createSiteBuilder({
    site,
    index: createArticleIndex({ contentDir: store, site, maxArticleBytes: 4 * 1024 * 1024, cwd: root }),
    clock: () => now,
    feedItemLimit: 50,
    ttlMinutes: 5,
    ...extra,
  });
}

describe('the site build: partner lint', () => {
  it('lints only the articles an edit changed, and keeps every current finding in the build report', async () => {
    const build = await builder({
      'world/one.md': article('one', 'World', '2026-11-20T09:00:00Z', 'Short one'),
      'world/two.md': article('two', 'World', '2026-11-21T09:00:00Z', 'Short two'),
      'sport/three.md': article('three', 'Sport', '2026-11-22T09:00:00Z', 'A long enough sport headline', '[results](https://example.org/r?utm_source=feed)'),
    });
    const first = await build.build(WHOLE_STORE);
    expect([...first.linted].sort()).toEqual(['sport/three.md', 'world/one.md', 'world/two.md']);
    const findings = (warnings: readonly { subject: string; field?: string }[] | undefined) => (warnings ?? []).filter((warning) => warning.field?.startsWith('lint:')).map((warning) => `${warning.subject} ${warning.field}`);
    expect(findings(first.snapshot.build.warnings)).toEqual(['sport/three.md lint:tracking-parameter', 'world/one.md lint:title-length', 'world/two.md lint:title-length']);

    await writeFiles(store, { 'world/one.md': article('one', 'World', '2026-11-20T09:00:00Z', 'A headline now long enough for partners') });
    const edit = await build.build(pathsChanged(['world/one.md']));
    expect(edit.linted).toEqual(['world/one.md']);
    expect(findings(edit.snapshot.build.warnings)).toEqual(['sport/three.md lint:tracking-parameter', 'world/two.md lint:title-length']);
    // Warnings never hold an article or a feed back.
    expect(edit.snapshot.build.rejectedArticles).toEqual([]);
    expect(edit.snapshot.build.failedDocuments).toEqual([]);
  });
});

describe('the site build: byte budgets', () => {
  it('keeps every subscription document within FEED_BYTE_BUDGET, reports each cut document once, and keeps the reports of feeds it did not rebuild', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 12; index += 1) {
      const day = String(10 + index).padStart(2, '0');
      files[`world/w${index}.md`] = article(`w${index}`, 'World', `2026-11-${day}T09:00:00Z`, `World story number ${index} for the budget`, largeBody(index, 40));
    }
    files['sport/s.md'] = article('s', 'Sport', '2026-11-01T09:00:00Z', 'A small sport story for the budget');
    const budget = 200 * 1024;
    const build = await builder(files, { feedByteBudget: budget });
    const { snapshot } = await build.build(WHOLE_STORE);
    expect(snapshot.build.failedDocuments).toEqual([]);
    for (const scope of [{ kind: 'site' as const }, { kind: 'category' as const, slug: 'world' }]) {
      for (const format of FEED_FORMATS) {
        const document = snapshot.documents.get(feedPath(scope, format));
        expect(document?.body.length, feedPath(scope, format)).toBeLessThanOrEqual(budget);
      }
    }
    const cut = (snapshot.build.warnings ?? []).filter((warning) => warning.field === 'FEED_BYTE_BUDGET').map((warning) => warning.subject).sort();
    expect(cut).toEqual(['atom.xml', 'category/world/atom.xml', 'category/world/feed.json', 'category/world/rss.xml', 'feed.json', 'rss.xml']);

    // An edit in Sport rebuilds the site feed and Sport's, not World's: World's report stays.
    await writeFiles(store, { 'sport/s.md': article('s', 'Sport', '2026-11-01T09:00:00Z', 'A small sport story for the budget, corrected') });
    const after = (await build.build(pathsChanged(['sport/s.md']))).snapshot;
    expect(after.documents.get('category/world/rss.xml')).toBe(snapshot.documents.get('category/world/rss.xml'));
    expect((after.build.warnings ?? []).filter((warning) => warning.field === 'FEED_BYTE_BUDGET').map((warning) => warning.subject).sort()).toEqual(cut);
  });

  it('sends an article over ARTICLE_BYTE_BUDGET with its summary in every feed it is in, and reports it once', async () => {
    const build = await builder(
      {
        'world/big.md': article('big', 'World', '2026-11-20T09:00:00Z', 'A very long investigation into the harbour', largeBody(1, 60)),
        'world/small.md': article('small', 'World', '2026-11-21T09:00:00Z', 'A short report on the harbour board'),
      },
      { articleByteBudget: 50_000 },
    );
    const { snapshot } = await build.build(WHOLE_STORE);
    const reports = (snapshot.build.warnings ?? []).filter((warning) => warning.field === 'ARTICLE_BYTE_BUDGET');
    expect(reports.map((warning) => warning.subject)).toEqual(['world/big.md']);
    for (const documentPath of ['feed.json', 'category/world/feed.json']) {
      const items = (JSON.parse(snapshot.documents.get(documentPath)?.body.toString('utf8') ?? '{}') as { items: { id: string; content_html: string }[] }).items;
      expect(items).toHaveLength(2);
      const big = items.find((item) => item.content_html.includes('Read the full article') || item.content_html.includes('Paragraph 1-300'));
      expect(big?.content_html).toContain('Read the full article');
      expect(big?.content_html).not.toContain('Paragraph 1-300');
    }
    expect(snapshot.documents.get('category/world/rss.xml')?.body.length).toBeLessThan(50_000);
  });
});
