import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../src/http/match-route.ts';
import { parseRequestTarget } from '../../src/http/parse-request-target.ts';

function match(path: string): ReturnType<typeof matchRoute> {
  const target = parseRequestTarget(path);
  if (!target.ok) throw new Error(`fixture path ${path} does not parse`);
  return matchRoute(target.segments);
}

describe('matchRoute', () => {
  it.each([
    ['/', { kind: 'document', route: '/', path: 'index.html', canonical: true }],
    ['/rss.xml', { kind: 'document', route: '/rss.xml', path: 'rss.xml', canonical: true }],
    ['/atom.xml', { kind: 'document', route: '/atom.xml', path: 'atom.xml', canonical: true }],
    ['/feed.json', { kind: 'document', route: '/feed.json', path: 'feed.json', canonical: true }],
    ['/feeds.opml', { kind: 'document', route: '/feeds.opml', path: 'feeds.opml', canonical: true }],
    ['/category/world/', { kind: 'category', route: '/category/:slug/', slug: 'world', file: 'index.html', canonical: true }],
    ['/category/world/rss.xml', { kind: 'category', route: '/category/:slug/rss.xml', slug: 'world', file: 'rss.xml', canonical: true }],
    ['/category/world/atom.xml', { kind: 'category', route: '/category/:slug/atom.xml', slug: 'world', file: 'atom.xml', canonical: true }],
    ['/category/world/feed.json', { kind: 'category', route: '/category/:slug/feed.json', slug: 'world', file: 'feed.json', canonical: true }],
    ['/articles/volcano', { kind: 'article', route: '/articles/:slug', slug: 'volcano', canonical: true }],
    ['/healthz', { kind: 'health', route: '/healthz' }],
    ['/metrics', { kind: 'metrics', route: '/metrics' }],
  ])('matches the canonical %s', (path, expected) => {
    expect(match(path)).toEqual(expected);
  });

  it.each([
    ['/rss.xml/', '/rss.xml'],
    ['/RSS.xml', '/rss.xml'],
    ['/index.html', '/'],
    ['/category/world', '/category/:slug/'],
    ['/category/world/index.html', '/category/:slug/'],
    ['/Category/world/', '/category/:slug/'],
    ['/category/world/rss.xml/', '/category/:slug/rss.xml'],
    ['/category/world/Atom.XML', '/category/:slug/atom.xml'],
    ['/articles/volcano/', '/articles/:slug'],
  ])('matches %s as a non-canonical spelling of %s', (path, route) => {
    expect(match(path)).toMatchObject({ route, canonical: false });
  });

  it.each(['/nope', '//', '//rss.xml', '/rss.xml//', '/category', '/category/', '/category//rss.xml', '/category/world/nope.xml', '/category/world/rss.xml/x', '/articles/', '/articles/a/b', '/healthz/', '/Metrics'])(
    'matches nothing for %s',
    (path) => {
      expect(match(path)).toBeUndefined();
    },
  );
});
