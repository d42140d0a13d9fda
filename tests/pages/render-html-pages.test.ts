import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import { renderArticlePage, renderCategoryPage, renderIndexPage } from '../../src/pages/site-pages.ts';
import { ARTICLES, CONTENT_DATE, makeArticle, makeSite } from '../http/fixture-snapshot.ts';
import type { MarkupNode } from './parse-markup.ts';
import { attribute, findElements, parseMarkup, textOf } from './parse-markup.ts';
import { ArticleBody } from '../../src/domain/article-body.ts';

const site = makeSite();
const [world, scienceTech] = site.categories;
if (!world || !scienceTech) throw new Error('fixture site needs two categories');

function autodiscovery(html: string): { type?: string; title?: string; href?: string }[] {
  return findElements(parseMarkup(html), 'link')
    .filter((link) => attribute(link, 'rel') === 'alternate')
    .map((link) => ({ type: attribute(link, 'type'), title: attribute(link, 'title'), href: attribute(link, 'href') }));
}

function hrefs(html: string): (string | undefined)[] {
  return findElements(parseMarkup(html), 'a').map((anchor) => attribute(anchor, 'href'));
}

describe('renderIndexPage', () => {
  const html = renderIndexPage(site, site.categories, ARTICLES);

  it('announces the site feeds for autodiscovery, one per format', () => {
    expect(autodiscovery(html)).toEqual([
      { type: 'application/rss+xml', title: 'Sample News (RSS)', href: 'https://news.example.com/rss.xml' },
      { type: 'application/atom+xml', title: 'Sample News (Atom)', href: 'https://news.example.com/atom.xml' },
      { type: 'application/feed+json', title: 'Sample News (JSON Feed)', href: 'https://news.example.com/feed.json' },
    ]);
  });

  it('links the OPML, every category page with its feeds, and the recent articles', () => {
    const links = hrefs(html);
    expect(links).toContain('https://news.example.com/feeds.opml');
    for (const slug of ['world', 'science-tech']) {
      expect(links).toContain(`https://news.example.com/category/${slug}/`);
      for (const file of ['rss.xml', 'atom.xml', 'feed.json']) expect(links).toContain(`https://news.example.com/category/${slug}/${file}`);
    }
    expect(links).toContain('https://news.example.com/articles/volcano-erupts');
    expect(links).toContain('https://news.example.com/articles/new-chip');
  });

  it('lists under each category only that category\'s articles, up to the limit', () => {
    const many = Array.from({ length: 8 }, (_, index) => makeArticle({ slug: `w${index}`, published: CONTENT_DATE - index }));
    const sections = findElements(parseMarkup(renderIndexPage(site, site.categories, many, { perCategory: 3 })), 'section');
    const worldSection = sections.find((section) => attribute(section, 'aria-labelledby') === 'category-world');
    const techSection = sections.find((section) => attribute(section, 'aria-labelledby') === 'category-science-tech');
    expect(findElements(worldSection, 'li').length).toBe(3 + 3);
    const worldArticles = findElements(worldSection, 'a').map((anchor) => attribute(anchor, 'href')).filter((href) => href?.includes('/articles/'));
    expect(worldArticles).toEqual(['w0', 'w1', 'w2'].map((slug) => `https://news.example.com/articles/${slug}`));
    expect(findElements(techSection, 'a').filter((anchor) => attribute(anchor, 'href')?.includes('/articles/'))).toEqual([]);
  });

  it('is the same bytes for the same input', () => {
    expect(renderIndexPage(site, site.categories, ARTICLES)).toBe(html);
  });
});

