import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { OutputManifest } from '../../src/publication/output-manifest.ts';
import { MANIFEST_FILE, matchingEntry } from '../../src/publication/output-manifest.ts';
import { strongEtag } from '../../src/publication/publish-document.ts';
import { validateFeedText } from '../../src/validation/validate-feed-text.ts';
import { saxesError } from '../fixtures/articles/read-xml-with-saxes.ts';

/** What a reader of the output directory (nginx, a CDN, a restarted service) would find there. */
export interface OutputInspection {
  readonly manifest: OutputManifest | undefined;
  /** True when the manifest is one written before a write that never finished. */
  readonly interrupted: boolean;
  /** Every fault found: torn or invalid feeds, manifest entries that do not match their files. */
  readonly faults: readonly string[];
  /** Manifest documents whose file holds a version the manifest vouches for: what a restart can serve at once. */
  readonly vouched: readonly string[];
  /** Output-relative paths of temporary files left by interrupted writes. */
  readonly temporaryFiles: readonly string[];
  readonly feedFiles: number;
}

const FEED_FILE = /(^|\/)(rss\.xml|atom\.xml|feed\.json)(\.gz|\.br)?$/;

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await listFiles(root, relative)));
    else files.push(relative);
  }
  return files;
}

function feedFault(text: string, subject: string, now: number): string | undefined {
  const problems = validateFeedText(text, { now, subject });
  if (problems.length > 0) return `${subject}: ${problems[0]?.message ?? ''}`;
  if (subject.includes('.xml')) {
    const error = saxesError(text);
    if (error !== undefined) return `${subject}: saxes: ${error}`;
  }
  return undefined;
}

/**
 * Reads everything in `outputDir`: every feed file found (and its compressed siblings) must be a
 * complete, valid feed, whether or not the manifest names it; every manifest entry must name a
 * file whose bytes have the entry's ETag.
 */
export async function inspectOutput(outputDir: string, now: number): Promise<OutputInspection> {
  const faults: string[] = [];
  const files = await listFiles(outputDir);
  const temporaryFiles = files.filter((file) => file.endsWith('.tmp'));
  let feedFiles = 0;
  for (const file of files.filter((candidate) => FEED_FILE.test(candidate))) {
    feedFiles += 1;
    let bytes: Buffer;
    try {
      const raw = await readFile(path.join(outputDir, file));
      bytes = file.endsWith('.gz') ? gunzipSync(raw) : file.endsWith('.br') ? brotliDecompressSync(raw) : raw;
    } catch (error) {
      faults.push(`${file}: cannot be read or decompressed (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const fault = feedFault(bytes.toString('utf8'), file, now);
    if (fault !== undefined) faults.push(fault);
  }

  let manifest: OutputManifest | undefined;
  const manifestText = await readFile(path.join(outputDir, MANIFEST_FILE), 'utf8').catch(() => undefined);
  if (manifestText !== undefined) {
    try {
      manifest = JSON.parse(manifestText) as OutputManifest;
    } catch {
      faults.push(`${MANIFEST_FILE} is not complete JSON`);
    }
  }
  const vouched: string[] = [];
  for (const documentPath of Object.keys(manifest?.documents ?? {})) {
    if (!manifest) break;
    // A path a write was under way for may still hold its earlier version, or (null) nothing yet.
    const pending = manifest.pending !== undefined && Object.hasOwn(manifest.pending, documentPath);
    const bytes = await readFile(path.join(outputDir, documentPath)).catch(() => undefined);
    if (bytes === undefined) {
      if (!pending || manifest.pending?.[documentPath] !== null) faults.push(`${documentPath}: named in the manifest but missing`);
    } else if (matchingEntry(manifest, documentPath, strongEtag(bytes))) {
      vouched.push(documentPath);
    } else {
      faults.push(`${documentPath}: bytes match neither ETag the manifest gives`);
    }
  }
  return { manifest, interrupted: manifest?.pending !== undefined, faults, vouched, temporaryFiles, feedFiles };
}
