import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.ts';
import type { FeedScope } from '../../src/domain/documents.ts';
import { publicViewOf, selectByReference } from '../fixtures/articles/in-memory-store.ts';
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
  SAMPLE_SITE,
} from '../fixtures/articles/sample-site.ts';

const SITE: FeedScope = { kind: 'site' };
const ids = (articles: readonly Article[] | undefined): string[] => (articles ?? []).map((article) => article.id);
/** The items the production selection gives one scope. */
const select = (articles: readonly Article[], scope: FeedScope, now: number, limit: number): Article[] =>
  publicViewOf(SAMPLE_SITE, articles, now).select([scope], limit)[0] ?? [];

describe('PublicView.select (feed item selection)', () => {
  it('takes public articles newest first; same published time: newest update first', () => {
    // CHIP_PLANT and COMET share a published time; CHIP_PLANT was updated later.
    expect(ids(select(SAMPLE_ARTICLES, SITE, SAMPLE_NOW, 50))).toEqual(ids(SAMPLE_FEED_ORDER));
  });

  it('never takes a draft or an article published after now', () => {
    const selected = ids(select(SAMPLE_ARTICLES, SITE, SAMPLE_NOW, 50));
    expect(selected).not.toContain(DRAFT.id);
    expect(selected).not.toContain(EMBARGOED.id);
    // Once its time has come the embargoed article goes out, first.
    expect(select(SAMPLE_ARTICLES, SITE, EMBARGOED.published, 50)[0]?.id).toBe(EMBARGOED.id);
    // A draft stays out whatever the time.
    expect(ids(select(SAMPLE_ARTICLES, SITE, Date.UTC(2100, 0, 1), 50))).not.toContain(DRAFT.id);
  });

  it('keeps only the newest `limit`', () => {
    expect(ids(select(SAMPLE_ARTICLES, SITE, SAMPLE_NOW, 2))).toEqual([HARBOUR_FERRIES.id, CHIP_PLANT.id]);
    expect(select(SAMPLE_ARTICLES, SITE, SAMPLE_NOW, 0)).toEqual([]);
  });

  it('puts an article in the feed of every category it has, not only its first', () => {
    // HARBOUR_FERRIES and CHIP_PLANT list World second.
    expect(ids(select(SAMPLE_ARTICLES, { kind: 'category', slug: 'world' }, SAMPLE_NOW, 50))).toEqual([HARBOUR_FERRIES.id, CHIP_PLANT.id, ELECTION_EXPLAINER.id]);
    expect(ids(select(SAMPLE_ARTICLES, { kind: 'category', slug: 'science' }, SAMPLE_NOW, 50))).toEqual([COMET.id]);
    expect(select(SAMPLE_ARTICLES, { kind: 'category', slug: 'culture' }, SAMPLE_NOW, 50)).toEqual([]);
  });

  it('breaks a full tie (same published and updated) by id, whatever the store order', () => {
    const twin = (id: string): Article => ({ ...COMET, id, slug: id, sourcePath: `science/${id}.md` });
    const [a, b, c] = [twin('b-second'), twin('a-first'), twin('c-third')];
    expect(ids(select([a, b, c], SITE, SAMPLE_NOW, 50))).toEqual(['a-first', 'b-second', 'c-third']);
    expect(ids(select([c, a, b], SITE, SAMPLE_NOW, 50))).toEqual(['a-first', 'b-second', 'c-third']);
  });

  it('selects for many scopes at once what a plain filter-sort-slice of each scope selects (property)', () => {
    const slugs = ['a', 'b', 'c'];
    const article = fc.record({
      id: fc.stringMatching(/^[a-z0-9]{1,4}$/),
      published: fc.integer({ min: 0, max: 20 }),
      extra: fc.integer({ min: 0, max: 3 }),
      draft: fc.boolean(),
      categories: fc.subarray(slugs, { minLength: 1 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(article, { maxLength: 30, selector: (entry) => entry.id }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 6 }), (raw, now, limit) => {
        const articles: Article[] = raw.map((entry) => ({
          ...COMET,
          id: entry.id,
          slug: entry.id,
          sourcePath: `a/${entry.id}.md`,
          published: entry.published,
          updated: entry.published + entry.extra,
          draft: entry.draft,
          categories: entry.categories.map((slug) => ({ name: slug.toUpperCase(), slug })),
        }));
        // An `updated` still in the future is shown as the published time until then.
        const shown = articles.map((a) => (a.updated > now && a.published <= now ? { ...a, updated: a.published } : a));
        const scopes: FeedScope[] = [SITE, ...slugs.map((slug): FeedScope => ({ kind: 'category', slug })), { kind: 'category', slug: 'none' }];
        const together = publicViewOf(SAMPLE_SITE, articles, now).select(scopes, limit);
        scopes.forEach((scope, index) => {
          expect(ids(together[index])).toEqual(ids(selectByReference(shown, scope, now, limit)));
        });
      }),
    );
  });
});
