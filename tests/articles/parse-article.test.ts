import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import { formatProblem } from '../../src/domain/problem.ts';
import { MAX_SLUG_LENGTH } from '../../src/domain/to-slug.ts';
import type { ParseArticleResult } from '../../src/articles/parse-article.ts';
import { parseArticle } from '../../src/articles/parse-article.ts';
import { SITE, articleText } from './sample-site.ts';

function parse(text: string, sourcePath = 'world/floods.md'): ParseArticleResult {
  return parseArticle({ sourcePath, displayPath: `content/${sourcePath}`, text }, SITE);
}

function ok(text: string, sourcePath?: string): Article {
  const result = parse(text, sourcePath);
  if (!result.ok) throw new Error(`expected an article, got: ${result.problems.map(formatProblem).join('\n')}`);
  return result.article;
}

/** The problems as "field: message" lines; fails if the article parsed. */
function problems(text: string, sourcePath?: string): string[] {
  const result = parse(text, sourcePath);
  if (result.ok) throw new Error('expected problems, got an article');
  return result.problems.map((p) => `${p.field ?? '-'}: ${p.message}`);
}

describe('parseArticle: a valid article', () => {
  it('reads every field', () => {
    const article = ok(
      articleText({
        id: 'floods-2026',
        categories: '[sport]',
        updated: '2026-11-23T10:30:00Z',
        author: '{ name: Ayesha Khan, url: /staff/ayesha, email: ayesha@news.example.com }',
        authors: '[Bilal Ahmed]',
        summary: 'Water covers   the road.',
        tags: '[weather, Floods, floods, " coast "]',
        image: 'images/road.JPG',
        url: 'https://publisher.example.org/world/floods',
        draft: 'true',
        slug: 'Coast Road Floods',
        unknownField: 'ignored',
      }),
    );
    expect(article).toMatchObject({
      id: 'floods-2026',
      sourcePath: 'world/floods.md',
      slug: 'coast-road-floods',
      title: 'Floods close the coast road',
      summary: 'Water covers the road.',
      categories: [
        { name: 'General News', slug: 'general-news' },
        { name: 'Sport', slug: 'sport' },
      ],
      tags: ['weather', 'Floods', 'coast'],
      authors: [
        { name: 'Ayesha Khan', url: 'https://news.example.com/staff/ayesha', email: 'ayesha@news.example.com' },
        { name: 'Bilal Ahmed' },
      ],
      published: Date.UTC(2026, 10, 23, 4, 0, 0),
      updated: Date.UTC(2026, 10, 23, 10, 30, 0),
      image: { url: 'https://news.example.com/images/road.JPG', type: 'image/jpeg' },
      url: 'https://publisher.example.org/world/floods',
      draft: true,
    });
    expect(article.body.html()).toBe('<p>The first paragraph.</p>');
    expect(article.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.isFrozen(article)).toBe(true);
    expect(Object.isFrozen(article.categories)).toBe(true);
  });

  it('fills in defaults: id from the path, slug from the file name, updated = published, summary from the body, no draft', () => {
    const article = ok(articleText({}, 'Heavy rain **closed** the road.\n\nSecond paragraph.\n'), 'world/Coast Road.markdown');
    expect(article.id).toBe('world/Coast Road');
    expect(article.slug).toBe('coast-road');
    expect(article.updated).toBe(article.published);
    expect(article.summary).toBe('Heavy rain closed the road. Second paragraph.');
    expect(article.draft).toBe(false);
    expect(article.authors).toEqual([]);
    expect(article.tags).toEqual([]);
    expect(article.image).toBeUndefined();
    expect(article.url).toBeUndefined();
  });

  it('keeps numeric ids exact, even beyond 2^53', () => {
    expect(ok(articleText({ id: '12345678901234567890' })).id).toBe('12345678901234567890');
    expect(ok(articleText({ id: '42' })).id).toBe('42');
  });

  it('matches categories by name or slug, ignoring case, and keeps repeats once', () => {
    const article = ok(articleText({ category: 'general-news', categories: '[SPORT, General news]' }));
    expect(article.categories.map((c) => c.slug)).toEqual(['general-news', 'sport']);
  });

  it('accepts comma-separated tags', () => {
    expect(ok(articleText({ tags: 'elections,  Pakistan , ,elections' })).tags).toEqual(['elections', 'Pakistan']);
  });

  it('accepts Z, lower-case t, fractions and compact offsets', () => {
    expect(ok(articleText({ published: '2026-11-23t09:00:00.250z' })).published).toBe(Date.UTC(2026, 10, 23, 9, 0, 0, 250));
    expect(ok(articleText({ published: '2026-11-23T09:00-0130' })).published).toBe(Date.UTC(2026, 10, 23, 10, 30));
  });

  it('falls back to the title for the slug when the file name has nothing to slug', () => {
    expect(ok(articleText(), 'world/中文.md').slug).toBe('floods-close-the-coast-road');
  });

  it('ignores unknown fields, including __proto__', () => {
    const article = ok(articleText({ __proto__: '{ polluted: true }', layout: 'wide' }));
    expect(article.title).toBe('Floods close the coast road');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives the same hash for the same content, and a different one when anything shown changes', () => {
    const text = articleText({ id: 'a1' });
    const first = ok(text, 'world/a.md');
    // Same file name in another folder: same slug, and with an explicit id nothing a reader sees moves.
    expect(ok(text, 'elsewhere/a.md').contentHash).toBe(first.contentHash);
    expect(ok(text, 'world/b.md').contentHash).not.toBe(first.contentHash);
    expect(ok(articleText({ id: 'a1', title: 'Other' }), 'world/a.md').contentHash).not.toBe(first.contentHash);
    expect(ok(articleText({ id: 'a1', category: 'Sport' }), 'world/a.md').contentHash).not.toBe(first.contentHash);
    expect(ok(articleText({ id: 'a1' }, 'Other body.\n'), 'world/a.md').contentHash).not.toBe(first.contentHash);
  });
});