describe('renderCategoryPage', () => {
  const html = renderCategoryPage(site, scienceTech, [ARTICLES[1] as Article]);

  it('announces the category\'s own feeds, not the site\'s', () => {
    expect(autodiscovery(html)).toEqual([
      { type: 'application/rss+xml', title: 'Sample News — Science & Tech (RSS)', href: 'https://news.example.com/category/science-tech/rss.xml' },
      { type: 'application/atom+xml', title: 'Sample News — Science & Tech (Atom)', href: 'https://news.example.com/category/science-tech/atom.xml' },
      { type: 'application/feed+json', title: 'Sample News — Science & Tech (JSON Feed)', href: 'https://news.example.com/category/science-tech/feed.json' },
    ]);
  });

  it('lists its recent articles and names itself', () => {
    const tree = parseMarkup(html);
    expect(textOf(findElements(tree, 'h1')[0])).toBe('Science & Tech');
    expect(hrefs(html)).toContain('https://news.example.com/articles/new-chip');
    expect(attribute(findElements(tree, 'link').find((link) => attribute(link, 'rel') === 'canonical'), 'href')).toBe(
      'https://news.example.com/category/science-tech/',
    );
  });
});

describe('renderArticlePage', () => {
  const hostileTitle = `<script>alert("t")</script> & 'quotes' </h1>`;
  const article = makeArticle({
    slug: 'hostile',
    title: hostileTitle,
    summary: '"><img src=x onerror=alert(1)>',
    body: ArticleBody.fromHtml('<p>Safe <em>body</em> text.</p>'),
    authors: [
      { name: '<b>Eve</b>', url: 'javascript:alert(1)' },
      { name: 'Bob', url: 'https://bob.example.org/' },
    ],
    categories: [
      { name: 'World', slug: 'world' },
      { name: '<i>Odd</i>', slug: 'odd' },
    ],
    url: 'https://publisher.example.com/hostile',
    published: CONTENT_DATE - 86_400_000,
    updated: CONTENT_DATE,
  });
  const html = renderArticlePage(site, article);
  const tree = parseMarkup(html);

  it('shows hostile text as text: the title reads back exactly and adds no elements', () => {
    expect(textOf(findElements(tree, 'h1')[0])).toBe(hostileTitle);
    expect(textOf(findElements(tree, 'title')[0])).toBe(`${hostileTitle} — Sample News`);
    expect(findElements(tree, 'script')).toEqual([]);
    expect(findElements(tree, 'b')).toEqual([]);
    expect(findElements(tree, 'i')).toEqual([]);
    expect(findElements(tree, 'img')).toEqual([]);
    const description = findElements(tree, 'meta').find((meta) => attribute(meta, 'name') === 'description');
    expect(attribute(description, 'content')).toBe('"><img src=x onerror=alert(1)>');
  });

  it('inserts the sanitised content as markup', () => {
    expect(findElements(tree, 'em').map((node: MarkupNode) => textOf(node))).toEqual(['body']);
  });

  it('links authors only through http(s) URLs, and links categories, the original and home', () => {
    const links = hrefs(html);
    expect(links.some((href) => href?.startsWith('javascript:'))).toBe(false);
    expect(html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
    expect(links).toEqual(
      expect.arrayContaining([
        'https://bob.example.org/',
        'https://news.example.com/category/world/',
        'https://news.example.com/category/odd/',
        'https://publisher.example.com/hostile',
        'https://news.example.com/',
      ]),
    );
  });

  it('dates the article for machines and people, and names the update', () => {
    const times = findElements(tree, 'time').map((time) => attribute(time, 'datetime'));
    expect(times).toEqual([new Date(article.published).toISOString(), new Date(article.updated).toISOString()]);
  });

  it('announces the site feeds and points canonical at the publisher\'s page', () => {
    expect(autodiscovery(html).map((link) => link.href)).toEqual([
      'https://news.example.com/rss.xml',
      'https://news.example.com/atom.xml',
      'https://news.example.com/feed.json',
    ]);
    const canonical = findElements(tree, 'link').find((link) => attribute(link, 'rel') === 'canonical');
    expect(attribute(canonical, 'href')).toBe('https://publisher.example.com/hostile');
  });

  it('falls back to the site author and its own URL', () => {
    const plain = parseMarkup(renderArticlePage(site, makeArticle({ slug: 'plain', authors: [] })));
    expect(findElements(plain, 'p').some((p) => textOf(p)?.includes('The Newsroom'))).toBe(true);
    const canonical = findElements(plain, 'link').find((link) => attribute(link, 'rel') === 'canonical');
    expect(attribute(canonical, 'href')).toBe('https://news.example.com/articles/plain');
  });
});
