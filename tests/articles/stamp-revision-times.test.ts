import { describe, expect, it } from 'vitest';
import { stampRevisionTimes } from '../../src/articles/stamp-revision-times.ts';
import type { Article } from '../../src/domain/article.ts';
import { ArticleBody } from '../../src/domain/article-body.ts';

const PUBLISHED = Date.parse('2026-11-20T09:00:00Z');
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
    contentHash: 'h1',
    ...overrides,
  });

describe('stampRevisionTimes', () => {
  it('keeps the declared dates of an article seen for the first time', () => {
    const { articles, ledger } = stampRevisionTimes([article()], new Map(), PUBLISHED + 1000);
    expect(articles[0]!.updated).toBe(PUBLISHED);
    expect(ledger.get('story-1')?.since).toBe(PUBLISHED);
  });

  it('moves updated (and the content hash) to the moment a new wording is first seen, never published or id', () => {
    const first = stampRevisionTimes([article()], new Map(), PUBLISHED + 1000);
    const editedAt = PUBLISHED + 3_600_000;
    const edited = stampRevisionTimes([article({ contentHtml: '<p>Body, corrected.</p>', contentHash: 'h2' })], first.ledger, editedAt);
    expect(edited.articles[0]).toMatchObject({ id: 'story-1', published: PUBLISHED, updated: editedAt });
    expect(edited.articles[0]!.contentHash).not.toBe('h2');
    expect(edited.ledgerChanged).toBe(true);

    const later = stampRevisionTimes([article({ contentHtml: '<p>Body, corrected.</p>', contentHash: 'h2' })], edited.ledger, editedAt + 60_000);
    expect(later.articles[0]!.updated).toBe(editedAt);
    expect(later.articles[0]!.contentHash).toBe(edited.articles[0]!.contentHash);
    expect(later.ledgerChanged).toBe(false);
  });

  it('lets a later declared updated win', () => {
    const first = stampRevisionTimes([article()], new Map(), PUBLISHED + 1000);
    const declared = PUBLISHED + 7_200_000;
    const edited = stampRevisionTimes([article({ title: 'New title', updated: declared })], first.ledger, PUBLISHED + 3_600_000);
    expect(edited.articles[0]!.updated).toBe(declared);
  });

  it('does not count edits made while the article is still embargoed or a draft', () => {
    const embargoed = article({ published: PUBLISHED + 86_400_000, updated: PUBLISHED + 86_400_000 });
    const before = stampRevisionTimes([embargoed], new Map(), PUBLISHED);
    expect(before.ledger.size).toBe(0);
    const draft = stampRevisionTimes([article({ draft: true })], new Map(), PUBLISHED + 1000);
    expect(draft.ledger.size).toBe(0);
  });
});
