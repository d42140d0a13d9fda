import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import type { RunningWirefeed } from '../../src/wirefeed.ts';
import { startWirefeed } from '../../src/wirefeed.ts';
import { waitFor } from '../../tools/bench/service-process.ts';

/** The sample store's Arabic category (site.yaml: أخبار مصر, language ar) over HTTP on the real server. */
const ARABIC = '/category/akhbar-msr/';

let store: string;
let running: RunningWirefeed;

async function get(pathname: string): Promise<Response> {
  return fetch(new URL(pathname, running.url));
}

const until = (check: () => Promise<boolean>, what: string): Promise<number> => waitFor(check, 15_000, what, 50);

beforeAll(async () => {
  store = await mkdtemp(path.join(tmpdir(), 'wirefeed-e2e-lang-'));
  await cp(path.resolve('content'), path.join(store, 'content'), { recursive: true });
  const config = readConfig({ CONTENT_DIR: path.join(store, 'content'), OUTPUT_DIR: path.join(store, 'public'), STATE_DIR: path.join(store, 'state'), PORT: '0', HOST: '127.0.0.1' }, store);
  running = await startWirefeed(config, pino({ level: 'silent' }), () => Date.parse('2026-11-24T12:00:00Z'));
});

afterAll(async () => {
  await running?.stop();
  await rm(store, { recursive: true, force: true });
});

describe('the Arabic sample category over HTTP', () => {
  it('says ar in all three formats and carries its items right to left', async () => {
    const rss = await (await get(`${ARABIC}rss.xml`)).text();
    expect(rss).toContain('<language>ar</language>');
    expect(rss.match(/<content:encoded>&lt;div dir="rtl" lang="ar"&gt;/g)).toHaveLength(3);

    const atom = await (await get(`${ARABIC}atom.xml`)).text();
    expect(atom).toMatch(/<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="ar"/);
    expect(atom.match(/<content type="html"><!\[CDATA\[<div dir="rtl" lang="ar">/g)).toHaveLength(3);

    const json = (await (await get(`${ARABIC}feed.json`)).json()) as { language: string; items: { content_html: string }[] };
    expect(json.language).toBe('ar');
    expect(json.items).toHaveLength(3);
    for (const item of json.items) expect(item.content_html).toMatch(/^<div dir="rtl" lang="ar">[\s\S]*<\/div>$/);

    // The site feeds stay English: one language per feed.
    expect(((await (await get('/feed.json')).json()) as { language: string }).language).toBe('en');
    expect(await (await get('/rss.xml')).text()).not.toContain('lang="ar"');
  });

  it('serves its page and its articles in Arabic, right to left', async () => {
    const page = await (await get(ARABIC)).text();
    expect(page).toContain('<html lang="ar" dir="rtl">');
    const json = (await (await get(`${ARABIC}feed.json`)).json()) as { items: { url: string }[] };
    const article = await (await get(new URL(json.items[0]?.url ?? '').pathname)).text();
    expect(article).toContain('<html lang="ar" dir="rtl">');
  });

  it('reports an Arabic article filed in an English category in /healthz, and still publishes it', async () => {
    await writeFile(
      path.join(store, 'content', 'general-news', 'arabic-in-english.md'),
      '---\nid: e2e-arabic-in-english\ntitle: "عينة: مقالة عربية في قسم إنجليزي"\ncategory: General News\nlanguage: ar\npublished: 2026-11-24T08:00:00Z\n---\nنص عربي قصير.\n',
    );
    await until(async () => (await (await get('/category/general-news/rss.xml')).text()).includes('مقالة عربية في قسم إنجليزي'), 'the article to be published');
    const health = JSON.stringify(await (await get('/healthz')).json());
    expect(health).toContain('general-news/arabic-in-english.md');
    expect(health).toContain('is in \\"ar\\" but is published in the feed of category \\"General News\\", which is in \\"en\\"');
  });
});
