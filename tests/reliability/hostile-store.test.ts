import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import type { HostileEntry, HostileStore } from '../fixtures/generate-hostile-store.ts';
import { generateHostileStore, writeHostileStore } from '../fixtures/generate-hostile-store.ts';
import type { FeedFormat } from '../../src/domain/documents.ts';
import type { Problem } from '../../src/domain/problem.ts';
import { formatProblem } from '../../src/domain/problem.ts';
import { displayPath } from '../../src/store/read-store.ts';
import { validateFeedText } from '../../src/validation/validate-feed-text.ts';
import type { RunningWirefeed } from '../../src/wirefeed.ts';
import { pathsChanged } from '../../src/domain/store-change.ts';
import { startWirefeed } from '../../src/wirefeed.ts';
import type { SaxElement } from '../fixtures/articles/read-xml-with-saxes.ts';
import { childOf, childrenOf, NS, readXml } from '../fixtures/articles/read-xml-with-saxes.ts';

/**
 * The real service on a store where a healthy generated corpus sits among every kind of broken
 * and malicious file (tests/fixtures/generate-hostile-store.ts says what each one is and what must
 * become of it). Feeds are read back over HTTP with a strict XML parser, not the one under test.
 */
const NOW = Date.parse('2026-11-24T12:00:00Z');
const MAX_ARTICLE_BYTES = 1024 * 1024;
const HEAP_CEILING_BYTES = 1024 ** 3;

let root: string;
let contentDir: string;
let store: HostileStore;
let running: RunningWirefeed;
const warnings: string[] = [];

interface FeedItem {
  readonly title: string;
  readonly content: string;
  readonly link: string;
}

const byOutcome = <K extends HostileEntry['expect']['outcome']>(outcome: K) =>
  store.entries.filter((entry): entry is HostileEntry & { expect: Extract<HostileEntry['expect'], { outcome: K }> } => entry.expect.outcome === outcome);
const shown = (entry: HostileEntry): string => displayPath(path.join(contentDir, entry.path));

async function get(pathname: string): Promise<Response> {
  return fetch(new URL(pathname, running.url));
}

async function healthProblems(): Promise<Problem[]> {
  const body = (await (await get('/healthz')).json()) as { rejectedArticles: Problem[] };
  return body.rejectedArticles;
}

/** What a reader shows for an Atom text construct (RFC 4287 §3.1) that holds plain text. */
function atomPlainText(element: SaxElement): string {
  const type = element.attributes.type ?? 'text';
  if (type === 'text') return element.text;
  if (type !== 'html') throw new Error(`an Atom ${element.local} of type "${type}" where plain text was written`);
  // Plain text carried as HTML must be escaped: any markup left would be rendered, not shown.
  if (element.text.includes('<')) return `(markup in a plain-text ${element.local}: ${element.text})`;
  return element.text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[lower] ?? '';
  });
}

function itemsOf(format: FeedFormat, text: string): FeedItem[] {
  if (format === 'json') {
    const feed = JSON.parse(text) as { items: { title: string; content_html: string; url: string }[] };
    return feed.items.map((item) => ({ title: item.title, content: item.content_html, link: item.url }));
  }
  const document = readXml(text);
  if (format === 'rss') {
    return childrenOf(childOf(document, NS.none, 'channel'), NS.none, 'item').map((item) => ({
      title: childOf(item, NS.none, 'title').text,
      content: childOf(item, NS.content, 'encoded').text,
      link: childOf(item, NS.none, 'link').text,
    }));
  }
  return childrenOf(document, NS.atom, 'entry').map((entry: SaxElement) => ({
    title: atomPlainText(childOf(entry, NS.atom, 'title')),
    content: childOf(entry, NS.atom, 'content').text,
    link: childrenOf(entry, NS.atom, 'link').find((link) => (link.attributes.rel ?? 'alternate') === 'alternate')?.attributes.href ?? '',
  }));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wirefeed-hostile-store-'));
  store = generateHostileStore({ seed: 7, healthyArticles: 40, categories: 5, now: NOW, maxArticleBytes: MAX_ARTICLE_BYTES });
  contentDir = await writeHostileStore(root, store);
  const config = readConfig(
    {
      CONTENT_DIR: contentDir,
      OUTPUT_DIR: path.join(root, 'public'),
      PORT: '0',
      HOST: '127.0.0.1',
      // Room for every public article in the site feeds, so each one's presence can be checked.
      FEED_ITEM_LIMIT: '1000',
      MAX_ARTICLE_BYTES: String(MAX_ARTICLE_BYTES),
    },
    root,
  );
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(String((JSON.parse(line) as { msg?: unknown }).msg)) });
  running = await startWirefeed(config, logger, () => NOW);
}, 60_000);

