import { describe, expect, it } from 'vitest';
import type { FeedFormat } from '../../src/domain/documents.ts';
import { FEED_FORMATS } from '../../src/domain/documents.ts';
import { formatProblem } from '../../src/domain/problem.ts';
import type { Site } from '../../src/domain/site.ts';
import { buildFeedDocument } from '../../src/feeds/build-feed-document.ts';
import type { FeedDocument } from '../../src/feeds/feed-document.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import { HARBOUR_FERRIES, SAMPLE_NOW, SAMPLE_SITE } from '../fixtures/articles/sample-site.ts';

/** SAMPLE_SITE with its World category in Arabic, and an Arabic article in it. */
const SITE: Site = Object.freeze({ ...SAMPLE_SITE, categories: SAMPLE_SITE.categories.map((c) => (c.slug === 'world' ? { ...c, language: 'ar' } : c)) });
const ARABIC = Object.freeze({ ...HARBOUR_FERRIES, language: 'ar' });

function build(format: FeedFormat): FeedDocument {
  return buildFeedDocument({ site: SITE, scope: { kind: 'category', slug: 'world' }, format, items: [ARABIC], ttlMinutes: 15 });
}

const problemsOf = (doc: FeedDocument): string[] => validateFeedDocument(doc, { now: SAMPLE_NOW }).map(formatProblem);
const withBody = (doc: FeedDocument, from: string | RegExp, to: string): FeedDocument => {
  const body = doc.body.replace(from, to);
  if (body === doc.body) throw new Error(`${doc.path}: nothing to replace`);
  return { ...doc, body };
};

const LANGUAGE: Readonly<Record<FeedFormat, { readonly written: string; readonly field: string; readonly as: (tag: string) => string }>> = {
  rss: { written: '<language>ar</language>', field: 'rss channel: language', as: (tag) => `<language>${tag}</language>` },
  atom: { written: ' xml:lang="ar"', field: 'atom feed: xml:lang', as: (tag) => ` xml:lang="${tag}"` },
  json: { written: '"language": "ar"', field: 'json feed: language', as: (tag) => `"language": "${tag}"` },
};

describe('validateFeedDocument: language and direction', () => {
  it("accepts a right-to-left category feed in every format", () => {
    for (const format of FEED_FORMATS) expect(problemsOf(build(format)), format).toEqual([]);
  });

  it('requires the language, as a BCP 47 tag, and the one of the scope', () => {
    for (const format of FEED_FORMATS) {
      const doc = build(format);
      const { written, field, as } = LANGUAGE[format];
      expect(problemsOf(withBody(doc, written, format === 'json' ? '"language_": "ar"' : '')), format).toContain(`${doc.path}: ${field} is missing`);
      expect(problemsOf(withBody(doc, written, as('Arabic!'))), format).toContain(`${doc.path}: ${field} "Arabic!" is not a BCP 47 language tag such as en, en-GB or ar-EG`);
      expect(problemsOf(withBody(doc, written, as('en'))).join('\n'), format).toContain(`language "en" should be "ar", the language of this feed's scope (round trip)`);
    }
  });

  it('reports an item whose dir="rtl" wrapper did not survive', () => {
    const stripped: Readonly<Record<FeedFormat, [RegExp, string]>> = {
      rss: [/&lt;div dir="rtl" lang="ar"&gt;/, '&lt;div&gt;'],
      atom: [/<div dir="rtl" lang="ar">/, '<div>'],
      json: [/<div dir=\\"rtl\\" lang=\\"ar\\">/, '<div>'],
    };
    for (const format of FEED_FORMATS) {
      const [from, to] = stripped[format];
      const problems = problemsOf(withBody(build(format), from, to));
      expect(problems.join('\n'), format).toContain('content does not read back wrapped in "<div dir=\\"rtl\\" lang=\\"ar\\">"…"</div>"');
    }
  });
});
