import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import type { FeedFormat } from '../../src/domain/documents.ts';
import { FEED_FORMATS } from '../../src/domain/documents.ts';
import { formatProblem } from '../../src/domain/problem.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import type { FeedDocument } from '../../src/feeds/feed-document.ts';
import { MEDIA_NAMESPACE } from '../../src/feeds/media-rss.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import type { SaxElement } from '../fixtures/articles/read-xml-with-saxes.ts';
import { NS, childOf, childrenOf, readXml, textOf } from '../fixtures/articles/read-xml-with-saxes.ts';
import { CHIP_PLANT, COMET, HARBOUR_FERRIES, SAMPLE_NOW, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';

/** The lead image as Media RSS in RSS and Atom, as `_media` in JSON Feed, and the RSS enclosure only with a real length. */

const STORE_IMAGE = {
  url: 'https://news.example.com/images/comet.jpg',
  type: 'image/jpeg',
  width: 1200,
  height: 800,
  length: 16827,
  alt: 'A comet & its tail <over> the hills',
  caption: 'The comet on Tuesday night.',
  credit: 'Jane Doe / Agency',
};
const WITH_STORE_IMAGE: Article = { ...COMET, image: STORE_IMAGE };
/** An image elsewhere: no size known, nothing but the URL and the type from its extension. */
const WITH_EXTERNAL_IMAGE: Article = { ...CHIP_PLANT, image: { url: 'https://cdn.example.com/chip.png', type: 'image/png' } };
const WITHOUT_IMAGE: Article = { ...HARBOUR_FERRIES, image: undefined };

function build(format: FeedFormat, items: readonly Article[]): FeedDocument {
  return buildFeedDocument({ site: SAMPLE_SITE, scope: { kind: 'site' }, format, items, ttlMinutes: 15 });
}

function itemsOf(format: 'rss' | 'atom', items: readonly Article[]): SaxElement[] {
  const root = readXml(build(format, items).body);
  return format === 'rss' ? childrenOf(childOf(root, NS.none, 'channel'), NS.none, 'item') : childrenOf(root, NS.atom, 'entry');
}

describe('Media RSS', () => {
  it('writes media:content with url, fileSize, type, medium, width, height, title (alt), description (caption) and credit, in RSS and Atom', () => {
    for (const format of ['rss', 'atom'] as const) {
      const [item] = itemsOf(format, [WITH_STORE_IMAGE]);
      if (!item) throw new Error(`no ${format} item`);
      const contents = childrenOf(item, MEDIA_NAMESPACE, 'content');
      expect(contents, format).toHaveLength(1);
      const content = contents[0] as SaxElement;
      expect(content.attributes).toEqual({ url: STORE_IMAGE.url, fileSize: '16827', type: 'image/jpeg', medium: 'image', width: '1200', height: '800' });
      expect(textOf(content, MEDIA_NAMESPACE, 'title')).toBe(STORE_IMAGE.alt);
      expect(childOf(content, MEDIA_NAMESPACE, 'title').attributes.type).toBe('plain');
      expect(textOf(content, MEDIA_NAMESPACE, 'description')).toBe(STORE_IMAGE.caption);
      expect(textOf(content, MEDIA_NAMESPACE, 'credit')).toBe(STORE_IMAGE.credit);
      // No smaller rendition exists, so no thumbnail.
      expect(childrenOf(item, MEDIA_NAMESPACE, 'thumbnail')).toEqual([]);
    }
  });

  it('writes only what is known of an image elsewhere, and keeps the entries in order', () => {
    for (const format of ['rss', 'atom'] as const) {
      const items = itemsOf(format, [WITH_STORE_IMAGE, WITHOUT_IMAGE, WITH_EXTERNAL_IMAGE]);
      expect(items.map((item) => childrenOf(item, MEDIA_NAMESPACE, 'content').map((content) => content.attributes.url))).toEqual([[STORE_IMAGE.url], [], ['https://cdn.example.com/chip.png']]);
      expect(childOf(items[2] as SaxElement, MEDIA_NAMESPACE, 'content').attributes).toEqual({ url: 'https://cdn.example.com/chip.png', type: 'image/png', medium: 'image' });
    }
  });

  it('declares the media namespace on the root only when an item uses it', () => {
    for (const format of ['rss', 'atom'] as const) {
      expect(build(format, [WITH_STORE_IMAGE]).body).toContain(`xmlns:media="${MEDIA_NAMESPACE}"`);
      expect(build(format, [WITHOUT_IMAGE]).body).not.toContain('xmlns:media');
      expect(build(format, [WITHOUT_IMAGE]).body).not.toContain('media:');
    }
  });

  it('keeps the RSS enclosure only with the real length', () => {
    const [stored, external] = itemsOf('rss', [WITH_STORE_IMAGE, WITH_EXTERNAL_IMAGE]);
    expect(childOf(stored as SaxElement, NS.none, 'enclosure').attributes).toEqual({ url: STORE_IMAGE.url, type: 'image/jpeg', length: '16827' });
    expect(childrenOf(external as SaxElement, NS.none, 'enclosure')).toEqual([]);
  });

  it('gives JSON Feed the image and a _media extension with the same facts', () => {
    const feed = JSON.parse(build('json', [WITH_STORE_IMAGE, WITH_EXTERNAL_IMAGE, WITHOUT_IMAGE]).body) as { items: Record<string, unknown>[] };
    expect(feed.items.map((item) => [item.image, item._media])).toEqual([
      [STORE_IMAGE.url, { url: STORE_IMAGE.url, mime_type: 'image/jpeg', width: 1200, height: 800, size_in_bytes: 16827, alt: STORE_IMAGE.alt, caption: STORE_IMAGE.caption, credit: STORE_IMAGE.credit }],
      ['https://cdn.example.com/chip.png', { url: 'https://cdn.example.com/chip.png', mime_type: 'image/png' }],
      [undefined, undefined],
    ]);
  });
});

describe('validation of Media RSS', () => {
  const problemsOf = (doc: FeedDocument): string[] => validateFeedDocument(doc, { now: SAMPLE_NOW }).map(formatProblem);
  const replaced = (doc: FeedDocument, from: string, to: string): FeedDocument => {
    if (!doc.body.includes(from)) throw new Error(`${doc.path} does not contain ${from}`);
    return { ...doc, body: doc.body.replace(from, to) };
  };

  it('accepts what the builders write, in every format', () => {
    for (const format of FEED_FORMATS) expect(problemsOf(build(format, [WITH_STORE_IMAGE, WITH_EXTERNAL_IMAGE, WITHOUT_IMAGE]))).toEqual([]);
  });

  it('rejects a relative url, sizes that are not positive whole numbers and a near-miss namespace', () => {
    for (const format of ['rss', 'atom'] as const) {
      const doc = build(format, [WITH_STORE_IMAGE]);
      expect(problemsOf(replaced(doc, `url="${STORE_IMAGE.url}" fileSize`, 'url="/images/comet.jpg" fileSize')).join('\n')).toMatch(/media:content url "\/images\/comet\.jpg" is not an absolute http\(s\) URL/);
      expect(problemsOf(replaced(doc, 'width="1200"', 'width="0"')).join('\n')).toMatch(/media:content width "0" is not a positive whole number/);
      expect(problemsOf(replaced(doc, 'height="800"', 'height="8.5"')).join('\n')).toMatch(/media:content height "8\.5" is not a positive whole number/);
      expect(problemsOf(replaced(doc, `xmlns:media="${MEDIA_NAMESPACE}"`, 'xmlns:media="http://search.yahoo.com/mrss"')).join('\n')).toMatch(/xmlns:media binds "http:\/\/search\.yahoo\.com\/mrss"; Media RSS is http:\/\/search\.yahoo\.com\/mrss\//);
    }
    const json = build('json', [WITH_STORE_IMAGE]);
    expect(problemsOf(replaced(json, '"width": 1200', '"width": -1')).join('\n')).toMatch(/_media\.width -1 is not a positive whole number/);
    expect(problemsOf(replaced(json, '"url": "https://news.example.com/images/comet.jpg"', '"url": "comet.jpg"')).join('\n')).toMatch(/_media\.url "comet\.jpg" is not an absolute http\(s\) URL/);
  });
});
