/**
 * Where each page lives in the snapshot and the output directory: the keys the integrator
 * stores the rendered pages under and the HTTP layer looks them up by.
 */
export const OPML_PATH = 'feeds.opml';
export const INDEX_PAGE_PATH = 'index.html';

export function categoryPagePath(slug: string): string {
  return `category/${slug}/index.html`;
}