describe('parseArticle: problems', () => {
  it('names the file, the field and the fix (the documented example)', () => {
    const result = parse(articleText({ published: 'yesterday' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        subject: 'content/world/floods.md',
        field: 'published',
        message: 'published "yesterday" is not an ISO 8601 date with offset (e.g. 2026-11-23T09:00:00+05:00)',
      },
    ]);
    expect(formatProblem(result.problems[0]!)).toBe(
      'content/world/floods.md: published "yesterday" is not an ISO 8601 date with offset (e.g. 2026-11-23T09:00:00+05:00)',
    );
  });

  it('reports a file without front matter', () => {
    expect(problems('# Just a heading\n\nText.\n')).toEqual([expect.stringMatching(/^-: has no front matter: start the file with/)]);
  });

  it('refuses non-YAML front matter instead of evaluating it', () => {
    const text = '---js\n{ title: (() => { globalThis.pwned = true; return "x"; })() }\n---\nBody\n';
    expect(problems(text)).toEqual([expect.stringContaining('front matter must be YAML')]);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  it('reports invalid YAML with its line in the file', () => {
    const text = '---\ntitle: Floods\ncategory: [General News\npublished: 2026-11-23T09:00:00Z\n---\nBody\n';
    const [message] = problems(text);
    expect(message).toMatch(/^-: front matter is not valid YAML \(line \d+, column \d+\): .+; fix the YAML/);
  });

  it('reports front matter that is not closed (a half-written file)', () => {
    expect(problems('---\ntitle: Floods\ncategory: Gen')).toEqual([expect.stringContaining('front matter is not closed')]);
  });

  it('accepts a closing line with trailing spaces, and keeps the body apart from it', () => {
    const text = '---\ntitle: Floods\ncategory: Sport\npublished: 2026-11-23T09:00:00Z\n---   \nBody text.\n';
    expect(ok(text).body.html()).toBe('<p>Body text.</p>');
  });

  it('reports a line that starts with --- but does not close the front matter', () => {
    expect(problems('---\ntitle: Floods\n----\nBody\n')).toEqual([expect.stringContaining('line 3 "----" starts with "---"')]);
  });

  it('reports front matter that is a list rather than fields', () => {
    expect(problems('---\n- a\n- b\n---\nBody\n')).toEqual([expect.stringContaining('must be a set of "field: value" lines')]);
  });

  it('reports every missing required field at once', () => {
    expect(problems('---\n---\nBody\n')).toEqual([
      expect.stringMatching(/^title: title is missing: add e\.g\./),
      expect.stringMatching(/^category: category is missing: .*\(declared: General News, Sport\)/),
      expect.stringMatching(/^published: published is missing: add the time with its UTC offset/),
    ]);
  });

  it('reports empty, non-text and over-long titles', () => {
    expect(problems(articleText({ title: '""' }))).toEqual(['title: title is empty: write the headline']);
    expect(problems(articleText({ title: '[a, b]' }))).toEqual([expect.stringMatching(/^title: title a list must be text/)]);
    expect(problems(articleText({ title: 'x'.repeat(501) }))).toEqual([
      'title: title is 501 characters long: shorten it to at most 500',
    ]);
    expect(ok(articleText({ title: 'x'.repeat(500) })).title).toHaveLength(500);
  });

  it('reports unknown categories and names the declared ones', () => {
    expect(problems(articleText({ category: 'Sprots' }))).toEqual([
      'category: category "Sprots" is not declared in site.yaml: use one of General News, Sport, or add it to site.yaml',
    ]);
    expect(problems(articleText({ category: undefined, categories: '[]' }))).toEqual([
      expect.stringMatching(/^categories: categories is an empty list/),
    ]);
  });

  it('reports dates without offset, nonsense dates and impossible dates', () => {
    expect(problems(articleText({ published: '2026-11-23T09:00:00' }))).toEqual([
      expect.stringMatching(/^published: published "2026-11-23T09:00:00" has no UTC offset.*add Z for UTC/),
    ]);
    expect(problems(articleText({ published: '2026-11-23' }))).toEqual([expect.stringContaining('has no UTC offset')]);
    for (const bad of ['2026-02-30T09:00:00Z', '2026-13-01T09:00:00Z', '2026-11-23T25:00:00Z', '23/11/2026 09:00', '1700000000', 'now']) {
      expect(problems(articleText({ published: bad }))).toEqual([expect.stringContaining('is not an ISO 8601 date with offset')]);
    }
  });

  it('reports updated before published', () => {
    expect(problems(articleText({ updated: '2026-11-23T03:59:59Z' }))).toEqual([
      expect.stringMatching(/^updated: updated "2026-11-23T03:59:59Z" is before published/),
    ]);
  });

  it('refuses an alias bomb quickly', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
      'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
    ].join('\n');
    expect(problems(`---\n${bomb}\ntitle: x\n---\nBody\n`)).toEqual([expect.stringContaining('front matter is not valid YAML')]);
  });

  it('refuses custom and YAML 1.1 tags', () => {
    for (const tagged of ['!!js/function "function () { return 1 }"', '!!js/regexp /x/', '!!binary aGk=', '!!timestamp 2026-11-23', '!custom x']) {
      expect(problems(articleText({ summary: tagged }))).toEqual([expect.stringMatching(/front matter is not valid YAML.*Unresolved tag/)]);
    }
  });

  it('refuses duplicate keys', () => {
    expect(problems(`---\ntitle: One\ntitle: Two\ncategory: Sport\npublished: 2026-11-23T09:00:00Z\n---\n`)).toEqual([
      expect.stringMatching(/^-: front matter is not valid YAML \(line 3, column 1\): Map keys must be unique/),
    ]);
  });

  it('reports bad optional fields', () => {
    expect(problems(articleText({ id: '""' }))).toEqual([expect.stringMatching(/^id: id "" is not usable/)]);
    expect(problems(articleText({ draft: 'yes' }))).toEqual(['draft: draft "yes" must be true or false']);
    expect(problems(articleText({ url: '/world/floods' }))).toEqual([expect.stringMatching(/^url: url "\/world\/floods" is not an absolute http\(s\) URL/)]);
    expect(problems(articleText({ url: 'javascript:alert(1)' }))).toEqual([expect.stringMatching(/^url: /)]);
    expect(problems(articleText({ image: 'javascript:alert(1)' }))).toEqual([expect.stringMatching(/^image: .*is not an http\(s\) URL/)]);
    expect(problems(articleText({ image: 'https://cdn.example.com/photo?id=3' }))).toEqual([
      expect.stringMatching(/^image: .*does not end in a known image extension/),
    ]);
    expect(problems(articleText({ author: '{ name: Jane, email: not-an-address }' }))).toEqual([
      expect.stringMatching(/^author\.email: author\.email "not-an-address" is not an e-mail address/),
    ]);
    expect(problems(articleText({ authors: '[{ url: https://x.example }]' }))).toEqual([
      expect.stringMatching(/^authors\[0\]\.name: /),
    ]);
    expect(problems(articleText({ tags: '{ a: 1 }' }))).toEqual([expect.stringMatching(/^tags: tags a mapping must be a list/)]);
    const many = `[${Array.from({ length: 101 }, (_, i) => `t${i}`).join(', ')}]`;
    expect(problems(articleText({ tags: many }))).toEqual(['tags: tags has 101 distinct tags: keep at most 100']);
    expect(problems(articleText({ slug: '"中文"' }))).toEqual([expect.stringMatching(/^slug: slug "中文" gives an empty URL slug/)]);
  });

  it('refuses a slug over MAX_SLUG_LENGTH, so that its page URL stays under the request-target limit', () => {
    expect(problems(articleText({ slug: 'a'.repeat(3000) }))).toEqual([
      `slug: slug gives a URL slug of 3000 characters, over the limit of ${MAX_SLUG_LENGTH}: shorten it (a few words), or remove it to use the file name`,
    ]);
    expect(ok(articleText({ slug: 'a'.repeat(MAX_SLUG_LENGTH) })).slug).toHaveLength(MAX_SLUG_LENGTH);
  });

  it('cuts a slug derived from a long title at a word within MAX_SLUG_LENGTH', () => {
    const title = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const slug = ok(articleText({ title: `"${title}"` }), 'world/中文.md').slug;
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug).toMatch(/^word0-word1-.*-word\d+$/);
    expect(`${title.toLowerCase().replaceAll(' ', '-')}-`.startsWith(`${slug}-`)).toBe(true);
  });
});

