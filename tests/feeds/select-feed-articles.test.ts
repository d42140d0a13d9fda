import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import type { FeedScope } from '../../src/domain/feed-format.ts';
import { selectFeedArticles, selectFeedArticlesForScopes } from '../../src/feeds/select-feed-articles.ts';
import {
  CHIP_PLANT,
  COMET,
  DRAFT,
  ELECTION_EXPLAINER,
  EMBARGOED,
  HARBOUR_FERRIES,
  SAMPLE_ARTICLES,
  SAMPLE_FEED_ORDER,
  SAMPLE_NOW,
} from '../fixtures/articles/sample-site.ts';

const SITE: FeedScope = { kind: 'site' };
const ids = (articles: readonly Article[]): string[] => articles.map((article) => article.id);

describe('selectFeedArticles', () => {
  it('takes public articles newest first; same published time: newest update first', () => {
    // CHIP_PLANT and COMET share a published time; CHIP_PLANT was updated later.
    expect(ids(selectFeedArticles(SAMPLE_ARTICLES, SITE, SAMPLE_NOW, 50))).toEqual(ids(SAMPLE_FEED_ORDER));
  });

  it('never takes a draft or an article published after now', () => {
    const selected = selectFeedArticles(SAMPLE_ARTICLES, SITE, SAMPLE_NOW, 50);
    expect(selected).not.toContain(DRAFT);
    expect(selected).not.toContain(EMBARGOED);
    // Once its time has come the embargoed article goes out, first.
    expect(selectFeedArticles(SAMPLE_ARTICLES, SITE, EMBARGOED.published, 50)[0]).toBe(EMBARGOED);
    // A draft stays out whatever the time.
    expect(selectFeedArticles(SAMPLE_ARTICLES, SITE, Date.UTC(2100, 0, 1), 50)).not.toContain(DRAFT);
  });

  it('keeps only the newest `limit`', () => {
    expect(ids(selectFeedArticles(SAMPLE_ARTICLES, SITE, SAMPLE_NOW, 2))).toEqual([HARBOUR_FERRIES.id, CHIP_PLANT.id]);
    expect(selectFeedArticles(SAMPLE_ARTICLES, SITE, SAMPLE_NOW, 0)).toEqual([]);
  });

  it('puts an article in the feed of every category it has, not only its first', () => {
    const world = selectFeedArticles(SAMPLE_ARTICLES, { kind: 'category', slug: 'world' }, SAMPLE_NOW, 50);
    // HARBOUR_FERRIES and CHIP_PLANT list World second.
    expect(ids(world)).toEqual([HARBOUR_FERRIES.id, CHIP_PLANT.id, ELECTION_EXPLAINER.id]);
    expect(ids(selectFeedArticles(SAMPLE_ARTICLES, { kind: 'category', slug: 'science' }, SAMPLE_NOW, 50))).toEqual([COMET.id]);
    expect(selectFeedArticles(SAMPLE_ARTICLES, { kind: 'category', slug: 'culture' }, SAMPLE_NOW, 50)).toEqual([]);
  });

  it('breaks a full tie (same published and updated) by id, whatever the input order', () => {
    const twin = (id: string): Article => ({ ...COMET, id, slug: id });
    const [a, b, c] = [twin('b-second'), twin('a-first'), twin('c-third')];
    expect(ids(selectFeedArticles([a, b, c], SITE, SAMPLE_NOW, 50))).toEqual(['a-first', 'b-second', 'c-third']);
    expect(ids(selectFeedArticles([c, a, b], SITE, SAMPLE_NOW, 50))).toEqual(['a-first', 'b-second', 'c-third']);
  });

  it('does not change its input', () => {
    const input = [...SAMPLE_ARTICLES];
    selectFeedArticles(input, SITE, SAMPLE_NOW, 2);
    expect(input).toEqual(SAMPLE_ARTICLES);
  });

  it('selecting many scopes at once matches a plain filter-sort-slice of each scope (property)', () => {
    // The obvious implementation, written out independently, as the reference.
    const reference = (articles: readonly Article[], scope: FeedScope, now: number, limit: number): Article[] =>
      articles
        .filter((x) => !x.draft && x.published <= now && (scope.kind === 'site' || x.categories.some((c) => c.slug === scope.slug)))
        .sort((x, y) => y.published - x.published || y.updated - x.updated || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
        .slice(0, limit);
    const slugs = ['a', 'b', 'c'];
    const article = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      published: fc.integer({ min: 0, max: 20 }),
      extra: fc.integer({ min: 0, max: 3 }),
      draft: fc.boolean(),
      categories: fc.subarray(slugs, { minLength: 1 }),
    });
    fc.assert(
      fc.property(fc.array(article, { maxLength: 30 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 6 }), (raw, now, limit) => {
        const articles: Article[] = raw.map((entry) => ({
          ...COMET,
          id: entry.id,
          published: entry.published,
          updated: entry.published + entry.extra,
          draft: entry.draft,
          categories: entry.categories.map((slug) => ({ name: slug.toUpperCase(), slug })),
        }));
        const scopes: FeedScope[] = [SITE, ...slugs.map((slug): FeedScope => ({ kind: 'category', slug })), { kind: 'category', slug: 'none' }];
        const together = selectFeedArticlesForScopes(articles, scopes, now, limit);
        scopes.forEach((scope, index) => {
          const expected = reference(articles, scope, now, limit);
          expect(together[index]).toEqual(expected);
          expect(selectFeedArticles(articles, scope, now, limit)).toEqual(expected);
        });
      }),
    );
  });
});
