import { describe, expect, it } from 'vitest';
import { MAX_TARGET_LENGTH, parseRequestTarget } from '../../src/http/parse-request-target.ts';

describe('parseRequestTarget', () => {
  it('splits and decodes the path and keeps the query apart', () => {
    expect(parseRequestTarget('/category/world/rss.xml?utm_source=x')).toEqual({
      ok: true,
      path: '/category/world/rss.xml',
      segments: ['category', 'world', 'rss.xml'],
      query: '?utm_source=x',
    });
    expect(parseRequestTarget('/')).toEqual({ ok: true, path: '/', segments: [''], query: '' });
    // `path` stays encoded: it is what the router matches, byte for byte.
    expect(parseRequestTarget('/r%73s.xml')).toEqual({ ok: true, path: '/r%73s.xml', segments: ['rss.xml'], query: '' });
    expect(parseRequestTarget('/category/world/')).toMatchObject({ segments: ['category', 'world', ''] });
  });

  it('accepts the absolute form proxies send', () => {
    expect(parseRequestTarget('http://news.example.com/rss.xml')).toMatchObject({ ok: true, path: '/rss.xml', segments: ['rss.xml'] });
  });

  it.each(['/../etc/passwd', '/category/../rss.xml', '/category/%2e%2e/rss.xml', '/category/%2E%2E/rss.xml', '/category/./rss.xml', '/category/a%2fb/rss.xml', '/category/a%5cb/rss.xml', '/rss.xml%00', '/category/%0d%0a/rss.xml'])(
    'refuses %j with 400',
    (target) => {
      expect(parseRequestTarget(target)).toMatchObject({ ok: false, status: 400 });
    },
  );

  it.each(['/rss.xml#top', '/rss.xml?a=1#top', '/#'])('refuses %j, whose fragment no request may carry, with 400', (target) => {
    expect(parseRequestTarget(target)).toMatchObject({ ok: false, status: 400 });
  });

  it.each(['/%', '/%zz', '/%e0%a4%a', '/rss%2.xml', '*', 'ftp://example.com/rss.xml'])('refuses the malformed %j with 400', (target) => {
    expect(parseRequestTarget(target)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a target over the limit with 414', () => {
    expect(parseRequestTarget(`/${'a'.repeat(MAX_TARGET_LENGTH)}`)).toMatchObject({ ok: false, status: 414 });
    expect(parseRequestTarget(`/${'a'.repeat(MAX_TARGET_LENGTH - 1)}`)).toMatchObject({ ok: true });
  });
});
