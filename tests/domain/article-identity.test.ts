import { describe, expect, it } from 'vitest';
import { articleLink } from '../../src/domain/article-identity.ts';
import { articlePageUrl } from '../../src/domain/site-urls.ts';

const SITE = { baseUrl: 'https://news.example.com/feeds' };

describe('articleLink', () => {
  it('links to the article page at the same, encoded URL the page is served and linked at', () => {
    for (const slug of ['ferries', 'café-au-lait', 'a b', 'what?', '100%', 'a#b', 'قطار-الصعيد']) {
      const link = articleLink({ slug, url: undefined }, SITE);
      expect(link, slug).toBe(articlePageUrl(SITE, slug));
      const parsed = new URL(link);
      // The slug comes back whole as the last path segment: no query, no fragment, nothing cut.
      expect(parsed.search, slug).toBe('');
      expect(parsed.hash, slug).toBe('');
      expect(decodeURIComponent(parsed.pathname.split('/').pop() ?? ''), slug).toBe(slug);
    }
  });

  it('prefers the publisher’s own page when the article names one', () => {
    expect(articleLink({ slug: 'ferries', url: 'https://elsewhere.example/story' }, SITE)).toBe('https://elsewhere.example/story');
  });
});
