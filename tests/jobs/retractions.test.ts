import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeEntry } from '../../src/domain/change-entry.ts';
import type { Site } from '../../src/domain/site.ts';
import { CLOCK_ONLY, pathsChanged, WHOLE_STORE } from '../../src/domain/store-change.ts';
import type { RebuildJob, RebuildJobOptions } from '../../src/jobs/rebuild.ts';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { checkFeedText } from '../../src/validation/validate-feed-text.ts';
import type { JobFixture } from './job-fixture.ts';
import { createJobFixture } from './job-fixture.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';

/*
 * Retractions and corrections through the rebuild job, as the service runs it: a store on disk,
 * the journal beside the output, the clock injected.
 */

const SITE_YAML = fixtureSiteYaml(['World', 'Tech']);
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-24T12:00:00Z');

interface StoryFields {
  readonly category?: string;
  readonly updated?: string;
  readonly extra?: string;
}
const story = (id: string, fields: StoryFields = {}): string =>
  `---\nid: ${id}\ntitle: Story ${id}\ncategory: ${fields.category ?? 'World'}\npublished: 2026-11-20T09:00:00Z\n` +
  `${fields.updated === undefined ? '' : `updated: ${fields.updated}\n`}${fields.extra ?? ''}---\nBody of ${id}.\n`;

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['item', 'entry', 'at:deleted-entry'].includes(name) });

let fixture: JobFixture;
let store: string;
let site: Site;

beforeEach(async () => {
  fixture = await createJobFixture({ 'site.yaml': SITE_YAML, 'world/one.md': story('one'), 'tech/two.md': story('two', { category: 'Tech' }) }, NOW);
  ({ store, site } = fixture);
});
afterEach(() => fixture.dispose());

const startJob = (extra: Partial<RebuildJobOptions> = {}): Promise<RebuildJob> => fixture.start(extra);
/** The injected clock. */
const setNow = (at: number): void => {
  fixture.now = at;
};

async function publishedSnapshot(job: RebuildJob, change: Parameters<RebuildJob['rebuild']>[0]): Promise<Snapshot> {
  const outcome = await job.rebuild(change);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.snapshot;
}

const text = (snapshot: Snapshot, documentPath: string): string => snapshot.documents.get(documentPath)?.body.toString('utf8') ?? '';
const entries = async (job: RebuildJob): Promise<readonly ChangeEntry[]> => job.journal.read({ after: 0, limit: 1000 });
const summary = (list: readonly ChangeEntry[]): string[] => list.map((entry) => `${entry.change} ${entry.article.id}`);

/** What a partner reads in each subscription format about article `id`. */
function noticesFor(snapshot: Snapshot, scope: string, id: string) {
  const uri = `tag:${site.tagAuthority}:${id}`;
  const atom = xml.parse(text(snapshot, `${scope}atom.xml`)).feed;
  const rss = xml.parse(text(snapshot, `${scope}rss.xml`)).rss.channel;
  const json = JSON.parse(text(snapshot, `${scope}feed.json`)) as { items: { id: string; _wirefeed?: { retracted: string; note?: string } }[] };
  return {
    atom: ((atom['at:deleted-entry'] ?? []) as { '@ref': string; '@when': string; 'at:comment'?: string }[]).filter((tombstone) => tombstone['@ref'] === uri),
    atomNamespace: atom['@xmlns:at'] as string | undefined,
    atomEntries: ((atom.entry ?? []) as { id: string }[]).filter((entry) => entry.id === uri),
    rss: ((rss.item ?? []) as { guid: { '#text': string }; pubDate: string; 'dcterms:valid'?: string }[]).filter((item) => item.guid['#text'] === uri && item['dcterms:valid'] !== undefined),
    json: json.items.filter((item) => item.id === uri && item._wirefeed !== undefined),
  };
}

function expectValid(snapshot: Snapshot, documentPath: string): void {
  const format = documentPath.endsWith('.json') ? 'json' : documentPath.endsWith('rss.xml') ? 'rss' : 'atom';
  expect(checkFeedText(text(snapshot, documentPath), { now: fixture.now, format, subject: documentPath }).problems).toEqual([]);
}

