import { describe, expect, it } from 'vitest';
import { sanitiseArticleHtml } from '../../src/articles/sanitise-article-html.ts';

const BASE = { baseUrl: 'https://news.example.com/edition' };
const clean = (html: string, options: Parameters<typeof sanitiseArticleHtml>[1] = BASE): string => sanitiseArticleHtml(html, options);

describe('sanitiseArticleHtml', () => {
  it('keeps ordinary article markup', () => {
    const html =
      '<h2>Sub</h2><p><em>a</em> <strong>b</strong> <code class="language-ts">c</code></p><ul><li>x</li></ul>' +
      '<blockquote><p>q</p></blockquote><figure><img src="https://cdn.example.com/a.jpg" alt="A"><figcaption>Cap</figcaption></figure>' +
      '<table><thead><tr><th scope="col">H</th></tr></thead><tbody><tr><td colspan="2">D</td></tr></tbody></table><pre><code>x</code></pre>';
    expect(clean(html)).toBe(
      '<h2>Sub</h2><p><em>a</em> <strong>b</strong> <code class="language-ts">c</code></p><ul><li>x</li></ul>' +
        '<blockquote><p>q</p></blockquote><figure><img src="https://cdn.example.com/a.jpg" alt="A" /><figcaption>Cap</figcaption></figure>' +
        '<table><thead><tr><th scope="col">H</th></tr></thead><tbody><tr><td colspan="2">D</td></tr></tbody></table><pre><code>x</code></pre>',
    );
  });

  it('drops scripts, styles and their content', () => {
    expect(clean('<p>a<script>alert(1)</script>b<style>p{color:red}</style>c</p>')).toBe('<p>abc</p>');
  });

  it('drops event handlers and style attributes', () => {
    expect(clean('<img src="https://x.example/a.png" onerror="alert(1)" style="x"><p onclick="x()" class="c">t</p>')).toBe(
      '<img src="https://x.example/a.png" /><p>t</p>',
    );
  });

  it('drops javascript:, vbscript: and data: links and images, however they are disguised', () => {
    expect(clean('<a href="javascript:alert(1)">a</a>')).toBe('<a>a</a>');
    expect(clean('<a href="JaVaScRiPt:alert(1)">a</a>')).toBe('<a>a</a>');
    expect(clean('<a href="java&#x09;script:alert(1)">a</a>')).toBe('<a>a</a>');
    expect(clean('<a href=" &#106;avascript:alert(1)">a</a>')).toBe('<a>a</a>');
    expect(clean('<a href="vbscript:msgbox(1)">a</a>')).toBe('<a>a</a>');
    expect(clean('<a href="data:text/html;base64,PHNjcmlwdD4=">a</a>')).toBe('<a>a</a>');
    expect(clean('<p><img src="data:image/png;base64,AAAA" alt="x"></p>')).toBe('<p></p>');
  });

  it('drops frames, objects, embeds and forms', () => {
    expect(clean('<iframe src="https://evil.example"><p>in</p></iframe><object data="x">o</object><embed src="x"><form action="/x"><input name="a"><button>Go</button>label</form>')).toBe(
      'label',
    );
  });

  it('makes relative links and images absolute against the base URL', () => {
    expect(clean('<a href="/world/x">a</a><a href="analysis">b</a><img src="../img/c.png" alt="">')).toBe(
      '<a href="https://news.example.com/world/x">a</a><a href="https://news.example.com/edition/analysis">b</a><img src="https://news.example.com/img/c.png" alt="" />',
    );
    expect(clean('<a href="//cdn.example.com/x">p</a>')).toBe('<a href="https://cdn.example.com/x">p</a>');
    expect(clean('<a href="mailto:desk@news.example.com">m</a>')).toBe('<a href="mailto:desk@news.example.com">m</a>');
  });

  it('resolves #fragment links against the publisher page, or drops them when there is none', () => {
    expect(clean('<a href="#notes">n</a>', { ...BASE, publisherPageUrl: 'https://pub.example.org/story' })).toBe(
      '<a href="https://pub.example.org/story#notes">n</a>',
    );
    expect(clean('<a href="#notes">n</a>')).toBe('<a>n</a>');
  });

  it('gives lazy-loaded images their real source', () => {
    expect(clean('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/real.jpg" alt="r">')).toBe(
      '<img src="https://news.example.com/img/real.jpg" alt="r" />',
    );
    expect(clean('<img data-lazy-src="https://cdn.example.com/b.jpg">')).toBe('<img src="https://cdn.example.com/b.jpg" />');
  });

  it('drops 1x1 tracking pixels but keeps small real images', () => {
    expect(clean('<p>t<img src="https://track.example/p.gif" width="1" height="1"><img src="https://t.example/z.gif" width="0" height="0"></p>')).toBe('<p>t</p>');
    expect(clean('<img src="https://x.example/icon.png" width="16" height="16">')).toBe('<img src="https://x.example/icon.png" width="16" height="16" />');
  });

  it('removes characters XML forbids, including ones written as entities', () => {
    expect(clean('<p>a\u0001b&#2;c&#xFFFE;d\u000Be</p>')).toBe('<p>abcde</p>');
  });
});
