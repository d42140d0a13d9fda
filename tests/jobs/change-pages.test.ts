import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeRecord } from '../../src/domain/change-entry.ts';
import type { Site } from '../../src/domain/site.ts';
import { CHANGE_PAGE_SIZE, createChangePages, MAX_WAITERS } from '../../src/jobs/change-pages.ts';
import type { ChangeJournal } from '../../src/state/durable-state.ts';
import { openChangeJournalFile } from '../../src/state/change-journal-file.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');
let root: string | undefined;
let journal: ChangeJournal;
let site: Site;

beforeEach(async () => {
  root = await makeTempDir('wirefeed-pages-');
  await writeFiles(root, { 'content/site.yaml': fixtureSiteYaml(['World']) });
  const loaded = await loadSite(`${root}/content`);
  if (!loaded.ok) throw new Error('fixture site.yaml rejected');
  site = loaded.site;
  journal = await openChangeJournalFile(`${root}/state`);
});
afterEach(async () => {
  await journal.close();
  await removeTempDir(root);
});

function record(index: number): ChangeRecord {
  return {
    change: 'published',
    at: NOW - 1000,
    scopes: ['world'],
    article: {
      id: `s${index}`, sourcePath: `s${index}.md`, slug: `s${index}`, title: `Story ${index}`, summary: '', contentHtml: '<p>Body</p>',
      categories: [{ name: 'World', slug: 'world' }], tags: [], authors: [], published: NOW - 5000, updated: NOW - 5000,
    },
  };
}

const site$ = { kind: 'site' } as const;

describe('change pages', () => {
  it('renders a page once per cursor until the head moves, and a full page for good', async () => {
    await journal.append(Array.from({ length: CHANGE_PAGE_SIZE + 1 }, (_, index) => record(index)));
    const pages = createChangePages({ site, journal, clock: () => NOW });
    const full = await pages.page({ scope: site$, format: 'json', after: 0 });
    const short = await pages.page({ scope: site$, format: 'json', after: CHANGE_PAGE_SIZE });
    expect(await pages.page({ scope: site$, format: 'json', after: 0 })).toBe(full);
    expect(await pages.page({ scope: site$, format: 'json', after: CHANGE_PAGE_SIZE })).toBe(short);
    await journal.append([record(500)]);
    expect(await pages.page({ scope: site$, format: 'json', after: 0 })).toBe(full);
    const grown = await pages.page({ scope: site$, format: 'json', after: CHANGE_PAGE_SIZE });
    expect(grown).not.toBe(short);
    expect(grown.kind === 'page' && grown.count).toBe(2);
  });

  it('wakes waiters on the next append, and refuses to hold more than its bound', async () => {
    const pages = createChangePages({ site, journal, clock: () => NOW });
    const held = Array.from({ length: MAX_WAITERS }, () => pages.waitForChange(0, 60_000));
    // One too many is answered at once, without waiting.
    expect(await pages.waitForChange(0, 60_000)).toBe(false);
    pages.notify(1);
    expect(await Promise.all(held)).toEqual(held.map(() => true));
    // The head already passed: no wait at all.
    expect(await pages.waitForChange(0, 60_000)).toBe(true);
  });

  it('releases waiters when the client goes away or at close, and then holds none', async () => {
    const pages = createChangePages({ site, journal, clock: () => NOW });
    const gone = new AbortController();
    const leaving = pages.waitForChange(0, 60_000, gone.signal);
    const staying = pages.waitForChange(0, 60_000);
    gone.abort();
    expect(await leaving).toBe(false);
    pages.close();
    expect(await staying).toBe(false);
    expect(await pages.waitForChange(0, 60_000)).toBe(false);
  });

  it('shows a lead image in the Atom stream as Media RSS, as every other Atom document does, and the page validates', async () => {
    const base = record(1);
    await journal.append([{ ...base, article: { ...base.article, image: { url: 'https://news.example.com/images/lead.jpg', type: 'image/jpeg', width: 1200, height: 800 } } }]);
    const pages = createChangePages({ site, journal, clock: () => NOW });
    const answer = await pages.page({ scope: site$, format: 'atom', after: 0 });
    expect(answer.kind).toBe('page');
    const body = answer.kind === 'page' ? answer.document.body.toString('utf8') : '';
    expect(body).toContain('xmlns:media="http://search.yahoo.com/mrss/"');
    expect(body).toMatch(/<media:content url="https:\/\/news\.example\.com\/images\/lead\.jpg"[^>]*type="image\/jpeg" medium="image" width="1200" height="800"/);
  });
});
