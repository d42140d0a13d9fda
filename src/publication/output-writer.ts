import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../domain/problem.ts';
import type { ManifestEntry, OutputManifest } from './output-manifest.ts';
import { entryOf, MANIFEST_FILE, manifestOf, matchingEntry, parseManifest } from './output-manifest.ts';
import { strongEtag } from './publish-document.ts';
import type { PublishedDocument } from './snapshot.ts';
import { isTemporaryFileName, writeFileAtomically } from './write-file-atomically.ts';

export interface OutputWriter {
  /**
   * Mirrors the documents into the output directory: each document as its path plus `.gz` and `.br`
   * siblings (for nginx's gzip_static/brotli_static), then the manifest. Only documents whose ETag
   * differs from what is on disk are touched, and before any is, a manifest naming both versions
   * (see OutputManifest) so that a crash part way never leaves it naming bytes that are not there.
   * Failures come back as problems so the in-memory snapshot is published regardless; a failed
   * file is retried on the next call.
   */
  write(documents: ReadonlyMap<string, PublishedDocument>): Promise<Problem[]>;
}

function describe(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? `${error.code}: ${error.message}` : error.message;
  return String(error);
}

/** Temporary files of writes a crash interrupted; they are never renamed into place by anyone. */
async function removeTemporaryFiles(folder: string): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const target = path.join(folder, entry.name);
    if (entry.isDirectory()) await removeTemporaryFiles(target);
    else if (isTemporaryFileName(entry.name)) await rm(target, { force: true }).catch(() => undefined);
  }
}

export function createOutputWriter(outputDir: string): OutputWriter {
  /** path -> what the complete file there holds; null: a file may be there, contents unknown. */
  const onDisk = new Map<string, ManifestEntry | null>();
  /** 'unread' before the first write, 'suspect' after a failure (files may have changed under us). */
  let knowledge: 'unread' | 'trusted' | 'suspect' = 'unread';

  async function versionOnDisk(manifest: OutputManifest, documentPath: string): Promise<ManifestEntry | null | undefined> {
    const bytes = await readFile(path.join(outputDir, documentPath)).catch(() => undefined);
    if (bytes === undefined) return undefined;
    return matchingEntry(manifest, documentPath, strongEtag(bytes)) ?? null;
  }

  /**
   * A previous run's final manifest names complete files (it is written after them), so a
   * restarted service neither rewrites unchanged files nor forgets to remove ones that are gone.
   * Where a write was interrupted (a pending manifest) or failed, the files themselves say which
   * version they hold.
   */
  async function learnFromDisk(): Promise<void> {
    const verifyAll = knowledge === 'suspect';
    if (knowledge === 'unread') await removeTemporaryFiles(outputDir);
    knowledge = 'trusted';
    onDisk.clear();
    const text = await readFile(path.join(outputDir, MANIFEST_FILE), 'utf8').catch(() => undefined);
    // No manifest, or an unreadable one: everything is written afresh.
    const manifest = text === undefined ? undefined : parseManifest(text);
    if (!manifest) return;
    const pending = manifest.pending ?? {};
    for (const documentPath of new Set([...Object.keys(manifest.documents), ...Object.keys(pending)])) {
      const trusted = !verifyAll && !Object.hasOwn(pending, documentPath);
      const version = trusted ? manifest.documents[documentPath] : await versionOnDisk(manifest, documentPath);
      if (version !== undefined) onDisk.set(documentPath, version);
    }
  }

  async function writeManifest(documents: ReadonlyMap<string, PublishedDocument>, pending?: ReadonlyMap<string, ManifestEntry | null>): Promise<void> {
    const manifest = Buffer.from(`${JSON.stringify(manifestOf(documents.values(), pending), null, 1)}\n`);
    await writeFileAtomically(path.join(outputDir, MANIFEST_FILE), manifest);
  }

  async function writeDocument(document: PublishedDocument): Promise<void> {
    const target = path.join(outputDir, document.path);
    // Encodings first: a crash between these writes leaves a stale .gz beside a stale body, both old.
    await writeFileAtomically(`${target}.gz`, document.gzip);
    await writeFileAtomically(`${target}.br`, document.brotli);
    await writeFileAtomically(target, document.body);
  }

  async function removeStale(stalePaths: readonly string[]): Promise<void> {
    for (const stalePath of stalePaths) {
      const target = path.join(outputDir, stalePath);
      await Promise.all([target, `${target}.gz`, `${target}.br`].map((file) => rm(file, { force: true })));
      onDisk.delete(stalePath);
      // Folders left empty go too, so the layout keeps mirroring the URLs.
      for (let folder = path.dirname(target); folder.startsWith(outputDir + path.sep); folder = path.dirname(folder)) {
        const left = await readdir(folder).catch(() => ['?']);
        if (left.length > 0) break;
        await rm(folder, { recursive: true, force: true });
      }
    }
  }

  const manifestProblem = (error: unknown): Problem => ({
    subject: path.join(outputDir, MANIFEST_FILE),
    field: 'output',
    message: `could not be written (${describe(error)}); the feeds are still served from memory and the write is retried on the next build`,
  });

  return {
    async write(documents) {
      if (knowledge !== 'trusted') await learnFromDisk();
      const changed = [...documents.values()].filter((document) => onDisk.get(document.path)?.etag !== document.etag);
      const stale = [...onDisk.keys()].filter((known) => !documents.has(known));
      if (changed.length > 0 || stale.length > 0) {
        const pending = new Map<string, ManifestEntry | null>();
        for (const document of changed) pending.set(document.path, onDisk.get(document.path) ?? null);
        for (const stalePath of stale) pending.set(stalePath, onDisk.get(stalePath) ?? null);
        try {
          await writeManifest(documents, pending);
        } catch (error) {
          // Nothing has been touched: the manifest on disk still describes the folder.
          knowledge = 'suspect';
          return [manifestProblem(error)];
        }
      }
      const problems: Problem[] = [];
      for (const document of changed) {
        try {
          await writeDocument(document);
          onDisk.set(document.path, entryOf(document));
        } catch (error) {
          problems.push({
            subject: path.join(outputDir, document.path),
            field: 'output',
            message: `could not be written (${describe(error)}); the feed is still served from memory and the write is retried on the next build`,
          });
        }
      }
      if (problems.length > 0) {
        // The pending manifest stays: it covers whichever version each file now holds.
        knowledge = 'suspect';
        return problems;
      }
      try {
        await removeStale(stale);
        await writeManifest(documents);
      } catch (error) {
        knowledge = 'suspect';
        problems.push(manifestProblem(error));
      }
      return problems;
    },
  };
}
