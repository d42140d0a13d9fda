import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article, Author } from '../../src/domain/article.ts';
import { FEED_FORMATS } from '../../src/domain/documents.ts';
import type { Site } from '../../src/domain/site.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import { saxesError } from '../fixtures/articles/read-xml-with-saxes.ts';
import { SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';
import { ArticleBody } from '../../src/domain/article-body.ts';

/**
 * Every kind of character that has broken a feed somewhere: C0 controls, lone surrogates,
 * U+FFFE/FFFF, CDATA terminators and openers, entity-looking text, markup, CR/CRLF, bidi
 * controls, RTL script, astral characters, the string "true" (boolean-attribute shortcut).
 */
const HOSTILE_PIECES = [
  '\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001F', '\u007F', '\u0085', '\uFFFE', '\uFFFF',
  '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D\uDE00', '\u{10FFFF}', '\u{1D11E}',
  ']]>', ']]>]]>', ']]]]>', '<![CDATA[', '<![CDATA[x]]>', ']', ']]',
  '&', '&amp;', '&lt;', '&#0;', '&#xD800;', '&#x1F600;', '&nbsp;', '&foo;', ';',
  '<', '>', '</title>', '<b>', '<?xml version="1.0"?>', '<!--', '-->', '<!DOCTYPE x>',
  '"', "'", '=', '\r', '\r\n', '\n', '\t', ' ', '\u00A0', '\u2028', '\u2029',
  '\u202E', '\u200F', '\u200D', 'مرحبا بالعالم', 'שלום', '漢字', 'true', 'false', '0', '-0', '1e3',
];

const hostile = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) }), { maxLength: 12 })
  .map((pieces) => pieces.join(''));
/** Text a rule requires to be non-empty: hostile around at least one visible character. */
const visible = fc.tuple(hostile, fc.constantFrom('a', 'Z', 'é', '9', '😀', 'ب'), hostile).map((parts) => parts.join(''));
const urlTail = fc.constantFrom('', '?q=a&b=<c>', '#"x"', '/\u0001\uFFFE', '/]]>', "/it's", '/%20');

const author: fc.Arbitrary<Author> = fc.record(
  { name: visible, url: urlTail.map((tail) => `https://news.example.com/people${tail}`), email: fc.constant('someone@news.example.com') },
  { requiredKeys: ['name'] },
);

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);

const article = (index: number): fc.Arbitrary<Article> =>
  fc
    .record({
      idPart: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
      title: visible,
      summary: hostile,
      contentHtml: hostile,
      categoryNames: fc.array(visible, { minLength: 1, maxLength: 3 }),
      tags: fc.array(visible, { maxLength: 4 }),
      authors: fc.array(author, { maxLength: 3 }),
      published: fc.integer({ min: Date.UTC(2000, 0, 1), max: NOW }),
      age: fc.integer({ min: 0, max: 10 ** 9 }),
      image: fc.option(fc.tuple(urlTail, hostile), { nil: undefined }),
      url: fc.option(urlTail, { nil: undefined }),
    })
    .map((fields): Article => ({
      id: `${fields.idPart}-${index}`,
      sourcePath: `${index}.md`,
      slug: `article-${index}`,
      title: fields.title,
      summary: fields.summary,
      body: ArticleBody.fromHtml(fields.contentHtml),
      categories: fields.categoryNames.map((name, position) => ({ name, slug: `section-${position}` })),
      tags: fields.tags,
      authors: fields.authors,
      published: fields.published,
      updated: Math.min(NOW, fields.published + fields.age),
      draft: false,
      contentHash: String(index),
      ...(fields.image === undefined ? {} : { image: { url: `https://news.example.com/media/x.jpg${fields.image[0]}`, type: `image/jpeg${fields.image[1]}` } }),
      ...(fields.url === undefined ? {} : { url: `https://www.example-gazette.com/story${fields.url}` }),
    }));

const articles = fc.integer({ min: 0, max: 4 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => article(index))));

const site: fc.Arbitrary<Site> = fc.record({ title: visible, description: visible, author: visible }).map((fields) => ({
  ...SAMPLE_SITE,
  title: fields.title,
  description: fields.description,
  defaultAuthor: { name: fields.author },
}));

describe('hostile article text (property)', () => {
  it('always yields documents that pass validateFeedDocument and a strict XML 1.0 parser', () => {
    fc.assert(
      fc.property(site, articles, (generatedSite, items) => {
        for (const format of FEED_FORMATS) {
          const doc = buildFeedDocument({ site: generatedSite, scope: { kind: 'category', slug: 'section-0' }, format, items, ttlMinutes: 5, hubUrl: 'https://hub.example.com/?a=1&b=2' });
          expect(validateFeedDocument(doc, { now: NOW }), `${format}:\n${doc.body}`).toEqual([]);
          if (format !== 'json') expect(saxesError(doc.body), format).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });
});
