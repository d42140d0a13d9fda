import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssembledSet, IndexedFile } from '../../src/articles/assemble-article-set.ts';
import { createArticleSetAssembler, findBySlug } from '../../src/articles/assemble-article-set.ts';
import { ArticleBody } from '../../src/domain/article-body.ts';
import type { Article } from '../../src/domain/article.ts';

const SITE = { tagAuthority: 'news.example.com,2026' };
const BODY = ArticleBody.fromHtml('<p>Body.</p>');

function articleFile(storePath: string, id: string, slug: string, published: number, revision: number, categories: readonly string[] = ['world']): IndexedFile {
  const article: Article = Object.freeze({
    id,
    sourcePath: storePath,
    slug,
    title: `Story ${id} r${revision}`,
    summary: '',
    body: BODY,
    categories: categories.map((slug) => ({ name: slug, slug })),
    tags: [],
    authors: [],
    published,
    updated: published,
    draft: false,
    contentHash: `${id}/${slug}/${published}/${revision}`,
  });
  return { displayPath: `content/${storePath}`, outcome: { kind: 'article', article } };
}

function problemFile(storePath: string): IndexedFile {
  return { displayPath: `content/${storePath}`, outcome: { kind: 'problems', problems: [{ subject: `content/${storePath}`, field: 'title', message: 'title is missing' }] } };
}

/** What a reader could tell apart: everything but object identity. */
function visible(result: AssembledSet) {
  return {
    articles: result.set.articles.map((a) => [a.id, a.slug, a.published, a.contentHash, a.sourcePath]),
    byCategory: [...result.set.byCategory].sort(([a], [b]) => (a < b ? -1 : 1)).map(([slug, articles]) => [slug, articles.map((a) => a.id)]),
    bySlug: result.set.bySlug.map((a) => a.slug),
    problems: result.set.problems,
    changes: result.changes.map((c) => [c.id, c.before?.contentHash ?? null, c.after?.contentHash ?? null]),
  };
}

// Small pools make clashes common: shared ids, shared slugs, equal publication times.
const operation = fc.record({
  path: fc.constantFrom('a.md', 'b.md', 'c.md', 'd.md', 'e.md', 'world/f.md', 'world/g.md', 'A.md'),
  kind: fc.constantFrom('write', 'write', 'write', 'delete', 'break'),
  id: fc.constantFrom('one', 'two', 'three', 'four', 'five', 'six', 'ONE'),
  // 'ferries-7692c3ad' and 'ferries-3fc4ccfe' are what disambiguation gives ids "one" and "two" when they clash on "ferries".
  slug: fc.constantFrom('ferries', 'floods', 'budget', 'ferries-7692c3ad', 'ferries-3fc4ccfe', 'election'),
  published: fc.constantFrom(1, 2, 3, 4),
  categories: fc.constantFrom(['world'], ['sport'], ['world', 'sport']),
});

describe('createArticleSetAssembler', () => {
  it('patching after each change gives exactly what rebuilding the whole store gives', () => {
    let updates = 0;
    let patches = 0;
    fc.assert(
      fc.property(fc.array(fc.array(operation, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 25 }), (batches) => {
        const files = new Map<string, IndexedFile>([['z.md', articleFile('z.md', 'zero', 'zero', 5, 0)]]);
        const patched = createArticleSetAssembler(SITE);
        const reference = createArticleSetAssembler(SITE);
        patched.rebuild(files, []);
        reference.rebuild(files, []);
        batches.forEach((batch, revision) => {
          const changed = new Set<string>();
          for (const op of batch) {
            changed.add(op.path);
            if (op.kind === 'delete') files.delete(op.path);
            else if (op.kind === 'break') files.set(op.path, problemFile(op.path));
            else files.set(op.path, articleFile(op.path, op.id, op.slug, op.published, revision, op.categories));
          }
          const update = patched.update(files, changed, []);
          updates += 1;
          if (update) patches += 1;
          const result = update ?? patched.rebuild(files, []);
          expect(visible(result)).toEqual(visible(reference.rebuild(files, [])));
        });
      }),
      { numRuns: 400 },
    );
    // The comparison only means something if patching really happened, and often.
    expect(patches).toBeGreaterThan(updates / 5);
  });

  it('patches a plain edit: one article out, its new version in, the rest the same objects', () => {
    const files = new Map<string, IndexedFile>();
    for (let n = 0; n < 50; n += 1) files.set(`s${n}.md`, articleFile(`s${n}.md`, `id-${n}`, `slug-${n}`, n, 0));
    const assembler = createArticleSetAssembler(SITE);
    const first = assembler.rebuild(files, []);
    files.set('s7.md', articleFile('s7.md', 'id-7', 'slug-7', 100, 1));
    const update = assembler.update(files, new Set(['s7.md']), []);
    expect(update).toBeDefined();
    expect(update?.set.articles[0]?.id).toBe('id-7');
    expect(update?.set.articles.slice(1)).toEqual(first.set.articles.filter((a) => a.id !== 'id-7'));
    expect(update?.set.articles[1]).toBe(first.set.articles[0]);
    expect(update?.changes.map((c) => c.id)).toEqual(['id-7']);
    expect(findBySlug(update!.set, 'slug-7')?.published).toBe(100);
    expect(findBySlug(update!.set, 'slug-70')).toBeUndefined();
  });

  it('leaves a change that touches a duplicate id or a shared slug to a rebuild', () => {
    const files = new Map<string, IndexedFile>([
      ['a.md', articleFile('a.md', 'one', 'ferries', 1, 0)],
      ['b.md', articleFile('b.md', 'two', 'floods', 2, 0)],
    ]);
    const assembler = createArticleSetAssembler(SITE);
    assembler.rebuild(files, []);
    files.set('c.md', articleFile('c.md', 'one', 'budget', 3, 0));
    expect(assembler.update(files, new Set(['c.md']), [])).toBeUndefined();
    files.set('c.md', articleFile('c.md', 'three', 'floods', 3, 0));
    expect(assembler.update(files, new Set(['c.md']), [])).toBeUndefined();
  });

  it('leaves a new article asking for a slug that disambiguation gave out to a rebuild', () => {
    const files = new Map<string, IndexedFile>([
      ['a.md', articleFile('a.md', 'two', 'ferries', 1, 0)],
      ['b.md', articleFile('b.md', 'one', 'ferries', 2, 0)],
    ]);
    const assembler = createArticleSetAssembler(SITE);
    expect(assembler.rebuild(files, []).set.articles.map((a) => a.slug)).toEqual(['ferries-7692c3ad', 'ferries']);
    files.set('c.md', articleFile('c.md', 'three', 'ferries-7692c3ad', 3, 0));
    expect(assembler.update(files, new Set(['c.md']), [])).toBeUndefined();
    expect(assembler.rebuild(files, []).set.articles.map((a) => a.slug)).toEqual(['ferries-7692c3ad', 'ferries-7692c3ad-2', 'ferries']);
  });
});
