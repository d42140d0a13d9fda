import { describe, expect, it } from 'vitest';
import type { ArticleSet, IndexedFile } from '../../src/articles/assemble-article-set.ts';
import { createArticleSetAssembler } from '../../src/articles/assemble-article-set.ts';
import { ArticleBody } from '../../src/domain/article-body.ts';
import type { Article } from '../../src/domain/article.ts';
import type { FeedScope } from '../../src/domain/documents.ts';
import { defaultFeedScopes } from '../../src/domain/documents.ts';
import { createPublicViewKeeper } from '../../src/articles/public-view.ts';
import { generateArticles } from '../fixtures/articles/generate-articles.ts';
import { selectByReference } from '../fixtures/articles/in-memory-store.ts';

const SITE = { tagAuthority: 'news.example.com,2026' };
const PUBLISHED = Date.parse('2026-11-20T09:00:00Z');
const HOUR = 3_600_000;

const article = ({ contentHtml, ...overrides }: Partial<Article> & { contentHtml?: string } = {}): Article =>
  Object.freeze({
    id: 'story-1',
    sourcePath: 'world/story-1.md',
    slug: 'story-1',
    title: 'Original title',
    summary: 'Summary.',
    body: ArticleBody.fromHtml(contentHtml ?? '<p>Body.</p>'),
    categories: [{ name: 'World', slug: 'world' }],
    tags: [],
    authors: [],
    published: PUBLISHED,
    updated: PUBLISHED,
    draft: false,
    contentHash: `h-${overrides.id ?? 'story-1'}-${overrides.title ?? ''}-${contentHtml ?? ''}-${overrides.updated ?? ''}`,
    ...overrides,
  });

/** A store in memory: each call to `put` is one edit, assembled the way the index does it. */
function store(initial: readonly Article[]) {
  const files = new Map<string, IndexedFile>(initial.map((a) => [a.sourcePath, { displayPath: `content/${a.sourcePath}`, outcome: { kind: 'article', article: a } }]));
  const assembler = createArticleSetAssembler(SITE);
  let set: ArticleSet = assembler.rebuild(files, []).set;
  return {
    get set() {
      return set;
    },
    put(next: Article) {
      files.set(next.sourcePath, { displayPath: `content/${next.sourcePath}`, outcome: { kind: 'article', article: next } });
      const result = assembler.update(files, new Set([next.sourcePath]), []);
      if (!result?.patch) throw new Error('expected a patch');
      set = result.set;
      return result.patch;
    },
  };
}

const WORLD: FeedScope[] = [{ kind: 'category', slug: 'world' }];

