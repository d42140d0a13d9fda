import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { pathsChanged } from '../../src/domain/store-change.ts';
import { CHANGE_PAGE_SIZE } from '../../src/jobs/change-pages.ts';
import { validateFeedText } from '../../src/validation/validate-feed-text.ts';
import type { RunningWirefeed } from '../../src/wirefeed.ts';
import { startWirefeed } from '../../src/wirefeed.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

/** The change streams as a partner meets them: the real server in-process, a temporary store, an injected clock. */
const NOW = Date.parse('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

interface JsonChangeItem {
  readonly id: string;
  readonly title: string;
  readonly content_html: string;
  readonly date_modified: string;
  readonly _wirefeed: { readonly seq: number; readonly change: string; readonly id: string };
}
interface JsonChangePage {
  readonly next_url: string;
  readonly items: readonly JsonChangeItem[];
}

let root: string | undefined;
let running: RunningWirefeed | undefined;
let now = NOW;

const story = (id: string, category: string, title = `Story ${id}`, updated?: string): string =>
  `---\nid: ${id}\ntitle: ${title}\ncategory: ${category}\npublished: 2026-11-20T09:00:00Z\n${updated === undefined ? '' : `updated: ${updated}\n`}---\nBody of ${id}.\n`;

async function start(files: Readonly<Record<string, string>>, env: Record<string, string> = {}): Promise<RunningWirefeed> {
  root = await makeTempDir('wirefeed-changes-');
  await writeFiles(path.join(root, 'content'), { 'site.yaml': fixtureSiteYaml(['World', 'Tech']), ...files });
  const config = readConfig({ CONTENT_DIR: path.join(root, 'content'), OUTPUT_DIR: path.join(root, 'public'), PORT: '0', HOST: '127.0.0.1', ...env }, root);
  running = await startWirefeed(config, pino({ level: 'silent' }), () => now);
  return running;
}

beforeEach(() => {
  now = NOW;
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  await removeTempDir(root);
});

async function get(pathname: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL(pathname, running?.url), { headers });
}

async function page(pathname: string): Promise<JsonChangePage> {
  const response = await get(pathname);
  expect(response.status).toBe(200);
  return (await response.json()) as JsonChangePage;
}

async function edit(relative: string, text: string): Promise<void> {
  await writeFile(path.join(root ?? '', 'content', relative), text);
  await running?.rebuild(pathsChanged([relative]));
}

