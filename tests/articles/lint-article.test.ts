import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import { freezeArticle } from '../../src/domain/article.ts';
import { ArticleBody } from '../../src/domain/article-body.ts';
import type { ArticleSet } from '../../src/articles/assemble-article-set.ts';
import { createLintKeeper, lintArticle, TITLE_MAX_CHARACTERS, TITLE_MIN_CHARACTERS } from '../../src/articles/lint-article.ts';

const CLEAN_TITLE = 'Floods close the coast road for a week';

function article(fields: { title?: string; html?: string; image?: string; url?: string; file?: string } = {}): Article {
  return freezeArticle({
    id: 'world/floods',
    sourcePath: fields.file ?? 'world/floods.md',
    slug: 'floods',
    title: fields.title ?? CLEAN_TITLE,
    summary: 'The coast road is closed.',
    body: ArticleBody.fromHtml(fields.html ?? '<p>Read <a href="https://news.example.com/roads?page=2">the road report</a>.</p><p><img src="https://cdn.example.com/a.jpg" alt=""></p>'),
    categories: [{ name: 'World', slug: 'world' }],
    tags: [],
    authors: [],
    published: Date.UTC(2026, 10, 20),
    updated: Date.UTC(2026, 10, 20),
    draft: false,
    contentHash: 'hash',
    ...(fields.image === undefined ? {} : { image: { url: fields.image, type: 'image/jpeg' } }),
    ...(fields.url === undefined ? {} : { url: fields.url }),
  });
}

const rules = (found: ReturnType<typeof lintArticle>): string[] => found.map((finding) => finding.field);

describe('lintArticle', () => {
  it('finds nothing in an article partners take as it is', () => {
    expect(lintArticle(article({ image: 'https://cdn.example.com/lead.jpg', url: 'https://publisher.example.com/floods?id=7' }))).toEqual([]);
  });

  it('title-length: flags titles under 20 or over 150 characters, naming the file, the length and the fix', () => {
    const short = lintArticle(article({ title: 'Floods' }));
    expect(short).toEqual([{ subject: 'world/floods.md', field: 'lint:title-length', message: expect.stringContaining('6 characters') }]);
    expect(short[0]?.message).toContain('fuller headline');
    const long = lintArticle(article({ title: 'x'.repeat(TITLE_MAX_CHARACTERS + 1) }));
    expect(rules(long)).toEqual(['lint:title-length']);
    expect(long[0]?.message).toContain('shorten');
    // The bounds themselves pass; characters are counted, not UTF-16 units or bytes.
    expect(lintArticle(article({ title: 'ب'.repeat(TITLE_MIN_CHARACTERS) }))).toEqual([]);
    expect(lintArticle(article({ title: '😀'.repeat(TITLE_MAX_CHARACTERS) }))).toEqual([]);
    expect(rules(lintArticle(article({ title: '😀'.repeat(TITLE_MIN_CHARACTERS - 1) })))).toEqual(['lint:title-length']);
  });

  it('title-markup: flags tags and entities left in a title, not a plain ampersand or angle bracket', () => {
    for (const title of ['Floods close the <em>coast</em> road today', 'Floods close the coast road &amp; the rail', 'Floods close the coast road &#8212; again', 'Floods close <br/> the coast road today']) {
      expect(rules(lintArticle(article({ title }))), title).toEqual(['lint:title-markup']);
    }
    for (const title of ['Floods & storms close the coast road', 'Rainfall < 3 mm, yet floods close the road', 'Q&A: what the floods mean for the coast road']) {
      expect(lintArticle(article({ title })), title).toEqual([]);
    }
  });

  it('image-url: flags a relative or non-http(s) lead image or body image, not an absolute http(s) one', () => {
    expect(rules(lintArticle(article({ image: '/images/lead.jpg' })))).toEqual(['lint:image-url']);
    expect(rules(lintArticle(article({ image: 'ftp://files.example.com/lead.jpg' })))).toEqual(['lint:image-url']);
    const body = lintArticle(article({ html: '<p><img src="images/a.jpg"><img src="data:image/png;base64,AAAA"><img src="http://cdn.example.com/ok.jpg"></p>' }));
    expect(rules(body)).toEqual(['lint:image-url', 'lint:image-url']);
    expect(body[0]?.message).toContain('"images/a.jpg"');
    expect(body[0]?.message).toContain('absolute http(s) URL');
    expect(lintArticle(article({ image: 'http://cdn.example.com/lead.jpg' }))).toEqual([]);
  });

  it('tracking-parameter: flags utm_* and click ids in the article url and body links, not other parameters', () => {
    const url = lintArticle(article({ url: 'https://publisher.example.com/floods?utm_source=x&utm_medium=y&id=7' }));
    expect(rules(url)).toEqual(['lint:tracking-parameter']);
    expect(url[0]?.message).toContain('utm_source, utm_medium');
    expect(url[0]?.message).toContain('the article url');
    for (const parameter of ['fbclid=abc', 'gclid=abc', 'UTM_Campaign=spring', 'msclkid=1', 'mc_eid=2']) {
      expect(rules(lintArticle(article({ html: `<p><a href="https://example.org/x?${parameter}&amp;page=1">x</a></p>` }))), parameter).toEqual(['lint:tracking-parameter']);
    }
    expect(lintArticle(article({ html: '<p><a href="https://example.org/x?utmost=1&amp;source=rss">x</a> <a href="mailto:desk@example.com">desk</a></p>' }))).toEqual([]);
  });
});

describe('createLintKeeper', () => {
  /** The keeper reads only the set's articles; the rest of an ArticleSet does not matter to it. */
  const setOf = (articles: readonly Article[]): ArticleSet => ({ articles }) as unknown as ArticleSet;

  it('on a full re-assembly lints only the article objects it has not seen, and drops the findings of those gone', () => {
    const keeper = createLintKeeper();
    const short = article({ file: 'a.md', title: 'Short' });
    const clean = article({ file: 'b.md' });
    const first = keeper.advance(setOf([short, clean]), undefined);
    expect(first.linted).toEqual(['a.md', 'b.md']);
    expect(first.findings.map((finding) => finding.subject)).toEqual(['a.md']);

    const tracked = article({ file: 'c.md', url: 'https://publisher.example.com/x?gclid=1' });
    const again = keeper.advance(setOf([clean, tracked]), undefined);
    expect(again.linted).toEqual(['c.md']);
    expect(again.findings.map((finding) => `${finding.subject} ${finding.field}`)).toEqual(['c.md lint:tracking-parameter']);

    const patched = keeper.advance(setOf([clean, tracked, short]), { removed: [], added: [short] });
    expect(patched.linted).toEqual(['a.md']);
    expect(patched.findings.map((finding) => finding.subject)).toEqual(['a.md', 'c.md']);
  });
});
