import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import type { RunningWirefeed } from '../../src/wirefeed.ts';
import { startWirefeed } from '../../src/wirefeed.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { writeFiles } from '../store/temp-dir.ts';
import { waitFor } from '../../tools/bench/service-process.ts';

/**
 * Issue 13's sizes and lint as a partner meets them: the real service on a store of large
 * articles with a small FEED_BYTE_BUDGET, its feeds read over HTTP and its /healthz polled.
 */
const BUDGET = 96 * 1024;
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: true, htmlEntities: true });

let root: string;
let running: RunningWirefeed;
const now = Date.parse('2026-11-24T12:00:00Z');

const lastParagraph = (index: number): string => `The end of story ${index}.`;
const story = (index: number, title: string): string =>
  `---\nid: s${index}\ntitle: ${title}\ncategory: World\npublished: 2026-11-${String(1 + index).padStart(2, '0')}T09:00:00Z\n---\n` +
  `${Array.from({ length: 120 }, (_, part) => `Paragraph ${part} of story ${index}: the harbour board met the council about the ferries.`).join('\n\n')}\n\n${lastParagraph(index)}\n`;

async function get(pathname: string): Promise<Response> {
  return fetch(new URL(pathname, running.url));
}

interface HealthBody {
  status: string;
  warnings: { subject: string; field?: string; message: string }[];
  problems: { warnings: number };
}

async function health(): Promise<HealthBody> {
  return (await (await get('/healthz')).json()) as HealthBody;
}

const until = (check: () => Promise<boolean>, what: string): Promise<number> => waitFor(check, 20_000, what, 100);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wirefeed-budget-e2e-'));
  const files: Record<string, string> = { 'site.yaml': fixtureSiteYaml(['World']) };
  for (let index = 0; index < 20; index += 1) files[`world/s${index}.md`] = story(index, `Harbour story number ${index} for the partner budget`);
  files['world/s20.md'] = story(20, 'Too short');
  await writeFiles(path.join(root, 'content'), files);
  const config = readConfig({ CONTENT_DIR: path.join(root, 'content'), OUTPUT_DIR: path.join(root, 'public'), PORT: '0', HOST: '127.0.0.1', FEED_BYTE_BUDGET: String(BUDGET) }, root);
  running = await startWirefeed(config, pino({ level: 'silent' }), () => now);
});

afterAll(async () => {
  await running?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('byte budget and partner lint over HTTP', () => {
  it('serves every feed within FEED_BYTE_BUDGET with the newest items whole, in all three formats', async () => {
    for (const prefix of ['/', '/category/world/']) {
      const rss = Buffer.from(await (await get(`${prefix}rss.xml`)).arrayBuffer());
      const atom = Buffer.from(await (await get(`${prefix}atom.xml`)).arrayBuffer());
      const json = Buffer.from(await (await get(`${prefix}feed.json`)).arrayBuffer());
      for (const body of [rss, atom, json]) expect(body.length).toBeLessThanOrEqual(BUDGET);

      const rssItems = [xml.parse(rss.toString('utf8')).rss.channel.item].flat() as { guid: { '#text': string }; 'content:encoded': string }[];
      const atomEntries = [xml.parse(atom.toString('utf8')).feed.entry].flat() as { id: string; content: { '#text': string } }[];
      const jsonItems = (JSON.parse(json.toString('utf8')) as { items: { id: string; content_html: string }[] }).items;
      // Newest first (story 20 is the newest), each ending with its own last paragraph: cut between items, never inside.
      const expected = Array.from({ length: jsonItems.length }, (_, position) => 20 - position);
      expect(jsonItems.length).toBeGreaterThan(1);
      expect(jsonItems.length).toBeLessThan(21);
      jsonItems.forEach((item, position) => expect(item.content_html).toContain(lastParagraph(expected[position] ?? -1)));
      expect(rssItems.length).toBeGreaterThan(1);
      rssItems.forEach((item, position) => expect(item['content:encoded']).toContain(lastParagraph(20 - position)));
      expect(atomEntries.length).toBeGreaterThan(1);
      atomEntries.forEach((entry, position) => expect(entry.content['#text']).toContain(lastParagraph(20 - position)));
    }
  });

  it('lists the budget cuts and the lint findings in /healthz as warnings, staying "ok"; an edit re-lints its own article and keeps the other findings', async () => {
    const before = await health();
    expect(before.status).toBe('ok');
    const cut = before.warnings.filter((warning) => warning.field === 'FEED_BYTE_BUDGET').map((warning) => warning.subject).sort();
    expect(cut).toEqual(['atom.xml', 'category/world/atom.xml', 'category/world/feed.json', 'category/world/rss.xml', 'feed.json', 'rss.xml']);
    expect(before.warnings).toContainEqual({ subject: 'world/s20.md', field: 'lint:title-length', message: expect.stringContaining('9 characters') });
    expect(before.problems.warnings).toBe(before.warnings.length);

    await writeFile(path.join(root, 'content', 'world', 's3.md'), story(3, 'Harbour <b>story</b> number three, now edited'));
    await until(async () => (await health()).warnings.some((warning) => warning.subject === 'world/s3.md'), 'the edited article\'s finding');
    const after = await health();
    expect(after.warnings.filter((warning) => warning.subject === 'world/s3.md').map((warning) => warning.field)).toEqual(['lint:title-markup']);
    expect(after.warnings.some((warning) => warning.subject === 'world/s20.md' && warning.field === 'lint:title-length')).toBe(true);
    expect(after.status).toBe('ok');
  });
});