describe('change streams over HTTP', () => {
  it('serves every change in order with its seq, kind, article id and full version, in JSON Feed and Atom, validated', async () => {
    await start({ 'world/a.md': story('a', 'World'), 'tech/b.md': story('b', 'Tech') });
    await edit('world/a.md', story('a', 'World', 'Story a, revised', '2026-11-24T11:00:00Z'));
    const json = await get('/changes.json');
    expect(json.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const text = await json.text();
    expect(validateFeedText(text, { now, format: 'json', subject: 'changes.json' })).toEqual([]);
    const { items, next_url: nextUrl, feed_url: selfUrl } = JSON.parse(text) as JsonChangePage & { feed_url: string };
    // The self link is the URL the page was fetched at (the W3C validator warns otherwise).
    expect(selfUrl).toBe('https://news.example.com/changes.json');
    expect(items.map((item) => [item._wirefeed.seq, item._wirefeed.change, item._wirefeed.id])).toEqual([
      [1, 'published', 'tag:news.example.com,2026:a'],
      [2, 'published', 'tag:news.example.com,2026:b'],
      [3, 'revised', 'tag:news.example.com,2026:a'],
    ]);
    expect(items[2]).toMatchObject({ id: 'tag:news.example.com,2026:change/3', title: 'Story a, revised', content_html: '<p>Body of a.</p>' });
    expect(nextUrl).toBe('https://news.example.com/changes.json?after=3');

    const atomText = await (await get('/changes.atom')).text();
    expect(validateFeedText(atomText, { now, format: 'atom', subject: 'changes.atom' })).toEqual([]);
    const feed = xml.parse(atomText).feed;
    expect(feed['@xmlns:wf']).toBe('tag:wirefeed,2026:changes');
    expect(feed.entry.map((entry: Record<string, unknown>) => [entry['wf:seq'], entry['wf:change'], entry['wf:id']])).toEqual([
      [1, 'published', 'tag:news.example.com,2026:a'],
      [2, 'published', 'tag:news.example.com,2026:b'],
      [3, 'revised', 'tag:news.example.com,2026:a'],
    ]);
    const links = feed.link.map((link: Record<string, string>) => [link['@rel'], link['@href']]);
    expect(links).toContainEqual(['next', 'https://news.example.com/changes.atom?after=3']);
  });

  it('lists a category stream\'s changes only, and redirects another spelling of it', async () => {
    await start({ 'world/a.md': story('a', 'World'), 'tech/b.md': story('b', 'Tech') });
    const tech = await page('/category/tech/changes.json');
    expect(tech.items.map((item) => item._wirefeed.seq)).toEqual([2]);
    expect(tech.next_url).toBe('https://news.example.com/category/tech/changes.json?after=2');
    const other = await fetch(new URL('/category/TECH/changes.json?after=1', running?.url), { redirect: 'manual' });
    expect([other.status, other.headers.get('location')]).toEqual([301, 'https://news.example.com/category/tech/changes.json?after=1']);
    expect((await get('/category/nowhere/changes.json')).status).toBe(404);
  });

  it('pages at most a hundred at a time, following next_url to the end without a gap', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < CHANGE_PAGE_SIZE + 30; index += 1) files[`world/s${String(index).padStart(3, '0')}.md`] = story(`s${String(index).padStart(3, '0')}`, 'World');
    await start(files);
    const seen: number[] = [];
    let next = '/changes.json?after=0';
    for (let round = 0; round < 5; round += 1) {
      const current = await page(next);
      seen.push(...current.items.map((item) => item._wirefeed.seq));
      expect(current.items.length).toBeLessThanOrEqual(CHANGE_PAGE_SIZE);
      next = new URL(current.next_url).pathname + new URL(current.next_url).search;
      if (current.items.length < CHANGE_PAGE_SIZE) break;
    }
    expect(seen).toEqual(Array.from({ length: CHANGE_PAGE_SIZE + 30 }, (_, index) => index + 1));
  });

  it('refuses unknown and future cursors with 400, and a cursor older than the replay window with 410', async () => {
    await start({ 'world/a.md': story('a', 'World') }, { CHANGES_REPLAY_DAYS: '1' });
    for (const query of ['after=x', 'after=-1', 'after=1.5', 'after=2', 'wait=61', 'wait=soon']) {
      const response = await get(`/changes.json?${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.text(), query).toMatch(/after|wait/);
    }
    expect((await get('/changes.json?after=1')).status).toBe(200);
    now = NOW + 2 * DAY;
    await edit('world/a.md', story('a', 'World', 'Two days later', new Date(now).toISOString()));
    const expired = await get('/changes.json?after=0');
    expect(expired.status).toBe(410);
    expect(await expired.text()).toMatch(/older than the replay window of 1 days/);
    // Without a cursor the stream starts at the window: only the change of the last day.
    expect((await page('/changes.json')).items.map((item) => item._wirefeed.seq)).toEqual([2]);
  });

  it('answers a conditional request with 304 and compresses like every other document', async () => {
    await start({ 'world/a.md': story('a', 'World') });
    const first = await get('/changes.json?after=0', { 'accept-encoding': 'br' });
    expect(first.headers.get('content-encoding')).toBe('br');
    const etag = first.headers.get('etag') ?? '';
    expect((await get('/changes.json?after=0', { 'accept-encoding': 'br', 'if-none-match': etag })).status).toBe(304);
    await edit('world/a.md', story('a', 'World', 'Changed', '2026-11-24T11:00:00Z'));
    expect((await get('/changes.json?after=0', { 'accept-encoding': 'br', 'if-none-match': etag })).status).toBe(200);
  });

  it('publishes nothing while the journal cannot be written, says why in /healthz, and catches up', async () => {
    const base = await makeTempDir('wirefeed-changes-blocked-');
    const blocker = path.join(base, 'blocker');
    await writeFile(blocker, 'a file where the state folder should be');
    await start({ 'world/a.md': story('a', 'World') }, { STATE_DIR: path.join(blocker, 'state') });
    expect((await get('/feed.json')).status).toBe(503);
    const health = (await (await get('/healthz')).json()) as { lastBuildError: { message: string } | null };
    expect(health.lastBuildError?.message).toMatch(/change journal/);
    await removeTempDir(base);
    await running?.rebuild(pathsChanged(['world/a.md']));
    expect((await get('/feed.json')).status).toBe(200);
    expect((await page('/changes.json')).items.map((item) => item._wirefeed.change)).toEqual(['published']);
  });

  it('holds a request with wait until a change arrives, and shutdown does not wait for held requests', { timeout: 30_000 }, async () => {
    const service = await start({ 'world/a.md': story('a', 'World') });
    const held = get('/changes.json?after=1&wait=30').then(async (response) => (await response.json()) as JsonChangePage);
    // The request is held: the edit below is what answers it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await edit('world/b.md', story('b', 'World'));
    expect((await held).items.map((item) => item._wirefeed.change)).toEqual(['published']);

    const stillHeld = get('/changes.json?after=2&wait=60').then(
      (response) => response.status,
      () => 'cut off',
    );
    // Held, or (if it arrives after stop() began, on the kept-alive connection) answered at once: either way a 200.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopped = service.stop();
    running = undefined;
    // Without the release, the request would be held until the server's close timeout cuts its connection.
    expect(await stillHeld).toBe(200);
    await stopped;
  });
});
