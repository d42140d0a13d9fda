/**
 * Probe: what a storm of new folders costs the article index. Writes a store of ARTICLES files,
 * creates FOLDERS empty folders, and times one refresh naming all of them (as the watcher's batch
 * would), then the same after `rm -rf`. Run: npx tsx tools/probes/folder-storm.ts [folders] [articles]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import { loadSite } from '../../src/store/load-site.ts';

const folders = Number(process.argv[2] ?? 20_000);
const articles = Number(process.argv[3] ?? 5_000);
const store = await mkdtemp(path.join(os.tmpdir(), 'wirefeed-storm-'));
try {
  await writeFile(
    path.join(store, 'site.yaml'),
    'title: Storm\ndescription: A probe\nbaseUrl: https://example.com/\nlanguage: en\ntagAuthority: example.com,2026\ndefaultAuthor: Probe\ncategories:\n  - name: World\n    description: World news\n',
  );
  for (let i = 0; i < articles; i++) {
    const folder = path.join(store, `s${i % 20}`);
    if (i < 20) await mkdir(folder);
    await writeFile(path.join(folder, `a${i}.md`), `---\nid: a${i}\ntitle: A ${i}\ndate: 2026-01-01T00:00:00Z\n---\nBody.\n`);
  }
  const site = await loadSite(store, {});
  if (!site.ok) throw new Error(JSON.stringify(site.problems));
  const index = createArticleIndex({ contentDir: store, site: site.site, maxArticleBytes: 65536, parseThreads: 1 });
  await index.refresh();
  // At the store's root, as a storm of folders in one section would be named by that section alone.
  const names = Array.from({ length: folders }, (_, i) => `storm-${i}`);
  for (const name of names) await mkdir(path.join(store, name));
  const time = async (what: string) => {
    const started = performance.now();
    const { set } = await index.refresh({ kind: 'paths', paths: names });
    console.log(`${what}: refresh naming ${folders} folders took ${Math.round(performance.now() - started)} ms (${set.articles.length} articles)`);
  };
  await time('after creating');
  for (const name of names) await rm(path.join(store, name), { recursive: true });
  await time('after rm -rf');
} finally {
  await rm(store, { recursive: true, force: true });
}
