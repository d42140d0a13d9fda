import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { OutputManifest } from './output-manifest.ts';
import { MANIFEST_FILE } from './output-manifest.ts';
import { publishDocument, strongEtag } from './publish-document.ts';
import type { PublishedDocument } from './snapshot.ts';

function isManifest(value: unknown): value is OutputManifest {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { version?: unknown; documents?: unknown };
  return candidate.version === 1 && typeof candidate.documents === 'object' && candidate.documents !== null;
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

/**
 * What an earlier run left in the output directory, so a restarted service can answer at once,
 * before its first build. Only files whose bytes still match the manifest's ETag are trusted;
 * anything missing or different is left out and will come back with the first build.
 */
export async function readOutputDirectory(outputDir: string): Promise<PublishedDocument[]> {
  const manifestBytes = await readOptional(path.join(outputDir, MANIFEST_FILE));
  if (!manifestBytes) return [];
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    return [];
  }
  if (!isManifest(manifest)) return [];
  const documents: PublishedDocument[] = [];
  for (const [documentPath, entry] of Object.entries(manifest.documents)) {
    if (documentPath.split('/').some((segment) => segment === '..' || segment === '')) continue;
    const target = path.join(outputDir, documentPath);
    const body = await readOptional(target);
    if (!body || strongEtag(body) !== entry.etag) continue;
    const [gzip, brotli] = await Promise.all([readOptional(`${target}.gz`), readOptional(`${target}.br`)]);
    // The encodings are written before the body, so after a crash they may be newer than it:
    // use them only when they decode to exactly this body, else compress afresh.
    const encodingsMatch = gzip && brotli && decodesTo(gunzipSync, gzip, body) && decodesTo(brotliDecompressSync, brotli, body);
    documents.push(
      encodingsMatch
        ? Object.freeze({ path: documentPath, mediaType: entry.mediaType, body, gzip, brotli, etag: entry.etag, lastModified: entry.lastModified })
        : publishDocument(documentPath, entry.mediaType, body, entry.lastModified),
    );
  }
  return documents;
}

function decodesTo(decode: (data: Buffer) => Buffer, encoded: Buffer, body: Buffer): boolean {
  try {
    return decode(encoded).equals(body);
  } catch {
    return false;
  }
}
