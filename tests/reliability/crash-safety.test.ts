import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '../../tools/bench/service-process.ts';
import { startServiceProcess, waitFor } from '../../tools/bench/service-process.ts';
import { corpusCategoryNames, corpusSiteYaml, generateCorpus } from '../../tools/corpus/generate-corpus.ts';
import { MANIFEST_FILE } from '../../src/publication/output-manifest.ts';
import { createOutputWriter } from '../../src/publication/output-writer.ts';
import { publishDocument } from '../../src/publication/publish-document.ts';
import { readOutputDirectory } from '../../src/publication/read-output-directory.ts';
import type { PublishedDocument } from '../../src/publication/snapshot.ts';
import { inspectOutput } from './inspect-output.ts';

/**
 * The real service, as `npm start` runs it, killed with SIGKILL at seeded random moments while it
 * builds and writes its output. After every kill the output directory must hold no torn or
 * invalid feed and a manifest that matches its files; restarted, the service must serve the last
 * good feeds before its first build finishes, then catch up with every edit made meanwhile.
 */
const SEED = 20261124;
const KILLS = 10;
const ARTICLES = 60;
const CATEGORIES = 4;

let root: string;
let contentDir: string;
let outputDir: string;
const running = new Set<ServiceProcess>();

interface HealthBody {
  readonly status: string;
  readonly lastBuild?: { readonly restoredFromDisk: boolean };
  readonly feeds?: { readonly missing: readonly string[] };
  readonly documents?: number;
}

const FEED_PATH = /(^|\/)(rss\.xml|atom\.xml|feed\.json)$/;
const DECLARED_FEEDS = ['', ...corpusCategoryNames(CATEGORIES).map((name) => `category/${name.toLowerCase()}/`)].flatMap((prefix) =>
  ['rss.xml', 'atom.xml', 'feed.json'].map((file) => `${prefix}${file}`),
);

async function health(service: ServiceProcess): Promise<{ status: number; body: HealthBody }> {
  const response = await fetch(`${service.url}/healthz`);
  return { status: response.status, body: (await response.json()) as HealthBody };
}

async function start(): Promise<ServiceProcess> {
  // FEED_CRON far off: builds come from the start-up and from the watcher, nothing else.
  const service = await startServiceProcess({ CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir, FEED_CRON: '0 0 1 1 *', LOG_LEVEL: 'fatal' });
  running.add(service);
  return service;
}

async function kill(service: ServiceProcess): Promise<void> {
  service.child.kill('SIGKILL');
  await service.stop();
  running.delete(service);
}

/** The first answer from /healthz that is not "starting": what a restarted service serves first. */
async function firstSnapshotHealth(service: ServiceProcess): Promise<HealthBody> {
  let first: HealthBody | undefined;
  await waitFor(
    async () => {
      if (!service.alive()) throw new Error('bench: the service died during start-up');
      const { body } = await health(service);
      if (body.status === 'starting') return false;
      first = body;
      return true;
    },
    30_000,
    'a first snapshot',
    2,
  );
  if (!first) throw new Error('no snapshot');
  return first;
}

async function untilBuilt(service: ServiceProcess): Promise<void> {
  await waitFor(async () => {
    const { status, body } = await health(service);
    return status === 200 && body.lastBuild?.restoredFromDisk === false;
  }, 30_000, 'the first build');
}

function edition(index: number, revised: boolean): string {
  const title = `Crash edition ${index}${revised ? ' (revised)' : ''}`;
  return `---\nid: crash-edition-${index}\ntitle: "${title}"\ncategory: ${corpusCategoryNames(CATEGORIES)[index % CATEGORIES] ?? 'World'}\npublished: ${new Date(Date.now() - 1000).toISOString()}\n---\nFiled before kill number ${index}.\n`;
}

