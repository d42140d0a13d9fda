import type { Site } from './site.ts';

/*
 * Every document Wirefeed publishes, by path (relative to the site root and to the output
 * directory, no leading slash) and media type: the one list the builders, the output writer
 * and the HTTP layer agree on.
 */

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

/** File name of each format inside its scope's folder; also the last URL segment. */
export const FEED_FILE_NAMES: Readonly<Record<FeedFormat, string>> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
};

export const FEED_MEDIA_TYPES: Readonly<Record<FeedFormat, string>> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** A feed covers the whole site or one category. */
export type FeedScope = { readonly kind: 'site' } | { readonly kind: 'category'; readonly slug: string };

/** Path of a feed relative to the site root and to the output directory: "rss.xml", "category/world/atom.xml". */
export function feedPath(scope: FeedScope, format: FeedFormat): string {
  const file = FEED_FILE_NAMES[format];
  return scope.kind === 'site' ? file : `category/${scope.slug}/${file}`;
}

/**
 * The whole site plus every declared category, in site.yaml order. A declared category gets its
 * feeds even with no public article yet, so subscribers can follow it before its first story.
 */
export function defaultFeedScopes(site: Pick<Site, 'categories'>): FeedScope[] {
  return [{ kind: 'site' }, ...site.categories.map((category): FeedScope => ({ kind: 'category', slug: category.slug }))];
}

export const OPML_PATH = 'feeds.opml';
export const INDEX_PAGE_PATH = 'index.html';

export function categoryPagePath(slug: string): string {
  return `category/${slug}/index.html`;
}

/** Article pages are rendered on request, never written to the output directory. */
export function articlePagePath(slug: string): string {
  return `articles/${slug}`;
}

export const HTML_MEDIA_TYPE = 'text/html; charset=utf-8';
export const OPML_MEDIA_TYPE = 'text/x-opml; charset=utf-8';

/** The feeds' title convention, shared by the feeds and the pages that list them: "News" for the site, "News — Technology" for a category. */
export function scopeTitle(site: Pick<Site, 'title'>, categoryName: string | undefined): string {
  return categoryName === undefined ? site.title : `${site.title} — ${categoryName}`;
}

/** The change streams (README "Change streams"): built per request page from the change journal, never written to the output directory. */
export type ChangeStreamFormat = 'json' | 'atom';

export const CHANGE_STREAM_FILE_NAMES: Readonly<Record<ChangeStreamFormat, string>> = {
  json: 'changes.json',
  atom: 'changes.atom',
};

/** "changes.json", "category/world/changes.atom". */
export function changeStreamPath(scope: FeedScope, format: ChangeStreamFormat): string {
  const file = CHANGE_STREAM_FILE_NAMES[format];
  return scope.kind === 'site' ? file : `category/${scope.slug}/${file}`;
}

/**
 * RFC 5005 archives (README "Archives"): page n of a scope holds its journal entries
 * (n-1)*ARCHIVE_PAGE_SIZE+1 … n*ARCHIVE_PAGE_SIZE, counted in seq order among the entries listed
 * under the scope. Built on request from the change journal, never written to the output directory.
 */
export const ARCHIVE_PAGE_SIZE = 100;

/** The last segment's extension of each format's archive pages: "archive/3.atom", "archive/3.xml", "archive/3.json". */
export const ARCHIVE_EXTENSIONS: Readonly<Record<FeedFormat, string>> = {
  atom: 'atom',
  rss: 'xml',
  json: 'json',
};

/** "archive/3.atom", "category/world/archive/3.xml". */
export function archivePath(scope: FeedScope, format: FeedFormat, page: number): string {
  const file = `archive/${page}.${ARCHIVE_EXTENSIONS[format]}`;
  return scope.kind === 'site' ? file : `category/${scope.slug}/${file}`;
}

/** The newest archive page of a scope with `entryCount` journal entries: 0 when it has none. */
export function newestArchivePage(entryCount: number): number {
  return Math.ceil(entryCount / ARCHIVE_PAGE_SIZE);
}

/**
 * Store images (README "Images"): the files under CONTENT_DIR/images/ are served at
 * /images/..., and a lead image there is measured from its file. Nothing else in the store is
 * served: articles, site.yaml and drafts are not images.
 */
export const STORE_IMAGES_FOLDER = 'images';

/** What the store's images may be, by extension (lower case), and the media type each is served and announced with. */
export const IMAGE_MEDIA_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

/** The media type of an image path or URL path by its extension, or undefined for anything else. */
export function imageMediaType(path: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : IMAGE_MEDIA_TYPES[extension];
}

/**
 * The store path ("images/samples/a.jpg") of an absolute URL that names a store image on this
 * site (`${baseUrl}/images/...`), or undefined for any other URL (another host, another folder).
 */
export function storeImagePath(url: string, baseUrl: string): string | undefined {
  const prefix = `${baseUrl}/${STORE_IMAGES_FOLDER}/`;
  if (!url.startsWith(prefix)) return undefined;
  const rest = url.slice(prefix.length).replace(/[?#].*$/s, '');
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('/') || segment.includes('\\')) return undefined;
    segments.push(segment);
  }
  return [STORE_IMAGES_FOLDER, ...segments].join('/');
}