describe('parseArticle: XML-illegal characters', () => {
  // Every one of these is forbidden in XML 1.0; tab, LF and CR are not.
  // eslint-disable-next-line no-control-regex -- control characters are what this test looks for
  const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  function strings(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
    return [];
  }

  it('removes them from every text field, whether raw, YAML-escaped or HTML entities', () => {
    const text = articleText(
      {
        id: '"id\\x01-1\\uFFFE"',
        title: '"Title\\x0B with\\uD800 controls\\x1F"',
        summary: '"Sum\\x02mary"',
        tags: '["ta\\x03g", "\\uDC00other"]',
        author: '{ name: "Jane\\x04 Doe", url: "https://news.example.com/staff/jane\\x05" }',
        url: '"https://publisher.example.org/a\\x06"',
        image: '"/img/a\\x07.jpg"',
      },
      'Body \u0001raw &#1; &#xFFFF; &#x8; \uFFFE end.\n\n<p title="x\u0002">html</p>\n',
    );
    const article = ok(text);
    for (const s of strings(article)) expect(s).not.toMatch(ILLEGAL);
    expect(article.id).toBe('id-1');
    expect(article.title).toBe('Title with controls');
    expect(article.summary).toBe('Summary');
    expect(article.tags).toEqual(['tag', 'other']);
    expect(article.authors[0]).toEqual({ name: 'Jane Doe', url: 'https://news.example.com/staff/jane' });
    expect(article.url).toBe('https://publisher.example.org/a');
    expect(article.body.html()).toContain('Body raw');
    expect(article.body.html()).toContain('end.');
  });

  it('removes raw control characters from the front matter instead of failing the YAML', () => {
    expect(ok(articleText({ title: 'Floods\u0001 close' })).title).toBe('Floods close');
  });
});

describe('parseArticle: summary', () => {
  it('uses the summary field when given', () => {
    expect(ok(articleText({ summary: 'Given.' }), undefined).summary).toBe('Given.');
  });

  it('derives one from the lead paragraphs, skipping headings, quotes, code and script text', () => {
    const body = '# Heading\n\nFirst <b>lead</b> with `code` and [a link](/x).<script>alert(1)</script>\n\n> A quote.\n\nSecond.\n';
    expect(ok(articleText({}, body)).summary).toBe('First lead with code and a link. Second.');
  });

  it('cuts a long body at a word boundary near 300 characters and marks the cut', () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const summary = ok(articleText({}, `${words}\n`)).summary;
    expect(summary.endsWith('…')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(301);
    expect(summary.length).toBeGreaterThan(250);
    expect(words.startsWith(summary.slice(0, -1))).toBe(true);
    expect(words.charAt(summary.length - 1)).toBe(' ');
  });

  it('is empty when the body has no paragraph', () => {
    expect(ok(articleText({}, '')).summary).toBe('');
  });
});