/** Adds edition `index` and revises the one before it: two changes for the next build to write. */
async function edit(index: number): Promise<void> {
  await mkdir(path.join(contentDir, 'crash'), { recursive: true });
  if (index > 0) await writeFile(path.join(contentDir, 'crash', `edition-${index - 1}.md`), edition(index - 1, true));
  await writeFile(path.join(contentDir, 'crash', `edition-${index}.md`), edition(index, false));
}

/** Every feed file found is whole and valid, and the manifest matches the files; returns what it vouches for. */
async function expectIntactOutput(when: string): Promise<{ vouched: readonly string[]; temporaryFiles: readonly string[] }> {
  // Items are dated when they are filed, a moment before the check.
  const inspection = await inspectOutput(outputDir, Date.now() + 60_000);
  expect(inspection.faults, when).toEqual([]);
  return { vouched: inspection.vouched, temporaryFiles: inspection.temporaryFiles };
}

/** A restarted service first serves exactly what the output folder vouches for, before its first build is done. */
function expectRestored(first: HealthBody, vouched: readonly string[], when: string): void {
  expect(first.lastBuild?.restoredFromDisk, when).toBe(true);
  expect(first.documents, when).toBe(vouched.length);
  const servable = new Set(vouched.filter((documentPath) => FEED_PATH.test(documentPath)));
  expect([...(first.feeds?.missing ?? [])].sort(), when).toEqual(DECLARED_FEEDS.filter((feed) => !servable.has(feed)).sort());
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wirefeed-crash-'));
  contentDir = path.join(root, 'content');
  outputDir = path.join(root, 'public');
  await mkdir(contentDir, { recursive: true });
  await writeFile(path.join(contentDir, 'site.yaml'), corpusSiteYaml(corpusCategoryNames(CATEGORIES)));
  for (const file of generateCorpus({ articles: ARTICLES, categories: CATEGORIES, seed: SEED, now: Date.now() })) {
    await mkdir(path.dirname(path.join(contentDir, file.path)), { recursive: true });
    await writeFile(path.join(contentDir, file.path), file.text);
  }
});