afterAll(async () => {
  await running?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('a store full of broken and malicious files', () => {
  it('reports each bad file exactly once, naming it and the field, with the reason', async () => {
    const problems = await healthProblems();
    for (const entry of byOutcome('rejected')) {
      const own = problems.filter((problem) => problem.subject === shown(entry));
      expect(own, `${entry.path} (${entry.what})`).toHaveLength(1);
      expect(own[0]?.message, entry.path).toMatch(entry.expect.reason);
      expect(own[0]?.field, entry.path).toBe(entry.expect.field);
    }
    // Nothing else is reported: no valid file is blamed, no bad one twice under another name.
    expect(problems).toHaveLength(byOutcome('rejected').length);
  });

  it('logs each problem once, however many builds see it', async () => {
    await running.rebuild();
    const healthy = byOutcome('published')[0];
    if (!healthy) throw new Error('the store has no healthy article');
    // A real change, so the next build re-reads and re-reports rather than reusing everything.
    await utimes(path.join(contentDir, healthy.path), new Date(NOW), new Date(NOW));
    await running.rebuild(pathsChanged([healthy.path]));
    for (const entry of byOutcome('rejected')) {
      const lines = warnings.filter((line) => line.startsWith(`${shown(entry)}: `));
      expect(lines, entry.path).toHaveLength(1);
    }
  });

  it('publishes every public article, healthy or hostile-but-valid, and nothing else, in all three site feeds', async () => {
    const expected = byOutcome('published').map((entry) => entry.expect.title).sort();
    expect(expected.length).toBeGreaterThan(40);
    for (const format of ['rss', 'atom', 'json'] as const) {
      const file = { rss: '/rss.xml', atom: '/atom.xml', json: '/feed.json' }[format];
      const response = await get(file);
      expect(response.status).toBe(200);
      const titles = itemsOf(format, await response.text()).map((item) => item.title).sort();
      expect(titles, format).toEqual(expected);
    }
  });

  it('keeps hostile content intact where it is valid, and harmless where it is not', async () => {
    const feeds = await Promise.all((['rss', 'atom', 'json'] as const).map(async (format) => {
      const text = await (await get({ rss: '/rss.xml', atom: '/atom.xml', json: '/feed.json' }[format])).text();
      return itemsOf(format, text);
    }));
    for (const entry of byOutcome('published').filter((candidate) => candidate.path.startsWith('hostile/'))) {
      for (const items of feeds) {
        const item = items.find((candidate) => candidate.title === entry.expect.title);
        expect(item, entry.path).toBeDefined();
        if (entry.expect.contentMarker !== undefined) expect(item?.content, entry.path).toContain(entry.expect.contentMarker);
        if (entry.path === 'hostile/script-body.md') {
          // "javascript:" may remain as visible text (markdown-it leaves such a link unlinked), never as a URL.
          expect(item?.content).not.toMatch(/<script|<iframe|<svg|\sonerror|\sonload|(href|src)\s*=\s*["']?\s*javascript:/i);
        }
      }
      // Its page renders too (the feeds link there).
      const link = feeds[2]?.find((item) => item.title === entry.expect.title)?.link ?? '';
      const page = await get(new URL(link).pathname);
      expect(page.status, `${entry.path} page`).toBe(200);
      expect(await page.text()).not.toMatch(/<script/i);
    }
    // The nested-div article was not flattened to nothing, nor left ten thousand levels deep.
    const nested = feeds[0]?.find((item) => item.title === 'Deeply nested HTML');
    expect(nested?.content.length).toBeGreaterThan(0);
    // YAML keys named __proto__ or constructor are plain, ignored fields.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('serves only documents that pass validation and a strict XML 1.0 parser, and nothing from outside the store', async () => {
    const snapshot = running.current();
    if (!snapshot) throw new Error('no snapshot');
    const feedPaths = [...snapshot.documents.keys()].filter((documentPath) => /(^|\/)(rss\.xml|atom\.xml|feed\.json)$/.test(documentPath));
    // The site and every declared category, each in three formats.
    expect(feedPaths).toHaveLength((store.categoryNames.length + 1) * 3);
    for (const feedPath of feedPaths) {
      const response = await get(`/${feedPath}`);
      expect(response.status, feedPath).toBe(200);
      const text = await response.text();
      expect(validateFeedText(text, { now: NOW, subject: feedPath }), feedPath).toEqual([]);
      if (feedPath.endsWith('.xml')) expect(() => readXml(text), feedPath).not.toThrow();
      else expect(() => JSON.parse(text) as unknown, feedPath).not.toThrow();
    }
    for (const document of snapshot.documents.values()) {
      expect(document.body.includes(store.outsideTitle), document.path).toBe(false);
    }
    expect(snapshot.build.failedDocuments.map(formatProblem)).toEqual([]);
  });

  it('stays within a bounded heap', () => {
    // The alias bomb expands to a billion strings and the title to a megabyte per copy if either gets through.
    expect(process.memoryUsage().heapUsed).toBeLessThan(HEAP_CEILING_BYTES);
  });
});
