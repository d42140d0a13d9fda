import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../../src/http/parse-request-target.ts';
import type { RouteAnswers } from '../../src/http/routing.ts';
import { createRouter, matchRoute, ROUTES } from '../../src/http/routing.ts';

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

  it.each(Object.entries(ROUTES))('reads the pattern of ROUTES.%s, as the router registers it, as that route\'s canonical spelling', (_name, route) => {
    const matched = match(route.pattern.replace(':slug', 'world').replace(':page', '3'));
    expect(matched?.route).toBe(route.pattern);
    expect(matched?.kind).toBe(route.kind);
    if (matched !== undefined && 'canonical' in matched) expect(matched.canonical).toBe(true);
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
    ['/Archive/3.atom', '/archive/:page.atom'],
    ['/archive/3.XML', '/archive/:page.xml'],
    ['/category/world/ARCHIVE/2.json', '/category/:slug/archive/:page.json'],
  ])('matches %s as a non-canonical spelling of %s', (path, route) => {
    expect(match(path)).toMatchObject({ route, canonical: false });
  });

  it.each(['/nope', '//', '//rss.xml', '/rss.xml//', '/category', '/category/', '/category//rss.xml', '/category/world/nope.xml', '/category/world/rss.xml/x', '/articles/', '/articles/a/b', '/healthz/', '/Metrics', '/archive/0.atom', '/archive/03.atom', '/archive/3.rss', '/archive/3', '/category/world/archive/x.xml', '/category/world/archive/3.atom/x'])(
    'matches nothing for %s',
    (path) => {
      expect(match(path)).toBeUndefined();
    },
  );
});

/** The router is only inspected here, never dispatched, so its answers are never called. */
const unused: RouteAnswers = {
  answer: () => {
    throw new Error('not dispatched in these tests');
  },
  methodNotAllowed: () => {
    throw new Error('not dispatched in these tests');
  },
  unmatched: () => {
    throw new Error('not dispatched in these tests');
  },
};
const router = createRouter(unused);

function routeFor(path: string, method = 'GET'): string | RegExp | undefined {
  const found = router.match(path, method);
  return found.route ? found.pathAndMethod.at(-1)?.path : undefined;
}

describe('createRouter', () => {
  it('declares exactly the public route patterns, which are also the metrics labels', () => {
    expect(router.stack.map((layer) => layer.path).sort()).toEqual(Object.values(ROUTES).map((route) => route.pattern).sort());
  });

  it('answers GET and HEAD on every route and nothing else', () => {
    for (const layer of router.stack) expect([...layer.methods].sort()).toEqual(['GET', 'HEAD']);
  });

  it.each([
    ['/', ROUTES.index.pattern],
    ['/rss.xml', ROUTES.rss.pattern],
    ['/feeds.opml', ROUTES.opml.pattern],
    ['/category/world/', ROUTES.categoryPage.pattern],
    ['/category/World/atom.xml', ROUTES.categoryAtom.pattern],
    ['/category/world/feed.json', ROUTES.categoryJson.pattern],
    ['/articles/Volcano-Erupts', ROUTES.article.pattern],
    ['/healthz', ROUTES.health.pattern],
    ['/metrics', ROUTES.metrics.pattern],
  ])('routes %s to %s', (path, pattern) => {
    expect(routeFor(path)).toBe(pattern);
    expect(routeFor(path, 'HEAD')).toBe(pattern);
  });

  it.each(['/RSS.xml', '/rss.xml/', '/index.html', '/Category/world/', '/category/world', '/category/world/Atom.xml', '/articles/volcano/', '/Healthz', '/metrics/'])(
    'leaves the other spelling %s to the fallback: matching is case-sensitive and strict about "/"',
    (path) => {
      expect(routeFor(path)).toBeUndefined();
    },
  );

  it('matches the path of a known route for other methods without routing them, so the fallback answers 405', () => {
    const found = router.match('/rss.xml', 'POST');
    expect(found.route).toBe(false);
    expect(found.path.map((layer) => layer.path)).toEqual([ROUTES.rss.pattern]);
  });
});
