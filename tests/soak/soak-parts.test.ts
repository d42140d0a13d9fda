import { describe, expect, it } from 'vitest';
import { feedsOfOpml } from '../../tools/soak/discover-feeds.ts';
import { judgeMemory } from '../../tools/soak/judge-memory.ts';

const MIB = 2 ** 20;

describe('judgeMemory', () => {
  const samples = [0, 10, 20, 30, 40].map((second, index) => ({ atMs: second * 1000, rssBytes: [200, 300, 310, 320, 330][index]! * MIB }));

  it('compares the end with the highest level of the first quarter, so the load filling up is not a leak', () => {
    const verdict = judgeMemory(samples, 40_000, 330 * MIB, 64 * MIB);
    expect(verdict.warmRssBytes).toBe(300 * MIB);
    expect(verdict.growthBytes).toBe(30 * MIB);
    expect(verdict.ok).toBe(true);
  });

  it('fails growth past the bound, and an end it could not read', () => {
    expect(judgeMemory(samples, 40_000, 400 * MIB, 64 * MIB).ok).toBe(false);
    expect(judgeMemory(samples, 40_000, Number.NaN, 64 * MIB).ok).toBe(false);
  });
});

describe('feedsOfOpml', () => {
  it('keeps only the paths, whatever host the OPML names, with each feed format', () => {
    const opml = `<opml version="2.0"><body>
      <outline type="rss" text="a" xmlUrl="https://news.example.com/rss.xml"/>
      <outline type="rss" text="b" xmlUrl="http://localhost:3000/category/world/atom.xml?x=1&amp;y=2"/>
      <outline type="rss" text="c" xmlUrl="https://elsewhere.example/category/world/feed.json"/>
    </body></opml>`;
    expect(feedsOfOpml(opml)).toEqual([
      { path: '/rss.xml', format: 'rss' },
      { path: '/category/world/atom.xml', format: 'atom' },
      { path: '/category/world/feed.json', format: 'json' },
    ]);
  });

  it('refuses an outline that is no feed and an OPML without feeds', () => {
    expect(() => feedsOfOpml('<outline xmlUrl="https://news.example.com/index.html"/>')).toThrow(/no feed path/);
    expect(() => feedsOfOpml('<opml/>')).toThrow(/lists no feeds/);
  });
});
