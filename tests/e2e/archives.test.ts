import { rm } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { WHOLE_STORE } from '../../src/domain/store-change.ts';
import type { RunningWirefeed } from '../../src/wirefeed.ts';
import { startWirefeed } from '../../src/wirefeed.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

/**
 * RFC 5005 archives over HTTP on the real server: a reader that walks prev-archive from a
 * category's subscription document (Atom and RSS) ends with every public article of the category
 * in its newest version, and a complete archive page keeps its bytes while more is published.
 */
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'item', 'link', 'atom:link', 'at:deleted-entry'].includes(name) });
const START = Date.parse('2026-03-01T00:00:00Z');
const MINUTE = 60_000;

let dir: string | undefined;
let running: RunningWirefeed | undefined;
let now = START + 2000 * MINUTE;

const idOf = (index: number): string => `story-${String(index).padStart(3, '0')}`;
const uri = (index: number): string => `tag:news.example.com,2026:${idOf(index)}`;
const isoSeconds = (at: number): string => new Date(at).toISOString().replace('.000Z', 'Z');

/** The public World articles of the store: id -> title. */
const expected = new Map<string, string>();

async function write(index: number, category: string, title: string, updated?: number): Promise<void> {
  const published = START + index * MINUTE;
  const updatedLine = updated === undefined ? '' : `updated: ${isoSeconds(updated)}\n`;
  await writeFiles(path.join(dir ?? '', 'content'), {
    [`${category.toLowerCase()}/${idOf(index)}.md`]: `---\nid: ${idOf(index)}\ntitle: ${title}\ncategory: ${category}\npublished: ${isoSeconds(published)}\n${updatedLine}---\nBody of ${title}.\n`,
  });
  if (category === 'World') expected.set(uri(index), title);
}

async function remove(index: number): Promise<void> {
  await rm(path.join(dir ?? '', 'content', 'world', `${idOf(index)}.md`));
  expected.delete(uri(index));
}

/**
 * The store's public World articles with the `updated` each is published with (a revision without
 * a later `updated` of its own is stamped with the moment it was first seen: README, Dates).
 */
function store(): Map<string, { title: string; updated: string }> {
  return new Map([...expected].map(([id, title]) => {
    const article = running?.current()?.findArticle(id.slice(id.lastIndexOf(':') + 1));
    return [id, { title, updated: isoSeconds(Math.floor((article?.updated ?? 0) / 1000) * 1000) }];
  }));
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  // Links are absolute at the configured base URL; the server under test is on a free port.
  const { pathname, search } = new URL(url, 'https://news.example.com');
  return fetch(new URL(`${pathname}${search}`, running?.url), { headers });
}

interface Seen {
  readonly title?: string;
  readonly updated?: string;
  readonly gone: boolean;
}

/**
 * Walks from a subscription document back through prev-archive. Documents are visited newest
 * first, and within an archive page every id is there once, so the first time an id is seen is
 * its newest state (RFC 5005 §4); a tombstone says it is gone. Returns what is public.
 */
async function walk(start: string, format: 'atom' | 'rss'): Promise<{ articles: Map<string, Seen>; pages: number }> {
  const seen = new Map<string, Seen>();
  let url: string | undefined = start;
  let pages = 0;
  const visited = new Set<string>();
  while (url !== undefined) {
    expect(visited.has(url), `prev-archive loops back to ${url}`).toBe(false);
    visited.add(url);
    const response = await get(url);
    expect(response.status, url).toBe(200);
    const text = await response.text();
    pages += 1;
    let links: { '@rel'?: string; '@href': string }[];
    if (format === 'atom') {
      const feed = xml.parse(text).feed;
      links = feed.link ?? [];
      for (const entry of feed.entry ?? []) {
        if (!seen.has(entry.id)) seen.set(entry.id, { title: String(entry.title['#text'] ?? entry.title), updated: entry.updated, gone: false });
      }
      for (const deleted of feed['at:deleted-entry'] ?? []) if (!seen.has(deleted['@ref'])) seen.set(deleted['@ref'], { gone: true });
      if (pages > 1) expect(feed['fh:archive']).toBeDefined();
    } else {
      const channel = xml.parse(text).rss.channel;
      links = channel['atom:link'] ?? [];
      for (const item of channel.item ?? []) {
        const id = String(item.guid['#text']);
        if (!seen.has(id)) seen.set(id, { title: String(item.title), gone: item['dcterms:valid'] !== undefined });
      }
      if (pages > 1) expect(channel['fh:archive']).toBeDefined();
    }
    if (pages > 1) expect(links.find((link) => link['@rel'] === 'current')?.['@href']).toBe(`https://news.example.com${new URL(start, 'https://news.example.com').pathname}`);
    url = links.find((link) => link['@rel'] === 'prev-archive')?.['@href'];
  }
  return { articles: new Map([...seen].filter(([, state]) => !state.gone)), pages };
}

