import type { PublishedDocument, Snapshot } from '../publication/snapshot.ts';
import type { Site } from '../domain/site.ts';
import type { PreparedDocument } from './document-response.ts';
import { createDocumentPreparation } from './document-response.ts';
import type { SnapshotCatalog } from './snapshot-catalog.ts';
import { createSnapshotCatalog } from './snapshot-catalog.ts';

/**
 * What an app derives once from snapshots and documents. Shared by the router's answers and the
 * lean path, so a document's prepared responses exist once and both paths send the same ones.
 */
export interface ServingCaches {
  /** Cache-Control for documents, redirects and the 404 that lists the feeds. */
  readonly cacheControl: string;
  readonly preparedOf: (document: PublishedDocument, site: Site) => PreparedDocument;
  readonly catalogOf: (snapshot: Snapshot) => SnapshotCatalog;
}

export function createServingCaches(options: { readonly cacheMaxAgeSeconds: number; readonly hubUrl?: string | undefined }): ServingCaches {
  const cacheControl = `public, max-age=${options.cacheMaxAgeSeconds}`;
  return {
    cacheControl,
    preparedOf: createDocumentPreparation({ hubUrl: options.hubUrl, cacheControl }),
    catalogOf: createSnapshotCatalog(),
  };
}
