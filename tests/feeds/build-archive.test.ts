import { describe, expect, it } from 'vitest';
import type { ChangeEntry, ChangeKind } from '../../src/domain/change-entry.ts';
import type { FeedFormat } from '../../src/domain/documents.ts';
import { buildArchiveDocument } from '../../src/feeds/build-archive.ts';
import { validateFeedText } from '../../src/validation/validate-feed-text.ts';
import { SITE } from '../articles/sample-site.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const SPORT = { kind: 'category', slug: 'sport' } as const;
const FORMATS: readonly FeedFormat[] = ['atom', 'rss', 'json'];

function entry(seq: number, id: string, change: ChangeKind, options: { title?: string; categories?: string[] } = {}): ChangeEntry {
  const categories = (options.categories ?? ['sport']).map((slug) => ({ slug, name: slug === 'sport' ? 'Sport' : 'General News' }));
  return {
    seq,
    at: NOW - 10_000 + seq * 1000,
    change,
    scopes: categories.map((category) => category.slug),
    article: {
      id, sourcePath: `${id}.md`, slug: id, title: options.title ?? `Story ${id}`, summary: '', contentHtml: '<p>Body</p>',
      categories, tags: [], authors: [], published: NOW - 100_000, updated: NOW - 100_000 + seq * 1000,
    },
  };
}

const ENTRIES: readonly ChangeEntry[] = [
  entry(1, 'a', 'published'),
  entry(2, 'b', 'published'),
  entry(3, 'a', 'revised', { title: 'Story a, revised' }),
  entry(4, 'c', 'published'),
  entry(5, 'b', 'retracted'),
  entry(6, 'c', 'recategorised', { categories: ['general-news'] }),
];

describe('archive documents', () => {
  it.each(FORMATS)('in %s, pass the feeds\' validation and show each id once, as its newest entry left it', (format) => {
    const page = buildArchiveDocument({ site: SITE, scope: SPORT, format, page: 2, entries: ENTRIES, complete: true, ttlMinutes: 15 });
    expect(validateFeedText(page.body, { now: NOW, format, subject: page.path })).toEqual([]);
    expect(page.path).toBe(`category/sport/archive/2.${format === 'rss' ? 'xml' : format}`);
    expect(page.shown.map((shown) => [shown.id, shown.title])).toEqual([['tag:news.example.com,2026:a', 'Story a, revised']]);
    // Retracted, and moved out of this category: both gone from this feed.
    expect(page.gone.map((gone) => gone.id)).toEqual(['tag:news.example.com,2026:c', 'tag:news.example.com,2026:b']);
    expect(page.lastModified).toBe(NOW - 4000);
  });

  it('link current, prev-archive and, on a complete page, next-archive, with the namespaces declared', () => {
    const complete = buildArchiveDocument({ site: SITE, scope: SPORT, format: 'atom', page: 2, entries: ENTRIES, complete: true, ttlMinutes: 15 }).body;
    expect(complete).toContain('xmlns:fh="http://purl.org/syndication/history/1.0"');
    expect(complete).toContain('xmlns:at="http://purl.org/atompub/tombstones/1.0"');
    expect(complete).toContain('<fh:archive/>');
    expect(complete).toContain('<link rel="current" href="https://news.example.com/category/sport/atom.xml"/>');
    expect(complete).toContain('<link rel="prev-archive" href="https://news.example.com/category/sport/archive/1.atom"/>');
    expect(complete).toContain('<link rel="next-archive" href="https://news.example.com/category/sport/archive/3.atom"/>');
    expect(complete).toContain('<at:deleted-entry ref="tag:news.example.com,2026:b" when="2026-11-24T11:59:55Z">');
    const first = buildArchiveDocument({ site: SITE, scope: SPORT, format: 'rss', page: 1, entries: ENTRIES.slice(0, 2), complete: false, ttlMinutes: 15 }).body;
    expect(first).toContain('<atom:link href="https://news.example.com/category/sport/rss.xml" rel="current" type="application/rss+xml"/>');
    expect(first).not.toContain('prev-archive');
    expect(first).not.toContain('next-archive');
    const json = JSON.parse(buildArchiveDocument({ site: SITE, scope: SPORT, format: 'json', page: 2, entries: ENTRIES, complete: true, ttlMinutes: 15 }).body) as Record<string, unknown>;
    expect(json._archive).toEqual({
      archive: true,
      current: 'https://news.example.com/category/sport/feed.json',
      prev_archive: 'https://news.example.com/category/sport/archive/1.json',
      next_archive: 'https://news.example.com/category/sport/archive/3.json',
    });
  });

  it('give the same bytes for the same entries, whatever the incomplete page\'s ttl', () => {
    const once = buildArchiveDocument({ site: SITE, scope: SPORT, format: 'rss', page: 2, entries: ENTRIES, complete: true, ttlMinutes: 15 }).body;
    expect(buildArchiveDocument({ site: SITE, scope: SPORT, format: 'rss', page: 2, entries: ENTRIES, complete: true, ttlMinutes: 60 }).body).toBe(once);
  });
});

describe('validation of archive documents', () => {
  const atom = buildArchiveDocument({ site: SITE, scope: SPORT, format: 'atom', page: 2, entries: ENTRIES, complete: true, ttlMinutes: 15 }).body;
  const rss = buildArchiveDocument({ site: SITE, scope: SPORT, format: 'rss', page: 2, entries: ENTRIES, complete: true, ttlMinutes: 15 }).body;
  const messages = (text: string, format: FeedFormat): string[] => validateFeedText(text, { now: NOW, format, subject: 'archive' }).map((problem) => `${problem.field ?? ''}: ${problem.message}`);

  it('refuses an archive without its current link', () => {
    expect(messages(atom.replace(/<link rel="current"[^>]*>/, ''), 'atom').join('\n')).toMatch(/rel=current/);
    expect(messages(rss.replace(/<atom:link[^>]*rel="current"[^>]*>/, ''), 'rss').join('\n')).toMatch(/rel=current/);
  });

  it('refuses two prev-archive links', () => {
    const twice = atom.replace(/(<link rel="prev-archive"[^>]*>)/, '$1$1');
    expect(messages(twice, 'atom').join('\n')).toMatch(/prev-archive.*more than once/);
  });

  it('refuses a tombstone without a date or with a relative ref', () => {
    expect(messages(atom.replace(/ when="[^"]*"/, ''), 'atom').join('\n')).toMatch(/when/);
    expect(messages(atom.replace(/ref="tag:news.example.com,2026:b"/, 'ref="b"'), 'atom').join('\n')).toMatch(/ref/);
  });
});
