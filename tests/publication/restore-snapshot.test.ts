import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import { createSiteBuilder } from '../../src/jobs/build-site.ts';
import { pageRenderers } from '../../src/jobs/page-renderers.ts';
import { createOutputWriter } from '../../src/publication/output-writer.ts';
import { restoreSnapshot } from '../../src/publication/restore-snapshot.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-24T12:00:00Z');
const story = (id: string, category: string, published: number): string =>
  `---\nid: ${id}\ntitle: Story ${id}\ncategory: ${category}\npublished: ${new Date(published).toISOString()}\n---\nBody of ${id}.\n`;

let root: string;
beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(() => removeTempDir(root));

describe('restoreSnapshot after a run whose clock was a day fast', () => {
  it('serves no document that shows an article still under embargo by now, and keeps the others', async () => {
    const store = path.join(root, 'content');
    const output = path.join(root, 'public');
    await writeFiles(store, {
      'site.yaml': `title: T\ndescription: D\nlanguage: en\nbaseUrl: https://news.example.com\ntagAuthority: news.example.com,2026\ndefaultAuthor: Desk\ncategories:\n  - { name: World, description: W. }\n  - { name: Sport, description: S. }\n`,
      'world/embargoed.md': story('embargoed-story', 'World', NOW + 12 * HOUR),
      'sport/public.md': story('public-story', 'Sport', NOW - 2 * HOUR),
    });
    const loaded = await loadSite(store);
    if (!loaded.ok) throw new Error('fixture site.yaml rejected');
    const fast = createSiteBuilder({
      site: loaded.site,
      index: createArticleIndex({ contentDir: store, site: loaded.site, maxArticleBytes: 65536, cwd: root }),
      clock: () => NOW + 24 * HOUR,
      feedItemLimit: 50,
      ttlMinutes: 5,
      pages: pageRenderers,
    });
    const written = (await fast.build(undefined, [])).snapshot;
    expect(written.documents.get('rss.xml')?.body.toString()).toContain('embargoed-story');
    expect(await createOutputWriter(output).write(written.documents)).toEqual([]);

    const restored = await restoreSnapshot(output, loaded.site, () => NOW);
    expect(restored).toBeDefined();
    for (const document of restored?.documents.values() ?? []) expect(document.body.toString()).not.toContain('embargoed-story');
    expect(restored?.documents.get('category/sport/rss.xml')?.body.toString()).toContain('public-story');
  });
});
