import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import { WHOLE_STORE } from '../../src/domain/store-change.ts';
import { createSiteBuilder } from '../../src/jobs/build-site.ts';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

/** An English site with an Arabic category, built from files through the real index, builder and validation. */
const SITE_YAML = `${fixtureSiteYaml(['World'])}  - { name: Egypt, description: أخبار مصر, language: ar }\n`;

const story = (id: string, category: string, published: string, extra = '', body = 'Body text.'): string =>
  `---\nid: ${id}\ntitle: Story ${id}\ncategory: ${category}\npublished: ${published}\n${extra}---\n${body}\n`;

let root: string;

beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(() => removeTempDir(root));

async function build(files: Readonly<Record<string, string>>): Promise<Snapshot> {
  const store = path.join(root, 'content');
  await writeFiles(store, { 'site.yaml': SITE_YAML, ...files });
  const loaded = await loadSite(store);
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  const site = loaded.site;
  const index = createArticleIndex({ contentDir: store, site, maxArticleBytes: 65536, cwd: root });
  const builder = createSiteBuilder({ site, index, clock: () => Date.parse('2026-11-24T12:00:00Z'), feedItemLimit: 50, ttlMinutes: 15 });
  return (await builder.build(WHOLE_STORE)).snapshot;
}

const text = (snapshot: Snapshot, documentPath: string): string => snapshot.documents.get(documentPath)?.body.toString('utf8') ?? '';

describe('site build: languages', () => {
  it("puts a category's feeds in its language, wraps right-to-left items in every format, and keeps them out of the site feed", async () => {
    const snapshot = await build({
      'egypt/nile.md': story('nile', 'Egypt', '2026-11-22T09:00:00Z', '', 'النيل يفيض.'),
      'world/one.md': story('one', 'World', '2026-11-21T09:00:00Z'),
    });
    expect(snapshot.build.failedDocuments).toEqual([]);
    expect(snapshot.build.rejectedArticles).toEqual([]);
    const rss = text(snapshot, 'category/egypt/rss.xml');
    expect(rss).toContain('<language>ar</language>');
    expect(rss).toContain('&lt;div dir="rtl" lang="ar"&gt;&lt;p&gt;النيل يفيض.&lt;/p&gt;&lt;/div&gt;');
    const atom = text(snapshot, 'category/egypt/atom.xml');
    expect(atom).toMatch(/^<\?xml[^>]*>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="ar"/);
    expect(atom).toContain('<div dir="rtl" lang="ar"><p>النيل يفيض.</p></div>');
    const json = JSON.parse(text(snapshot, 'category/egypt/feed.json')) as { language: string; items: { content_html: string }[] };
    expect(json.language).toBe('ar');
    expect(json.items.map((item) => item.content_html)).toEqual(['<div dir="rtl" lang="ar"><p>النيل يفيض.</p></div>']);

    // The site feed is in the site's language only; the English article is unwrapped, as before.
    const site = JSON.parse(text(snapshot, 'feed.json')) as { language: string; items: { id: string; content_html: string }[] };
    expect(site.language).toBe('en');
    expect(site.items.map((item) => item.content_html)).toEqual(['<p>Body text.</p>']);
    expect(text(snapshot, 'rss.xml')).not.toContain('النيل');

    expect(text(snapshot, 'category/egypt/index.html')).toContain('<html lang="ar" dir="rtl">');
    expect(text(snapshot, 'category/world/index.html')).toContain('<html lang="en">');
    // The home page still lists the Arabic category's headline, marked as Arabic.
    expect(text(snapshot, 'index.html')).toMatch(/<li lang="ar" dir="rtl"><a href="[^"]*\/articles\/nile">Story nile<\/a>/);
  });

  it('reports an article in a category feed of another language as a warning, and still publishes it', async () => {
    const snapshot = await build({
      'world/arabic.md': story('arabic', 'World', '2026-11-22T09:00:00Z', 'language: ar\n', 'نص عربي.'),
      'egypt/english.md': story('english', 'Egypt', '2026-11-21T09:00:00Z', 'language: en-GB\n'),
    });
    expect(snapshot.build.failedDocuments).toEqual([]);
    expect((snapshot.build.warnings ?? []).filter((p) => p.field === 'language').map((p) => [p.subject, p.field, p.message])).toEqual([
      [
        'world/arabic.md',
        'language',
        'is in "ar" but is published in the feed of category "World", which is in "en" (partners such as MSN take one language per feed): it stays published there; move it to a category in "ar", or set "language: en" in its front matter if it is written in that language',
      ],
      [
        'egypt/english.md',
        'language',
        'is in "en-GB" but is published in the feed of category "Egypt", which is in "ar" (partners such as MSN take one language per feed): it stays published there; move it to a category in "en-GB", or set "language: ar" in its front matter if it is written in that language',
      ],
    ]);
    expect(text(snapshot, 'category/world/rss.xml')).toContain('&lt;div dir="rtl" lang="ar"&gt;');
    expect(text(snapshot, 'category/egypt/rss.xml')).toContain('&lt;div dir="ltr" lang="en-GB"&gt;');
    // The English-language article is in the English site feed; the Arabic one is not, and nothing is reported for it there.
    const site = JSON.parse(text(snapshot, 'feed.json')) as { items: { title: string }[] };
    expect(site.items.map((item) => item.title)).toEqual(['Story english']);
  });
});