afterAll(async () => {
  for (const service of running) await service.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('SIGKILL at random moments', () => {
  it('never leaves a torn or invalid file, restarts serving the last good feeds at once, and catches up', async () => {
    const rng = xoroshiro128plus(SEED);
    for (let round = 0; round < KILLS; round += 1) {
      const during = uniformInt(rng, 0, 2) === 0 ? 'first-build' : 'edit-build';
      // Ranges that cover the build and its writes on a slow machine: the watcher's 200 ms debounce, then building and writing.
      const delayMs = uniformInt(rng, 0, during === 'first-build' ? 1000 : 900);
      const { vouched } = await expectIntactOutput(`before start ${round}`);
      if (during === 'first-build') await edit(round);
      const service = await start();
      const first = await firstSnapshotHealth(service);
      // Only a kill during the very first write can leave nothing to restore.
      if (vouched.length > 0) expectRestored(first, vouched, `restart ${round}`);
      if (during === 'edit-build') {
        await untilBuilt(service);
        await edit(round);
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await kill(service);
      await expectIntactOutput(`after kill ${round} (${during}, ${delayMs} ms)`);
    }

    const { vouched } = await expectIntactOutput('before the last start');
    const service = await start();
    expectRestored(await firstSnapshotHealth(service), vouched, 'last restart');
    const latest = [`Crash edition ${KILLS - 1}`, `Crash edition ${KILLS - 2} (revised)`];
    await waitFor(async () => {
      const text = await (await fetch(`${service.url}/feed.json`)).text();
      return latest.every((title) => text.includes(`"${title}"`));
    }, 30_000, 'the restarted service to catch up with the last edits');
    // The catch-up reaches the disk too, and clears what killed writes left behind.
    await waitFor(async () => {
      const inspection = await inspectOutput(outputDir, Date.now() + 60_000);
      const served = await (await fetch(`${service.url}/feed.json`, { headers: { 'accept-encoding': 'identity' } })).text();
      const onDisk = await readFile(path.join(outputDir, 'feed.json'), 'utf8');
      return inspection.faults.length === 0 && inspection.temporaryFiles.length === 0 && onDisk === served;
    }, 30_000, 'the output directory to match what is served, with no temporary files');
    expect((await expectIntactOutput('after catching up')).temporaryFiles).toEqual([]);
    await service.stop();
    running.delete(service);
  }, 180_000);
});

describe('the output writer after an interrupted write', () => {
  const RSS = 'application/rss+xml; charset=utf-8';
  const rss = (documentPath: string, title: string, lastModified: number): PublishedDocument =>
    publishDocument(documentPath, RSS, `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>https://example.com/</link><description>A feed.</description><language>en</language></channel></rss>`, lastModified);
  const set = (...documents: PublishedDocument[]): Map<string, PublishedDocument> => new Map(documents.map((document) => [document.path, document]));
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wirefeed-interrupted-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leaves a manifest that vouches for whichever version each file holds, so a restart restores them all', async () => {
    const site = { v1: rss('rss.xml', 'site one', 1000), v2: rss('rss.xml', 'site two', 2000) };
    const world = { v1: rss('category/world/rss.xml', 'world one', 1000), v2: rss('category/world/rss.xml', 'world two', 2000) };
    const writer = createOutputWriter(dir);
    expect(await writer.write(set(site.v1, world.v1))).toEqual([]);

    // Stop the second write part way: the site feed is replaced, the world feed's .gz cannot be.
    await rm(path.join(dir, 'category/world/rss.xml.gz'));
    await mkdir(path.join(dir, 'category/world/rss.xml.gz'));
    const problems = await writer.write(set(site.v2, world.v2));
    expect(problems.map((problem) => problem.subject)).toEqual([path.join(dir, 'category/world/rss.xml')]);

    const inspection = await inspectOutput(dir, 10_000);
    expect(inspection.faults).toEqual([]);
    expect(inspection.interrupted).toBe(true);
    const restored = new Map((await readOutputDirectory(dir)).map((document) => [document.path, document]));
    expect(restored.get('rss.xml')?.etag).toBe(site.v2.etag);
    expect(restored.get('rss.xml')?.lastModified).toBe(2000);
    expect(restored.get('category/world/rss.xml')?.etag).toBe(world.v1.etag);
    expect(restored.get('category/world/rss.xml')?.lastModified).toBe(1000);

    // The fault clears: a new writer (a restarted service) finishes the job and the manifest is final again.
    await rm(path.join(dir, 'category/world/rss.xml.gz'), { recursive: true });
    expect(await createOutputWriter(dir).write(set(site.v2, world.v2))).toEqual([]);
    const final = await inspectOutput(dir, 10_000);
    expect(final.faults).toEqual([]);
    expect(final.interrupted).toBe(false);
    expect(Object.values(final.manifest?.documents ?? {}).map((entry) => entry.etag).sort()).toEqual([site.v2.etag, world.v2.etag].sort());
  });

  it('removes temporary files that killed writes left, on its first write, and nothing else', async () => {
    const folder = path.join(dir, 'leftovers');
    await mkdir(path.join(folder, 'category/world'), { recursive: true });
    const stale = ['.rss.xml.0123456789ab.tmp', 'category/world/.atom.xml.gz.abcdefabcdef.tmp', `.${MANIFEST_FILE}.a1b2c3d4e5f6.tmp`];
    const foreign = ['notes.tmp', 'category/world/.editor-swap.tmp', 'category/world/keep.txt'];
    for (const file of [...stale, ...foreign]) await writeFile(path.join(folder, file), 'half a file');

    expect(await createOutputWriter(folder).write(set(rss('rss.xml', 'site', 1)))).toEqual([]);
    const left = [...(await readdir(folder, { recursive: true }))].map(String);
    for (const file of stale) expect(left).not.toContain(file);
    for (const file of foreign) expect(await readFile(path.join(folder, file), 'utf8')).toBe('half a file');
  });
});
