import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import type { RunningWirefeed } from '../../src/wirefeed.ts';
import { startWirefeed } from '../../src/wirefeed.ts';
import { WHOLE_STORE } from '../../src/domain/store-change.ts';
import { waitFor } from '../../tools/bench/service-process.ts';
import { writeFiles } from '../store/temp-dir.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';

/** A retraction as a partner and a reader meet it: the real service over HTTP, the clock injected. */
const story = (extra = ''): string => `---\nid: kept-id\ntitle: The story\ncategory: World\npublished: 2026-11-20T09:00:00Z\n${extra}---\nThe body.\n`;

let folder: string;
let running: RunningWirefeed;
const now = Date.parse('2026-11-24T12:00:00Z');

const get = (pathname: string): Promise<Response> => fetch(new URL(pathname, running.url));

const until = (check: () => Promise<boolean>, what: string): Promise<number> => waitFor(check, 20_000, what, 50);

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'wirefeed-retraction-'));
  await writeFiles(path.join(folder, 'content'), { 'site.yaml': fixtureSiteYaml(['World']), 'world/story.md': story() });
  const config = readConfig({ CONTENT_DIR: path.join(folder, 'content'), OUTPUT_DIR: path.join(folder, 'public'), PORT: '0', HOST: '127.0.0.1' }, folder);
  running = await startWirefeed(config, pino({ level: 'silent' }), () => now);
  await until(async () => (await get('/articles/story')).status === 200, 'the first build');
});

afterAll(async () => {
  await running?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('a retraction over HTTP', () => {
  it('answers the page 410 with the note, and tells partners in every format and in the change streams', async () => {
    await writeFile(path.join(folder, 'content/world/story.md'), story('retracted: 2026-11-24T11:00:00Z\nretractionNote: The claim could not be verified.\n'));
    await until(async () => (await get('/articles/story')).status === 410, 'the 410');

    const page = await get('/articles/story');
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('This article was retracted on');
    expect(html).toContain('The claim could not be verified.');

    const atom = await (await get('/atom.xml')).text();
    expect(atom).toContain('xmlns:at="http://purl.org/atompub/tombstones/1.0"');
    expect(atom).toMatch(/<at:deleted-entry ref="tag:[^"]+:kept-id" when="2026-11-24T11:00:00Z">\s*<at:comment>The claim could not be verified\.<\/at:comment>/);
    expect(atom).not.toContain('<entry>');
    const rss = await (await get('/category/world/rss.xml')).text();
    expect(rss).toContain('<dcterms:valid>end=2026-11-24T11:00:00Z; scheme=W3C-DTF</dcterms:valid>');
    expect(rss).toContain('<pubDate>Tue, 24 Nov 2026 11:00:00 GMT</pubDate>');
    const json = (await (await get('/feed.json')).json()) as { items: { id: string; _wirefeed?: unknown }[] };
    expect(json.items).toEqual([expect.objectContaining({ _wirefeed: { deleted: '2026-11-24T11:00:00Z', retracted: '2026-11-24T11:00:00Z', note: 'The claim could not be verified.' } })]);

    const changes = (await (await get('/changes.json')).json()) as { items: { _wirefeed: { change: string; id: string } }[] };
    expect(changes.items.map((item) => item._wirefeed.change)).toEqual(['published', 'retracted']);
    const changesAtom = await (await get('/changes.atom')).text();
    expect(changesAtom).toMatch(/<at:deleted-entry ref="tag:[^"]+:kept-id" when="2026-11-24T11:00:00Z">/);
  });

  it('a deleted file stays 410; restoring it publishes it again under the same id', async () => {
    await rm(path.join(folder, 'content/world/story.md'));
    // A build that has seen the deletion, whenever the watcher reports it.
    await running.rebuild(WHOLE_STORE);
    expect((await get('/articles/story')).status).toBe(410);
    // Already retracted: deleting the file is not a second retraction.
    const afterDelete = (await (await get('/changes.json')).json()) as { items: { _wirefeed: { change: string } }[] };
    expect(afterDelete.items.map((item) => item._wirefeed.change)).toEqual(['published', 'retracted']);
    await writeFile(path.join(folder, 'content/world/story.md'), story());
    await until(async () => (await get('/articles/story')).status === 200, 'the restored page');
    const changes = (await (await get('/changes.json')).json()) as { items: { _wirefeed: { change: string; id: string } }[] };
    const last = changes.items.at(-1)?._wirefeed;
    expect(last?.change).toBe('published');
    expect(last?.id).toBe(changes.items[0]?._wirefeed.id);
    expect(await (await get('/atom.xml')).text()).not.toContain('at:deleted-entry');
  });
});