describe('retraction by the `retracted` field', () => {
  it('takes the article out of every feed and page, journals `retracted` with the last version, time and note, and answers its page with a 410 page', async () => {
    const job = await startJob();
    await publishedSnapshot(job, WHOLE_STORE);
    setNow(NOW + 3_600_000);
    await writeFile(path.join(store, 'world/one.md'), story('one', { extra: 'retracted: 2026-11-24T12:30:00+00:00\nretractionNote: The source withdrew the claim.\n' }));
    const snapshot = await publishedSnapshot(job, pathsChanged(['world/one.md']));

    const last = (await entries(job)).at(-1);
    expect(last).toMatchObject({ change: 'retracted', at: NOW + 3_600_000, scopes: ['world'] });
    expect(last?.article).toMatchObject({ id: 'one', title: 'Story one', contentHtml: '<p>Body of one.</p>', retracted: Date.parse('2026-11-24T12:30:00Z'), retractionNote: 'The source withdrew the claim.' });

    expect(snapshot.findArticle('one')).toBeUndefined();
    expect(snapshot.articlePage('one')).toBeUndefined();
    expect(text(snapshot, 'index.html')).not.toContain('Story one');
    for (const scope of ['', 'category/world/']) expect(noticesFor(snapshot, scope, 'one').atomEntries).toEqual([]);
    const gone = snapshot.retractedPage?.('one')?.body.toString('utf8') ?? '';
    expect(gone).toContain('This article was retracted on');
    expect(gone).toContain('The source withdrew the claim.');
    expect(gone).not.toContain('Body of one.');
  });

  it('tells partners in atom.xml, rss.xml and feed.json of the site and the article\'s category, and every document still validates', async () => {
    const job = await startJob();
    await publishedSnapshot(job, WHOLE_STORE);
    await writeFile(path.join(store, 'world/one.md'), story('one', { extra: 'retracted: 2026-11-24T11:00:00Z\nretractionNote: Withdrawn.\n' }));
    const snapshot = await publishedSnapshot(job, pathsChanged(['world/one.md']));
    for (const scope of ['', 'category/world/']) {
      const seen = noticesFor(snapshot, scope, 'one');
      expect(seen.atomNamespace).toBe('http://purl.org/atompub/tombstones/1.0');
      expect(seen.atom).toEqual([expect.objectContaining({ '@when': '2026-11-24T11:00:00Z', 'at:comment': 'Withdrawn.' })]);
      expect(seen.rss).toEqual([expect.objectContaining({ pubDate: 'Tue, 24 Nov 2026 11:00:00 GMT', 'dcterms:valid': 'end=2026-11-24T11:00:00Z; scheme=W3C-DTF' })]);
      expect(seen.json).toEqual([expect.objectContaining({ _wirefeed: { deleted: '2026-11-24T11:00:00Z', retracted: '2026-11-24T11:00:00Z', note: 'Withdrawn.' } })]);
      for (const file of ['atom.xml', 'rss.xml', 'feed.json']) expectValid(snapshot, `${scope}${file}`);
    }
    // Before the entries: RFC 4287's RELAX NG schema admits extension elements only there.
    const siteAtom = text(snapshot, 'atom.xml');
    expect(siteAtom.indexOf('<at:deleted-entry')).toBeGreaterThan(-1);
    expect(siteAtom.indexOf('<at:deleted-entry')).toBeLessThan(siteAtom.indexOf('<entry>'));
    // Not in the category it was never in.
    expect(noticesFor(snapshot, 'category/tech/', 'one').atom).toEqual([]);
  });

  it('keeps the notices for the window, then drops them (the moment is armed); the 410 page stays', async () => {
    const job = await startJob({ retractionNoticeDays: 30 });
    await publishedSnapshot(job, WHOLE_STORE);
    await writeFile(path.join(store, 'world/one.md'), story('one', { extra: 'retracted: 2026-11-24T11:00:00Z\n' }));
    const retracted = await publishedSnapshot(job, pathsChanged(['world/one.md']));
    expect(retracted.nextEmbargoAt).toBe(NOW + 30 * DAY);

    setNow(NOW + 30 * DAY - 1000);
    const during = await publishedSnapshot(job, CLOCK_ONLY);
    expect(noticesFor(during, '', 'one').atom).toHaveLength(1);
    setNow(NOW + 30 * DAY);
    const after = await publishedSnapshot(job, CLOCK_ONLY);
    const seen = noticesFor(after, '', 'one');
    expect([seen.atom, seen.rss, seen.json]).toEqual([[], [], []]);
    expect(seen.atomNamespace).toBeUndefined();
    expect(after.retractedPage?.('one')).toBeDefined();
  });

  it('a future retraction is armed like an embargo: the article stays until that moment, then leaves', async () => {
    const job = await startJob();
    await writeFile(path.join(store, 'world/one.md'), story('one', { extra: 'retracted: 2026-11-24T15:00:00Z\n' }));
    const before = await publishedSnapshot(job, WHOLE_STORE);
    expect(before.findArticle('one')).toBeDefined();
    expect(before.nextEmbargoAt).toBe(Date.parse('2026-11-24T15:00:00Z'));
    setNow(Date.parse('2026-11-24T15:00:00Z'));
    const after = await publishedSnapshot(job, CLOCK_ONLY);
    expect(after.findArticle('one')).toBeUndefined();
    expect(summary(await entries(job))).toEqual(['published one', 'published two', 'retracted one']);
    expect(noticesFor(after, '', 'one').atom).toHaveLength(1);
  });

  it('removing the `retracted` field makes it public again: a new `published` change with the same id, and its notices leave', async () => {
    const job = await startJob();
    await publishedSnapshot(job, WHOLE_STORE);
    await writeFile(path.join(store, 'world/one.md'), story('one', { extra: 'retracted: 2026-11-24T11:00:00Z\n' }));
    await publishedSnapshot(job, pathsChanged(['world/one.md']));
    await writeFile(path.join(store, 'world/one.md'), story('one'));
    const restored = await publishedSnapshot(job, pathsChanged(['world/one.md']));
    expect(summary(await entries(job))).toEqual(['published one', 'published two', 'retracted one', 'published one']);
    expect(restored.findArticle('one')).toBeDefined();
    const seen = noticesFor(restored, '', 'one');
    expect([seen.atom, seen.rss, seen.json]).toEqual([[], [], []]);
    expect(seen.atomEntries).toHaveLength(1);
    expect(restored.retractedPage?.('one')).toBeUndefined();
  });
});

