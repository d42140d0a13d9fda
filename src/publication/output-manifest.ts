import type { PublishedDocument } from './snapshot.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';

export interface ManifestEntry {
  readonly mediaType: string;
  readonly etag: string;
  readonly lastModified: number;
}

/**
 * The output directory's table of contents. The final manifest is written last, after every
 * document it names, so it never names a file that is not complete; each entry's ETag lets the
 * reader check the bytes it finds before serving them.
 *
 * Before a write touches any file, a manifest with `pending` is written: a crash part way
 * leaves each of those files complete (every file is renamed into place) but holding either
 * version, or none yet. A reader accepts a file whose ETag matches its `documents` entry or, for
 * a pending path, its earlier entry; a pending path with `null` may hold anything or nothing.
 */
export interface OutputManifest {
  readonly version: 1;
  readonly documents: Readonly<Record<string, ManifestEntry>>;
  readonly pending?: Readonly<Record<string, ManifestEntry | null>>;
}

export const MANIFEST_FILE = '.wirefeed-manifest.json';

export function entryOf(document: PublishedDocument): ManifestEntry {
  return { mediaType: document.mediaType, etag: document.etag, lastModified: document.lastModified };
}

function sortedRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => compareCodeUnits(a, b)));
}

export function manifestOf(documents: Iterable<PublishedDocument>, pending?: ReadonlyMap<string, ManifestEntry | null>): OutputManifest {
  const entries = sortedRecord([...documents].map((document) => [document.path, entryOf(document)] as const));
  return pending === undefined || pending.size === 0 ? { version: 1, documents: entries } : { version: 1, documents: entries, pending: sortedRecord(pending) };
}

function isEntry(value: unknown): value is ManifestEntry {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ManifestEntry>;
  return typeof candidate.etag === 'string' && typeof candidate.mediaType === 'string' && typeof candidate.lastModified === 'number';
}

/** A path that stays inside the output directory: no "..", no empty or absolute segments. */
function isSafePath(documentPath: string): boolean {
  return !documentPath.split('/').some((segment) => segment === '..' || segment === '' || segment === '.');
}

/** The manifest in `text`, keeping only well-formed entries with safe paths; undefined when it is not one. */
export function parseManifest(text: string): OutputManifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as { version?: unknown; documents?: unknown; pending?: unknown };
  if (candidate.version !== 1 || typeof candidate.documents !== 'object' || candidate.documents === null) return undefined;
  const documents = Object.entries(candidate.documents).filter(([documentPath, entry]) => isSafePath(documentPath) && isEntry(entry));
  const pending = typeof candidate.pending === 'object' && candidate.pending !== null
    ? Object.entries(candidate.pending).filter(([documentPath, entry]) => isSafePath(documentPath) && (entry === null || isEntry(entry)))
    : [];
  return {
    version: 1,
    documents: Object.fromEntries(documents) as Record<string, ManifestEntry>,
    ...(pending.length > 0 ? { pending: Object.fromEntries(pending) as Record<string, ManifestEntry | null> } : {}),
  };
}

/**
 * Which entry describes a file with this ETag: its `documents` entry, else its earlier pending
 * entry; undefined when neither (the file is not the manifest's to vouch for).
 */
export function matchingEntry(manifest: OutputManifest, documentPath: string, etag: string): ManifestEntry | undefined {
  const current = own(manifest.documents, documentPath);
  if (current?.etag === etag) return current;
  const earlier = manifest.pending === undefined ? undefined : own(manifest.pending, documentPath);
  return earlier?.etag === etag ? earlier : undefined;
}

function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