beforeAll(async () => {
  dir = await makeTempDir('wirefeed-archives-');
  const content = path.join(dir, 'content');
  await writeFiles(content, { 'site.yaml': fixtureSiteYaml(['World', 'Sport']) });
  for (let index = 0; index < 230; index += 1) await write(index, 'World', `World story ${index}`);
  for (let index = 230; index < 250; index += 1) await write(index, 'Sport', `Sport story ${index}`);
  const config = readConfig({ CONTENT_DIR: content, OUTPUT_DIR: path.join(dir, 'public'), PORT: '0', HOST: '127.0.0.1', BASE_URL: 'https://news.example.com' }, dir);
  running = await startWirefeed(config, pino({ level: 'silent' }), () => now);
  // Revisions of old stories (their first versions are on page 1), and two retractions.
  for (const index of [3, 4, 150]) await write(index, 'World', `World story ${index}, revised`, START + (1000 + index) * MINUTE);
  await remove(5);
  await remove(151);
  await running.rebuild(WHOLE_STORE);
  // The service holds vanished files for a grace period before it retracts them (README, "A vanished store").
  now += MINUTE;
  await running.rebuild(WHOLE_STORE);
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await removeTempDir(dir);
});

describe('RFC 5005 archives', () => {
  it('a reader walking prev-archive from a category feed reconstructs every public article of it, in Atom and RSS', { timeout: 60_000 }, async () => {
    const atom = await walk('/category/world/atom.xml', 'atom');
    // 235 entries: 230 published, 3 revised, 2 retracted: three archive pages behind the feed.
    expect(atom.pages).toBe(4);
    expect(new Map([...atom.articles].map(([id, state]) => [id, { title: state.title, updated: state.updated }]))).toEqual(store());
    const rss = await walk('/category/world/rss.xml', 'rss');
    expect(rss.pages).toBe(4);
    expect(new Map([...rss.articles].map(([id, state]) => [id, state.title]))).toEqual(expected);
  });

  it('serves a complete page with the same bytes and ETag, immutable, after more publishing; the newest page grows', { timeout: 60_000 }, async () => {
    const before = await get('/category/world/archive/1.atom');
    const beforeBody = await before.text();
    const newestBefore = await (await get('/category/world/archive/3.atom')).text();
    expect(before.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(beforeBody).toContain('rel="next-archive"');
    const etag = before.headers.get('etag') ?? '';
    expect(etag).not.toBe('');

    now += 10 * MINUTE;
    for (let index = 250; index < 330; index += 1) await write(index, 'World', `World story ${index}`);
    await write(7, 'World', `World story 7, revised`, now - MINUTE);
    await running?.rebuild(WHOLE_STORE);

    const after = await get('/category/world/archive/1.atom');
    expect(after.headers.get('etag')).toBe(etag);
    expect(await after.text()).toBe(beforeBody);
    expect(after.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get('/category/world/archive/1.atom', { 'If-None-Match': etag })).status).toBe(304);
    // Page 3 was the newest and incomplete: it filled up and is now complete, linking page 4.
    const third = await get('/category/world/archive/3.atom');
    expect(third.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const thirdBody = await third.text();
    expect(thirdBody).not.toBe(newestBefore);
    expect(thirdBody).toContain('/category/world/archive/4.atom');
    const fourth = await get('/category/world/archive/4.atom');
    expect(fourth.headers.get('cache-control')).toBe('no-cache');
    expect(await fourth.text()).not.toContain('rel="next-archive"');
    expect(await (await get('/category/world/atom.xml')).text()).toContain('href="https://news.example.com/category/world/archive/4.atom"');
    // And the walk still ends with the store.
    const atom = await walk('/category/world/atom.xml', 'atom');
    expect(new Map([...atom.articles].map(([id, state]) => [id, { title: state.title, updated: state.updated }]))).toEqual(store());
  });

  it('answers 404 beyond the newest page, for page 0, for a page that is not a number and in an unknown category', async () => {
    const newest = Number(/archive\/([0-9]+)\.json/.exec(await (await get('/category/world/feed.json')).text())?.[1]);
    expect(newest).toBeGreaterThan(1);
    expect((await get(`/category/world/archive/${newest}.json`)).status).toBe(200);
    expect((await get(`/category/world/archive/${newest + 1}.json`)).status).toBe(404);
    expect((await get('/category/world/archive/0.xml')).status).toBe(404);
    expect((await get('/category/world/archive/one.xml')).status).toBe(404);
    expect((await get('/archive/1.xml')).status).toBe(200);
    expect((await get('/category/nowhere/archive/1.xml')).status).toBe(404);
  });

  it('links the JSON Feed archives through an _archive extension', async () => {
    const feed = (await (await get('/category/sport/feed.json')).json()) as { _archive?: { prev_archive?: string } };
    expect(feed._archive?.prev_archive).toBe('https://news.example.com/category/sport/archive/1.json');
    const page = (await (await get(feed._archive?.prev_archive ?? '')).json()) as { _archive: Record<string, unknown>; items: unknown[] };
    expect(page._archive).toEqual({ archive: true, current: 'https://news.example.com/category/sport/feed.json' });
    expect(page.items).toHaveLength(20);
  });
});
