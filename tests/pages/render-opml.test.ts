import { describe, expect, it } from 'vitest';
import { listFeeds, renderOpml } from '../../src/pages/subscriptions.ts';
import { CONTENT_DATE, makeSite } from '../http/fixture-snapshot.ts';
import { attribute, findElements, parseMarkup, textOf } from './parse-markup.ts';

describe('renderOpml', () => {
  const site = makeSite();

  it('is OPML 2.0 listing every feed of the site and of each category, in each format', () => {
    const tree = parseMarkup(renderOpml(site, listFeeds(site), CONTENT_DATE));
    expect(attribute(findElements(tree, 'opml')[0], 'version')).toBe('2.0');
    const outlines = findElements(tree, 'outline');
    expect(outlines.map((outline) => attribute(outline, 'xmlUrl'))).toEqual([
      'https://news.example.com/rss.xml',
      'https://news.example.com/atom.xml',
      'https://news.example.com/feed.json',
      'https://news.example.com/category/world/rss.xml',
      'https://news.example.com/category/world/atom.xml',
      'https://news.example.com/category/world/feed.json',
      'https://news.example.com/category/science-tech/rss.xml',
      'https://news.example.com/category/science-tech/atom.xml',
      'https://news.example.com/category/science-tech/feed.json',
    ]);
    for (const outline of outlines) {
      expect(attribute(outline, 'type')).toBe('rss');
      expect(attribute(outline, 'text')).toBeTruthy();
      expect(attribute(outline, 'title')).toBe(attribute(outline, 'text'));
    }
    expect(outlines.map((outline) => attribute(outline, 'htmlUrl'))).toEqual([
      ...Array<string>(3).fill('https://news.example.com/'),
      ...Array<string>(3).fill('https://news.example.com/category/world/'),
      ...Array<string>(3).fill('https://news.example.com/category/science-tech/'),
    ]);
    expect(attribute(outlines[7], 'title')).toBe('Sample News — Science & Tech (Atom)');
  });

  it('dates the list from the content it is given, so the same input gives the same bytes', () => {
    const first = renderOpml(site, listFeeds(site), CONTENT_DATE);
    expect(renderOpml(site, listFeeds(site), CONTENT_DATE)).toBe(first);
    expect(textOf(findElements(parseMarkup(first), 'dateCreated')[0])).toBe('Fri, 20 Nov 2026 09:30:00 GMT');
    expect(renderOpml(site, listFeeds(site), CONTENT_DATE + 60_000)).not.toBe(first);
  });

  it('stays well-formed with hostile names and drops characters XML cannot carry', () => {
    const hostile = makeSite({
      title: 'News <&> "quoted" \'single\'\u0001',
      categories: [{ name: '"/><script>alert(1)</script>', slug: 'odd', description: '' }],
    });
    const tree = parseMarkup(renderOpml(hostile, listFeeds(hostile), CONTENT_DATE));
    expect(textOf(findElements(tree, 'ownerName')[0])).toBe('News <&> "quoted" \'single\'');
    expect(findElements(tree, 'script')).toEqual([]);
    expect(attribute(findElements(tree, 'outline')[3], 'text')).toBe('News <&> "quoted" \'single\' — "/><script>alert(1)</script> (RSS)');
  });
});
