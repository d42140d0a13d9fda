import { categoryPagePath, INDEX_PAGE_PATH } from '../pages/page-paths.ts';
import type { PublishedDocument, Snapshot } from '../publication/snapshot.ts';
import type { RouteMatch } from './routing.ts';
import type { SnapshotCatalog } from './snapshot-catalog.ts';

export type Resolution =
  | { readonly kind: 'serve'; readonly document: PublishedDocument }
  /** `location` is the canonical absolute URL, built from the snapshot, never from the request. */
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'not-found' }
  /** Not known yet: the snapshot was restored from disk and has no articles until the first build. */
  | { readonly kind: 'not-ready' };

type DocumentRoute = Exclude<RouteMatch, { kind: 'health' | 'metrics' }>;

function categoryDocumentPath(slug: string, file: string): string {
  return file === INDEX_PAGE_PATH ? categoryPagePath(slug) : `category/${slug}/${file}`;
}

function categoryUrl(baseUrl: string, slug: string, file: string): string {
  return `${baseUrl}/category/${encodeURIComponent(slug)}/${file === INDEX_PAGE_PATH ? '' : file}`;
}

/**
 * Finds what a matched route names in one snapshot. Another spelling of something that exists
 * (other case, trailing slash, index.html) redirects to its canonical URL; the redirect only ever
 * points at a document the snapshot has, so it cannot be steered elsewhere by the request.
 */
export function resolveDocument(snapshot: Snapshot, catalog: SnapshotCatalog, match: DocumentRoute): Resolution {
  const { baseUrl } = snapshot.site;
  switch (match.kind) {
    case 'document': {
      const document = snapshot.documents.get(match.path);
      if (!document) return { kind: 'not-found' };
      if (match.canonical) return { kind: 'serve', document };
      return { kind: 'redirect', location: `${baseUrl}/${match.path === INDEX_PAGE_PATH ? '' : match.path}` };
    }
    case 'category': {
      const slug = catalog.categorySlugs.get(match.slug.toLowerCase());
      const document = slug === undefined ? undefined : snapshot.documents.get(categoryDocumentPath(slug, match.file));
      if (slug === undefined || !document) return { kind: 'not-found' };
      if (match.canonical && slug === match.slug) return { kind: 'serve', document };
      return { kind: 'redirect', location: categoryUrl(baseUrl, slug, match.file) };
    }
    case 'article': {
      const slug = snapshot.findArticle(match.slug) ? match.slug : match.slug.toLowerCase();
      if (!snapshot.findArticle(slug)) {
        return snapshot.build.restoredFromDisk ? { kind: 'not-ready' } : { kind: 'not-found' };
      }
      if (!match.canonical || slug !== match.slug) return { kind: 'redirect', location: `${baseUrl}/articles/${encodeURIComponent(slug)}` };
      const document = snapshot.articlePage(slug);
      return document ? { kind: 'serve', document } : { kind: 'not-found' };
    }
  }
}
