import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../domain/problem.ts';
import type { OutputManifest } from './output-manifest.ts';
import { MANIFEST_FILE, manifestOf } from './output-manifest.ts';
import type { PublishedDocument } from './snapshot.ts';
import { writeFileAtomically } from './write-file-atomically.ts';

export interface OutputWriter {
  /**
   * Mirrors the documents into the output directory: each document as its path plus `.gz` and `.br`
   * siblings (for nginx's gzip_static/brotli_static), then the manifest. Only documents whose ETag
   * differs from what this writer last wrote are touched. Failures come back as problems so the
   * in-memory snapshot is published regardless; a failed file is retried on the next call.
   */
  write(documents: ReadonlyMap<string, PublishedDocument>): Promise<Problem[]>;
}

function describe(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? `${error.code}: ${error.message}` : error.message;
  return String(error);
}

export function createOutputWriter(outputDir: string): OutputWriter {
  /** path -> ETag of what is known to be on disk, complete. */
  const onDisk = new Map<string, string>();
  let learnedFromManifest = false;

  /**
   * A previous run's manifest names complete files (it is written after them), so a restarted
   * service neither rewrites unchanged files nor forgets to remove ones that are gone.
   */
  async function learnFromManifest(): Promise<void> {
    learnedFromManifest = true;
    try {
      const manifest = JSON.parse(await readFile(path.join(outputDir, MANIFEST_FILE), 'utf8')) as Partial<OutputManifest>;
      for (const [documentPath, entry] of Object.entries(manifest.documents ?? {})) {
        if (!documentPath.split('/').includes('..') && typeof entry?.etag === 'string') onDisk.set(documentPath, entry.etag);
      }
    } catch {
      // No manifest, or an unreadable one: everything is written afresh.
    }
  }

  async function writeDocument(document: PublishedDocument): Promise<void> {
    const target = path.join(outputDir, document.path);
    // Encodings first: a crash between these writes leaves a stale .gz beside a stale body, both old.
    await writeFileAtomically(`${target}.gz`, document.gzip);
    await writeFileAtomically(`${target}.br`, document.brotli);
    await writeFileAtomically(target, document.body);
  }

  async function removeStale(present: ReadonlyMap<string, PublishedDocument>): Promise<void> {
    for (const stalePath of [...onDisk.keys()].filter((known) => !present.has(known))) {
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

  return {
    async write(documents) {
      if (!learnedFromManifest) await learnFromManifest();
      const problems: Problem[] = [];
      for (const document of documents.values()) {
        if (onDisk.get(document.path) === document.etag) continue;
        try {
          await writeDocument(document);
          onDisk.set(document.path, document.etag);
        } catch (error) {
          onDisk.delete(document.path);
          problems.push({
            subject: path.join(outputDir, document.path),
            field: 'output',
            message: `could not be written (${describe(error)}); the feed is still served from memory and the write is retried on the next build`,
          });
        }
      }
      if (problems.length > 0) return problems;
      try {
        await removeStale(documents);
        const manifest = Buffer.from(`${JSON.stringify(manifestOf(documents.values()), null, 1)}\n`);
        await writeFileAtomically(path.join(outputDir, MANIFEST_FILE), manifest);
      } catch (error) {
        problems.push({
          subject: path.join(outputDir, MANIFEST_FILE),
          field: 'output',
          message: `could not be written (${describe(error)}); retried on the next build`,
        });
        // Forget what we believe is on disk so the next build rewrites everything.
        onDisk.clear();
      }
      return problems;
    },
  };
}
