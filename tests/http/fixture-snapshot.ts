import type { Article } from '../../src/domain/article.ts';
import { categoryPagePath, FEED_FORMATS, FEED_MEDIA_TYPES, feedPath, INDEX_PAGE_PATH, OPML_PATH } from '../../src/domain/documents.ts';
import type { FeedScope } from '../../src/domain/documents.ts';
import type { Site } from '../../src/domain/site.ts';
import { renderArticlePage, renderCategoryPage, renderIndexPage } from '../../src/pages/site-pages.ts';
import { listFeeds, renderOpml } from '../../src/pages/subscriptions.ts';
import { publishDocument } from '../../src/publication/publish-document.ts';
import type { BuildReport, PublishedDocument, Snapshot } from '../../src/publication/snapshot.ts';
import { ArticleBody } from '../../src/domain/article-body.ts';

export const BASE_URL = 'https://news.example.com';
/** 20 Nov 2026 09:30:00.750 UTC: not on a whole second, so second granularity is exercised. */
export const CONTENT_DATE = Date.UTC(2026, 10, 20, 9, 30, 0, 750);
export const BUILD_FINISHED = Date.UTC(2026, 10, 24, 10, 0, 0);

export const HTML_TYPE = 'text/html; charset=utf-8';
export const OPML_TYPE = 'text/x-opml; charset=utf-8';

export function makeSite(overrides: Partial<Site> = {}): Site {
  return {
    title: 'Sample News',
    description: 'News from the sample newsroom.',
    language: 'en',
    baseUrl: BASE_URL,
    tagAuthority: 'news.example.com,2026',
    defaultAuthor: { name: 'The Newsroom' },
    categories: [
      { name: 'World', slug: 'world', description: 'Stories from everywhere.' },
      { name: 'Science & Tech', slug: 'science-tech', description: 'Labs, launches and code.' },
    ],
    ...overrides,
  };
}

export function makeArticle(overrides: Partial<Article> & { slug: string }): Article {
  return {
    id: `id-${overrides.slug}`,
    sourcePath: `${overrides.slug}.md`,
    title: `Story ${overrides.slug}`,
    summary: `Summary of ${overrides.slug}.`,
    body: ArticleBody.fromHtml(`<p>Body of ${overrides.slug}.</p>`),
    categories: [{ name: 'World', slug: 'world' }],
    tags: [],
    authors: [{ name: 'Ada Reporter' }],
    published: CONTENT_DATE - 3_600_000,
    updated: CONTENT_DATE,
    draft: false,
    contentHash: `hash-${overrides.slug}`,
    ...overrides,
  };
}

export const ARTICLES: readonly Article[] = [
  makeArticle({ slug: 'volcano-erupts' }),
  makeArticle({ slug: 'new-chip', categories: [{ name: 'Science & Tech', slug: 'science-tech' }], published: CONTENT_DATE - 7_200_000 }),
];

/**
 * A feed-shaped body, long and repetitive enough that compression visibly pays; `version` ends
 * up in the bytes so that two snapshots' documents differ.
 */
function feedBody(path: string, version: string): string {
  const items = Array.from({ length: 40 }, (_, index) => `  <item><title>Item ${index} of ${path}</title><guid>tag:news.example.com,2026:${index}</guid></item>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!-- ${path} version ${version} -->\n<rss version="2.0"><channel>\n${items.join('\n')}\n</channel></rss>\n`;
}

export interface FixtureOptions {
  readonly site?: Site;
  readonly articles?: readonly Article[];
  /** Distinguishes the bytes (and ETags) of one snapshot from another's. */
  readonly version?: string;
  /** Document paths to leave out, e.g. a feed that never validated. */
  readonly omit?: readonly string[];
  readonly extraDocuments?: readonly PublishedDocument[];
  readonly build?: Partial<BuildReport>;
  readonly articlePage?: (slug: string) => PublishedDocument | undefined;
}

/** A complete snapshot as the publication stage would make it, from documents made by publishDocument. */
export function makeSnapshot(options: FixtureOptions = {}): Snapshot {
  const site = options.site ?? makeSite();
  const articles = options.articles ?? ARTICLES;
  const version = options.version ?? 'v1';
  const scopes: FeedScope[] = [{ kind: 'site' }, ...site.categories.map((category) => ({ kind: 'category' as const, slug: category.slug }))];
  const documents = new Map<string, PublishedDocument>();
  const add = (document: PublishedDocument): void => {
    if (!options.omit?.includes(document.path)) documents.set(document.path, document);
  };
  for (const scope of scopes) {
    for (const format of FEED_FORMATS) {
      const path = feedPath(scope, format);
      add(publishDocument(path, FEED_MEDIA_TYPES[format], feedBody(path, version), CONTENT_DATE));
    }
  }
  add(publishDocument(OPML_PATH, OPML_TYPE, renderOpml(site, listFeeds(site), CONTENT_DATE), CONTENT_DATE));
  add(publishDocument(INDEX_PAGE_PATH, HTML_TYPE, renderIndexPage(site, site.categories, articles), CONTENT_DATE));
  for (const category of site.categories) {
    const recent = articles.filter((article) => article.categories.some((candidate) => candidate.slug === category.slug));
    add(publishDocument(categoryPagePath(category.slug), HTML_TYPE, renderCategoryPage(site, category, recent), CONTENT_DATE));
  }
  for (const document of options.extraDocuments ?? []) documents.set(document.path, document);

  const articlesBySlug = new Map(articles.map((article) => [article.slug, article]));
  const pages = new Map<string, PublishedDocument>();
  const build: BuildReport = {
    startedAt: BUILD_FINISHED - 1500,
    finishedAt: BUILD_FINISHED,
    durationMs: 1500,
    articleCount: articles.length + 1,
    publicArticleCount: articles.length,
    feedCount: [...documents.keys()].filter((path) => /(^|\/)(rss\.xml|atom\.xml|feed\.json)$/.test(path)).length,
    rejectedArticles: [{ subject: 'broken.md', field: 'published', message: 'published is not a date' }],
    failedDocuments: [],
    outputProblems: [],
    ...options.build,
  };
  return Object.freeze({
    site,
    documents,
    findArticle: (slug: string) => articlesBySlug.get(slug),
    articlePage:
      options.articlePage ??
      ((slug: string): PublishedDocument | undefined => {
        const known = pages.get(slug);
        if (known) return known;
        const article = articlesBySlug.get(slug);
        if (!article) return undefined;
        const page = publishDocument(`articles/${slug}`, HTML_TYPE, renderArticlePage(site, article), article.updated);
        pages.set(slug, page);
        return page;
      }),
    build,
    nextEmbargoAt: undefined,
  });
}