describe('retraction by deleting the file', () => {
  it('journals `retracted` at the build moment, announces it in every format and answers 410, also after a restart', async () => {
    const job = await startJob();
    await publishedSnapshot(job, WHOLE_STORE);
    setNow(NOW + 60_000);
    await rm(path.join(store, 'world/one.md'));
    const snapshot = await publishedSnapshot(job, pathsChanged(['world/one.md']));
    expect((await entries(job)).at(-1)).toMatchObject({ change: 'retracted', article: { id: 'one', retracted: NOW + 60_000 } });
    const seen = noticesFor(snapshot, 'category/world/', 'one');
    expect(seen.atom).toEqual([expect.objectContaining({ '@when': '2026-11-24T12:01:00Z' })]);
    expect(seen.rss).toHaveLength(1);
    expect(seen.json).toHaveLength(1);
    expect(snapshot.retractedPage?.('one')?.body.toString('utf8')).toContain('This article was retracted on');

    await fixture.stop(job);
    setNow(NOW + 120_000);
    const again = await startJob();
    const afterRestart = await publishedSnapshot(again, WHOLE_STORE);
    expect(noticesFor(afterRestart, '', 'one').atom).toHaveLength(1);
    expect(afterRestart.retractedPage?.('one')).toBeDefined();
    expect(summary(await entries(again))).toEqual(['published one', 'published two', 'retracted one']);
  });

  it('a restored file is a new `published` change with the same id', async () => {
    const job = await startJob();
    await publishedSnapshot(job, WHOLE_STORE);
    await rm(path.join(store, 'world/one.md'));
    await publishedSnapshot(job, pathsChanged(['world/one.md']));
    await writeFile(path.join(store, 'world/one.md'), story('one'));
    const snapshot = await publishedSnapshot(job, pathsChanged(['world/one.md']));
    expect(summary(await entries(job))).toEqual(['published one', 'published two', 'retracted one', 'published one']);
    expect(noticesFor(snapshot, '', 'one').atomEntries).toHaveLength(1);
    expect(noticesFor(snapshot, '', 'one').atom).toEqual([]);
  });
});

describe('corrections', () => {
  it('a new or changed `correction` is a `corrected` entry, shown above the body in every format and on the page', async () => {
    const job = await startJob();
    await publishedSnapshot(job, WHOLE_STORE);
    await writeFile(path.join(store, 'world/one.md'), story('one', { updated: '2026-11-24T10:00:00Z', extra: 'correction: An earlier version named the wrong <city> & date.\n' }));
    const snapshot = await publishedSnapshot(job, pathsChanged(['world/one.md']));
    expect((await entries(job)).at(-1)).toMatchObject({ change: 'corrected', article: { id: 'one', correction: 'An earlier version named the wrong <city> & date.' } });

    const block = '<p class="correction"><strong>Correction:</strong> An earlier version named the wrong &lt;city&gt; &amp; date.</p>';
    const json = JSON.parse(text(snapshot, 'feed.json')) as { items: { id: string; content_html: string }[] };
    expect(json.items.find((item) => item.id.endsWith(':one'))?.content_html).toBe(`${block}\n<p>Body of one.</p>`);
    const rssItem = (xml.parse(text(snapshot, 'rss.xml')).rss.channel.item as { guid: { '#text': string }; 'content:encoded': string }[]).find((item) => item.guid['#text'].endsWith(':one'));
    expect(rssItem?.['content:encoded']).toBe(`${block}\n<p>Body of one.</p>`);
    expect(text(snapshot, 'atom.xml')).toContain(`<![CDATA[${block}\n<p>Body of one.</p>]]>`);
    const page = snapshot.articlePage('one')?.body.toString('utf8') ?? '';
    expect(page.indexOf(block)).toBeGreaterThan(-1);
    expect(page.indexOf(block)).toBeLessThan(page.indexOf('<p>Body of one.</p>'));

    // The same correction again with a later `updated` is an ordinary revision; a changed one is `corrected` again.
    setNow(NOW + 3_600_000);
    await writeFile(path.join(store, 'world/one.md'), story('one', { updated: '2026-11-24T13:00:00Z', extra: 'correction: An earlier version named the wrong <city> & date.\n' }));
    await publishedSnapshot(job, pathsChanged(['world/one.md']));
    setNow(NOW + 7_200_000);
    await writeFile(path.join(store, 'world/one.md'), story('one', { updated: '2026-11-24T14:00:00Z', extra: 'correction: The vote was on Tuesday.\n' }));
    await publishedSnapshot(job, pathsChanged(['world/one.md']));
    expect(summary(await entries(job)).slice(2)).toEqual(['corrected one', 'revised one', 'corrected one']);
  });
});
