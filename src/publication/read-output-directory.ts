import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { MANIFEST_FILE, matchingEntry, parseManifest } from './output-manifest.ts';
import { publishDocument, strongEtag } from './publish-document.ts';
import type { PublishedDocument } from './snapshot.ts';

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
  const manifest = parseManifest(manifestBytes.toString('utf8'));
  if (!manifest) return [];
  const documents: PublishedDocument[] = [];
  // Paths only in `pending` are being removed: they are not served again.
  for (const documentPath of Object.keys(manifest.documents)) {
    const target = path.join(outputDir, documentPath);
    const body = await readOptional(target);
    if (!body) continue;
    // After a crash during a write, the file may hold the version before it (see OutputManifest).
    const entry = matchingEntry(manifest, documentPath, strongEtag(body));
    if (!entry) continue;
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
