import { describe, expect, it } from 'vitest';
import type { RouteAnswers } from '../../src/http/answer-route.ts';
import { ROUTES } from '../../src/http/match-route.ts';
import { createRouter } from '../../src/http/routes.ts';

/** The router is only inspected here, never dispatched, so its answers are never called. */
const unused: RouteAnswers = {
  answer: () => {
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
    expect(router.stack.map((layer) => layer.path).sort()).toEqual(Object.values(ROUTES).sort());
  });

  it('answers GET and HEAD on every route and nothing else', () => {
    for (const layer of router.stack) expect([...layer.methods].sort()).toEqual(['GET', 'HEAD']);
  });

  it.each([
    ['/', ROUTES.index],
    ['/rss.xml', ROUTES.rss],
    ['/feeds.opml', ROUTES.opml],
    ['/category/world/', ROUTES.categoryPage],
    ['/category/World/atom.xml', ROUTES.categoryAtom],
    ['/category/world/feed.json', ROUTES.categoryJson],
    ['/articles/Volcano-Erupts', ROUTES.article],
    ['/healthz', ROUTES.health],
    ['/metrics', ROUTES.metrics],
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
    expect(found.path.map((layer) => layer.path)).toEqual([ROUTES.rss]);
  });
});
