import { describe, expect, it } from 'vitest';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import { COMET, HARBOUR_FERRIES, SAMPLE_FEED_ORDER, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';

function buildJson(extra: { hubUrl?: string } = {}) {
  const doc = buildFeedDocument({ site: SAMPLE_SITE, scope: { kind: 'site' }, format: 'json', items: SAMPLE_FEED_ORDER, ttlMinutes: 30, ...extra });
  return { doc, feed: JSON.parse(doc.body) as Record<string, unknown> & { items: Record<string, unknown>[] } };
}

describe('buildFeedDocument: JSON Feed 1.1', () => {
  it('writes the top-level members, in a fixed order', () => {
    const { doc, feed } = buildJson({ hubUrl: 'https://hub.example.com/' });
    expect(doc).toMatchObject({ path: 'feed.json', format: 'json', title: 'Wirefeed Sample News' });
    expect(Object.keys(feed)).toEqual(['version', 'title', 'home_page_url', 'feed_url', 'description', 'language', 'icon', 'authors', 'hubs', 'items']);
    expect(feed).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Wirefeed Sample News',
      home_page_url: 'https://news.example.com/',
      feed_url: 'https://news.example.com/feed.json',
      description: SAMPLE_SITE.description,
      language: 'en-GB',
      icon: 'https://news.example.com/logo.png',
      authors: [{ name: 'Wirefeed Newsdesk', url: 'https://news.example.com/about' }],
      hubs: [{ type: 'WebSub', url: 'https://hub.example.com/' }],
    });
    expect(buildJson().feed).not.toHaveProperty('hubs');
  });

  it('writes every item member, in feed order and in a fixed key order', () => {
    const { feed } = buildJson();
    expect(feed.items.map((item) => item.id)).toEqual([
      'urn:uuid:2f6c1c4e-8d0a-4a43-9a57-3c1f0e6b9d21',
      'tag:news.example.com,2026:technology%2F2026%2Fchip-plant',
      'tag:news.example.com,2026:science%2Fcomet-ice',
      'tag:news.example.com,2026:world%2Felection-explainer',
    ]);
    const item = feed.items[0];
    expect(Object.keys(item ?? {})).toEqual(['id', 'url', 'title', 'summary', 'content_html', 'image', '_media', 'date_published', 'date_modified', 'authors', 'tags']);
    expect(item).toEqual({
      id: 'urn:uuid:2f6c1c4e-8d0a-4a43-9a57-3c1f0e6b9d21',
      url: 'https://www.example-gazette.com/local/2026/03/harbour-ferries-return',
      title: HARBOUR_FERRIES.title,
      summary: HARBOUR_FERRIES.summary,
      content_html: HARBOUR_FERRIES.body.html(),
      image: 'https://news.example.com/media/ferry.jpg',
      _media: { url: 'https://news.example.com/media/ferry.jpg', mime_type: 'image/jpeg', width: 1600, height: 900, size_in_bytes: 48213 },
      date_published: '2026-03-09T07:30:00Z',
      date_modified: '2026-03-09T09:15:00Z',
      authors: [{ name: 'Amira Haddad', url: 'https://news.example.com/authors/amira-haddad' }, { name: 'Jonas Berg' }],
      tags: ['Local & Regional', 'World', 'transport', 'harbour', 'prices'],
    });
  });

  it('falls back to the site author and leaves out an image the article does not have', () => {
    const comet = buildJson().feed.items.find((item) => item.url === 'https://news.example.com/articles/comet-ice-water');
    expect(comet?.authors).toEqual([{ name: 'Wirefeed Newsdesk', url: 'https://news.example.com/about' }]);
    expect(comet).not.toHaveProperty('image');
    expect(comet?.title).toBe(COMET.title);
  });
});
