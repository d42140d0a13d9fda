import type { PublishedDocument } from './snapshot.ts';

/**
 * The output directory's table of contents. It is written last, after every document it names,
 * so on start-up it never names a file that is not complete; each entry's ETag lets the reader
 * check the bytes it finds before serving them.
 */
export interface OutputManifest {
  readonly version: 1;
  readonly documents: Readonly<Record<string, { readonly mediaType: string; readonly etag: string; readonly lastModified: number }>>;
}

export const MANIFEST_FILE = '.wirefeed-manifest.json';

export function manifestOf(documents: Iterable<PublishedDocument>): OutputManifest {
  const entries: Record<string, { mediaType: string; etag: string; lastModified: number }> = {};
  for (const document of [...documents].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    entries[document.path] = { mediaType: document.mediaType, etag: document.etag, lastModified: document.lastModified };
  }
  return { version: 1, documents: entries };
}
