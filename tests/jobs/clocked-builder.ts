import path from 'node:path';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { Site } from '../../src/domain/site.ts';
import type { SiteBuilder } from '../../src/jobs/build-site.ts';
import { createSiteBuilder } from '../../src/jobs/build-site.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { writeFiles } from '../store/temp-dir.ts';

/** One article file with the fields a clock test needs. */
export const storyFile = (id: string, category: string, published: number): string =>
  `---\nid: ${id}\ntitle: Story ${id}\ncategory: ${category}\npublished: ${new Date(published).toISOString()}\n---\nBody of ${id}.\n`;

/** Writes `<root>/content` with a site declaring `categories` and the given files; returns the site and a builder on `clock`. */
export async function clockedStore(
  root: string,
  categories: readonly string[],
  files: Readonly<Record<string, string>>,
  clock: Clock,
): Promise<{ store: string; site: Site; builder: SiteBuilder }> {
  const store = path.join(root, 'content');
  await writeFiles(store, {
    'site.yaml': fixtureSiteYaml(categories),
    ...files,
  });
  const loaded = await loadSite(store);
  if (!loaded.ok) throw new Error('fixture site.yaml rejected');
  const site = loaded.site;
  const builder = createSiteBuilder({
    site,
    index: createArticleIndex({ contentDir: store, site, maxArticleBytes: 65536, cwd: root }),
    clock,
    feedItemLimit: 50,
    ttlMinutes: 5,
  });
  return { store, site, builder };
}
