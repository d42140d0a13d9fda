import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import type { RunningWirefeed } from '../../src/wirefeed.ts';
import { startWirefeed } from '../../src/wirefeed.ts';

/**
 * The whole service as a reader meets it: the real server on a free port, the sample store copied
 * to a temporary folder, feeds read over HTTP. The clock is injected so embargoes are tested
 * without waiting.
 */
const SAMPLE_TITLE = 'Pakistan’s High-Stakes Diplomacy: Can Iran Return to US Talks?';
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

let store: string;
let running: RunningWirefeed;
let now = Date.parse('2026-11-24T12:00:00Z');

async function get(pathname: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL(pathname, running.url), { headers });
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function rssTitles(text: string): string[] {
  const items = xml.parse(text).rss.channel.item ?? [];
  return (Array.isArray(items) ? items : [items]).map((item: { title: string }) => String(item.title));
}

beforeAll(async () => {
  store = await mkdtemp(path.join(tmpdir(), 'wirefeed-e2e-'));
  await cp(path.resolve('content'), path.join(store, 'content'), { recursive: true });
  const config = readConfig({ CONTENT_DIR: path.join(store, 'content'), OUTPUT_DIR: path.join(store, 'public'), PORT: '0', HOST: '127.0.0.1' }, store);
  running = await startWirefeed(config, pino({ level: 'silent' }), () => now);
});

afterAll(async () => {
  await running?.stop();
  await rm(store, { recursive: true, force: true });
});

describe('Wirefeed over HTTP', () => {
  it('serves the imported sample article in its category feeds and the site feeds, in all three formats', async () => {
    for (const prefix of ['/', '/category/general-news/']) {
      const rss = await get(`${prefix}rss.xml`);
      expect(rss.status).toBe(200);
      expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      expect(rssTitles(await rss.text())).toContain(SAMPLE_TITLE);

      const atom = xml.parse(await (await get(`${prefix}atom.xml`)).text());
      const entries = [atom.feed.entry].flat();
      expect(entries.map((entry: { title: { '#text'?: string } | string }) => (typeof entry.title === 'string' ? entry.title : entry.title['#text']))).toContain(SAMPLE_TITLE);

      const json = (await (await get(`${prefix}feed.json`)).json()) as { version: string; items: { title: string }[] };
      expect(json.version).toBe('https://jsonfeed.org/version/1.1');
      expect(json.items.map((item) => item.title)).toContain(SAMPLE_TITLE);
    }
  });

  it('links items to article pages that work', async () => {
    const json = (await (await get('/category/general-news/feed.json')).json()) as { items: { title: string; url: string }[] };
    const sample = json.items.find((item) => item.title === SAMPLE_TITLE);
    expect(sample).toBeDefined();
    const page = await get(new URL(sample!.url).pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Escalating Sea Tensions');
  });

  it('answers 304 to a reader that already has the current version', async () => {
    const first = await get('/category/general-news/rss.xml');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"/);
    const again = await get('/category/general-news/rss.xml', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
  });

  it('keeps drafts and embargoed articles out until their time, then publishes the embargoed one', async () => {
    const embargoedAt = Date.parse('2026-11-24T12:30:00Z');
    await writeFile(
      path.join(store, 'content', 'general-news', 'embargoed-e2e.md'),
      `---\nid: e2e-embargo\ntitle: Embargoed until half past twelve\ncategory: General News\npublished: 2026-11-24T12:30:00Z\n---\nUnder embargo.\n`,
    );
    await writeFile(
      path.join(store, 'content', 'general-news', 'draft-e2e.md'),
      `---\nid: e2e-draft\ntitle: A draft that must never appear\ncategory: General News\npublished: 2026-11-20T12:30:00Z\ndraft: true\n---\nDraft.\n`,
    );
    await until(async () => running.current()?.nextEmbargoAt === embargoedAt, 'the watcher to load the embargoed article');
    expect(rssTitles(await (await get('/rss.xml')).text())).not.toContain('Embargoed until half past twelve');

    now = embargoedAt - 1000;
    await running.rebuild();
    expect(rssTitles(await (await get('/category/general-news/rss.xml')).text())).not.toContain('Embargoed until half past twelve');

    now = embargoedAt + 1;
    await running.rebuild();
    const titles = rssTitles(await (await get('/category/general-news/rss.xml')).text());
    expect(titles).toContain('Embargoed until half past twelve');
    expect(titles).not.toContain('A draft that must never appear');
  });

  it('serves an edited article with a new ETag while an unrelated category keeps its ETag', async () => {
    const etagOf = async (pathname: string): Promise<string | null> => (await get(pathname)).headers.get('etag');
    const before = { general: await etagOf('/category/general-news/rss.xml'), technology: await etagOf('/category/technology/rss.xml') };
    const file = path.join(store, 'content', 'general-news', 'embargoed-e2e.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Embargoed until half past twelve', 'Edited after the embargo'));

    await until(async () => rssTitles(await (await get('/category/general-news/rss.xml')).text()).includes('Edited after the embargo'), 'the edit to be served');
    expect(await etagOf('/category/general-news/rss.xml')).not.toBe(before.general);
    expect(await etagOf('/category/technology/rss.xml')).toBe(before.technology);
  });

  it('writes the published feeds to the output directory', async () => {
    const served = await (await get('/category/general-news/rss.xml')).text();
    const file = path.join(store, 'public', 'category', 'general-news', 'rss.xml');
    // The snapshot is swapped in before it is mirrored to disk, so the file may lag a moment.
    await until(async () => (await readFile(file, 'utf8').catch(() => '')) === served, 'the output file to match what is served');
    // The edit's revision time is kept beside the output, so a restart does not move it back.
    await until(async () => (await readFile(path.join(store, 'public', '.wirefeed-revisions.jsonl'), 'utf8').catch(() => '')).includes('e2e-embargo'), 'the revision ledger');
  });
});