describe('createPublicViewKeeper', () => {
  it('keeps the declared dates of an article seen for the first time', () => {
    const { set } = store([article()]);
    const { view, recorded } = createPublicViewKeeper().advance(set, undefined, PUBLISHED + 1000);
    expect(view.select(WORLD, 50)[0]?.[0]?.updated).toBe(PUBLISHED);
    expect(recorded?.get('story-1')?.since).toBe(PUBLISHED);
  });

  it('moves updated (and the content hash) to the moment a new wording is first seen, never published or id', () => {
    const s = store([article()]);
    const keeper = createPublicViewKeeper();
    keeper.advance(s.set, undefined, PUBLISHED + 1000);
    const editedAt = PUBLISHED + HOUR;
    const patch = s.put(article({ contentHtml: '<p>Body, corrected.</p>' }));
    const edited = keeper.advance(s.set, patch, editedAt);
    const shown = edited.view.select(WORLD, 50)[0]?.[0];
    expect(shown).toMatchObject({ id: 'story-1', published: PUBLISHED, updated: editedAt });
    expect(shown?.contentHash).not.toBe(s.set.articles[0]?.contentHash);
    expect(edited.recorded?.get('story-1')?.since).toBe(editedAt);
    expect(edited.view.find('story-1')?.updated).toBe(editedAt);

    const later = keeper.advance(s.set, { removed: [], added: [] }, editedAt + 60_000);
    expect(later.view.select(WORLD, 50)[0]?.[0]?.updated).toBe(editedAt);
    expect(later.view.select(WORLD, 50)[0]?.[0]?.contentHash).toBe(shown?.contentHash);
    expect(later.recorded).toBeUndefined();
  });

  it('lets a later declared updated win, and does not count a new tag as a revision', () => {
    const s = store([article()]);
    const keeper = createPublicViewKeeper();
    keeper.advance(s.set, undefined, PUBLISHED + 1000);
    const declared = PUBLISHED + 2 * HOUR;
    keeper.advance(s.set, s.put(article({ title: 'New title', updated: declared })), PUBLISHED + HOUR);
    const edited = keeper.advance(s.set, { removed: [], added: [] }, PUBLISHED + 3 * HOUR);
    expect(edited.view.select(WORLD, 50)[0]?.[0]?.updated).toBe(declared);
    const tagged = keeper.advance(s.set, s.put(article({ title: 'New title', updated: declared, tags: ['ports'] })), PUBLISHED + 4 * HOUR);
    expect(tagged.view.select(WORLD, 50)[0]?.[0]?.updated).toBe(declared);
    expect(tagged.recorded).toBeUndefined();
  });

  it('does not count edits made while the article is embargoed or a draft, and records it when its moment comes', () => {
    const embargoed = article({ id: 'later', slug: 'later', sourcePath: 'world/later.md', published: PUBLISHED + 24 * HOUR, updated: PUBLISHED + 24 * HOUR });
    const draft = article({ id: 'draft', slug: 'draft', sourcePath: 'world/draft.md', draft: true });
    const s = store([embargoed, draft]);
    const keeper = createPublicViewKeeper();
    const before = keeper.advance(s.set, undefined, PUBLISHED);
    expect(before.recorded).toBeUndefined();
    expect(before.view.nextMomentAt).toBe(embargoed.published);
    expect(before.view.publicCount).toBe(0);
    expect(before.view.find('later')).toBeUndefined();

    const edited = keeper.advance(s.set, s.put({ ...embargoed, title: 'Reworded under embargo', contentHash: 'h-reworded' }), PUBLISHED + HOUR);
    expect(edited.recorded).toBeUndefined();

    const lifted = keeper.advance(s.set, { removed: [], added: [] }, embargoed.published);
    expect(lifted.recorded?.get('later')?.since).toBe(embargoed.published);
    expect(lifted.view.select(WORLD, 50)[0]?.map((a) => a.id)).toEqual(['later']);
    expect(lifted.view.find('later')?.title).toBe('Reworded under embargo');
    expect(lifted.view.find('draft')).toBeUndefined();
    expect(lifted.view.publicCount).toBe(1);
    expect(lifted.view.nextMomentAt).toBeUndefined();
  });

  it('shows a public article with a future updated as published until then, and reports it', () => {
    const s = store([article({ updated: PUBLISHED + 5 * HOUR })]);
    const keeper = createPublicViewKeeper();
    const early = keeper.advance(s.set, undefined, PUBLISHED + HOUR);
    expect(early.view.select(WORLD, 50)[0]?.[0]?.updated).toBe(PUBLISHED);
    expect(early.view.heldBack).toEqual([expect.objectContaining({ subject: 'world/story-1.md', field: 'updated' })]);
    expect(early.view.nextMomentAt).toBe(PUBLISHED + 5 * HOUR);
    const due = keeper.advance(s.set, { removed: [], added: [] }, PUBLISHED + 5 * HOUR);
    expect(due.view.select(WORLD, 50)[0]?.[0]?.updated).toBe(PUBLISHED + 5 * HOUR);
    expect(due.view.heldBack).toEqual([]);
  });

  it('selects what sorting the whole store would select, for every scope, limit and moment', () => {
    const corpus = generateArticles(600, 6, 7);
    const files = new Map<string, IndexedFile>(corpus.articles.map((a) => [a.sourcePath, { displayPath: a.sourcePath, outcome: { kind: 'article', article: a } }]));
    const { set } = createArticleSetAssembler(SITE).rebuild(files, []);
    const scopes = defaultFeedScopes(corpus.site);
    const times = [...new Set(corpus.articles.map((a) => a.published))].sort((a, b) => a - b);
    for (const now of [times[10]!, times[300]!, corpus.now]) {
      for (const limit of [1, 7, 50, 1000]) {
        // Only the ids: the view dates items, and held-back ones differ from the raw articles in `updated`.
        const { view } = createPublicViewKeeper().advance(set, undefined, now);
        const shown = corpus.articles.map((a) => (a.updated > now && a.published <= now ? { ...a, updated: a.published } : a));
        const expected = scopes.map((scope) => selectByReference(shown, scope, now, limit));
        expect(view.select(scopes, limit).map((items) => items.map((a) => a.id)), `now ${now}, limit ${limit}`).toEqual(expected.map((items) => items.map((a) => a.id)));
      }
    }
  });

  it('adopts the wording of a record carried over without a hash, keeping its time', () => {
    const { set } = store([article()]);
    const carried = new Map([['story-1', { hash: '', since: PUBLISHED + HOUR }]]);
    const { view, recorded } = createPublicViewKeeper(carried).advance(set, undefined, PUBLISHED + 5 * HOUR);
    expect(view.select(WORLD, 50)[0]?.[0]?.updated).toBe(PUBLISHED + HOUR);
    expect(recorded?.get('story-1')?.since).toBe(PUBLISHED + HOUR);
    expect(recorded?.get('story-1')?.hash).not.toBe('');
  });

  it('never shows an article with a revision time older than one already announced for its id', () => {
    // Two files claim one id; the one whose path sorts first wins, then goes away again.
    const original = article({ sourcePath: 'world/b.md' });
    const copy = article({ sourcePath: 'world/a.md', contentHtml: '<p>Reworded.</p>' });
    const files = new Map<string, IndexedFile>([['world/b.md', { displayPath: 'content/world/b.md', outcome: { kind: 'article', article: original } }]]);
    const assembler = createArticleSetAssembler(SITE);
    const keeper = createPublicViewKeeper();
    expect(keeper.advance(assembler.rebuild(files, []).set, undefined, PUBLISHED + HOUR).view.find('story-1')?.updated).toBe(PUBLISHED);
    files.set('world/a.md', { displayPath: 'content/world/a.md', outcome: { kind: 'article', article: copy } });
    const withCopy = keeper.advance(assembler.rebuild(files, []).set, undefined, PUBLISHED + 2 * HOUR);
    expect(withCopy.view.find('story-1')?.updated).toBe(PUBLISHED + 2 * HOUR);
    files.delete('world/a.md');
    const back = keeper.advance(assembler.rebuild(files, []).set, undefined, PUBLISHED + 3 * HOUR);
    expect(back.view.find('story-1')?.updated).toBe(PUBLISHED + 3 * HOUR);
  });
});

