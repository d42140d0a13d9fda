import { describe, expect, it } from 'vitest';
import { ArticleBody } from '../../src/domain/article-body.ts';

describe('ArticleBody', () => {
  it('gives back exactly the HTML it was made from, in every script', () => {
    const html = '<p>Ferries &amp; fares — €4.05, القياسات متطابقة, 测量结果一致, 🚀 <a href="https://x.example/?a=1&amp;b=2">link</a></p>\n<p>Second.</p>';
    expect(ArticleBody.fromHtml(html).html()).toBe(html);
  });

  it('drops characters XML cannot carry, lone surrogates included', () => {
    expect(ArticleBody.fromHtml('<p>a\u0000b\u0008c\uD800d\uFFFEe</p>').html()).toBe('<p>abcde</p>');
  });

  it('hashes by content: equal bodies share a hash, a one-character edit changes it', () => {
    const body = '<p>The council met on Monday.</p>';
    expect(ArticleBody.fromHtml(body).hash).toBe(ArticleBody.fromHtml(body).hash);
    expect(ArticleBody.fromHtml(body).hash).not.toBe(ArticleBody.fromHtml(body.replace('Monday', 'Tuesday')).hash);
  });

  it('holds a typical article body in well under half its size', () => {
    const html = Array.from({ length: 12 }, (_, i) => `<p>Paragraph ${i}: the harbour authority said the ferries would run again from Monday, and fares would fall.</p>`).join('\n');
    const body = ArticleBody.fromHtml(html);
    expect(body.storedBytes).toBeLessThan(Buffer.byteLength(html) / 2);
  });

  it('serialises as its HTML, so logs and snapshots of an article show the text', () => {
    expect(JSON.stringify({ body: ArticleBody.fromHtml('<p>x</p>') })).toBe('{"body":"<p>x</p>"}');
  });
});
