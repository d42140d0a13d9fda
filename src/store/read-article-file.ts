import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../domain/problem.ts';
import { isGoneError, isLinkLoopError, isPermissionError } from './classify-fs-error.ts';
import { displayPath } from './display-path.ts';

export type ReadOutcome =
  /** UTF-8 text with any BOM removed and every line ending turned into LF. */
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'problem'; readonly problem: Problem }
  /** Deleted or moved between listing and reading: not a problem, the next listing will not have it. */
  | { readonly kind: 'gone' };

export interface ReadArticleFileOptions {
  /** The store folder with every symbolic link resolved (fs.realpath), to tell inside from outside. */
  readonly storeRealPath: string;
  readonly maxArticleBytes: number;
  readonly cwd?: string;
}

const PERMISSION_DENIED = 'cannot be read (permission denied): give the Wirefeed user read access';

/**
 * Reads one article file defensively: the store is written by people and scrapers, and a bad
 * file must become a problem for that file only.
 *
 * `absolutePath` is a path the listing produced, so its folders are inside the store and are not
 * links (linked folders are never listed); only the file itself may be a link, and a link is
 * followed only when its target is inside the store.
 */
export async function readArticleFile(absolutePath: string, options: ReadArticleFileOptions): Promise<ReadOutcome> {
  const shown = displayPath(absolutePath, options.cwd);
  const problem = (message: string): ReadOutcome => ({ kind: 'problem', problem: { subject: shown, message } });

  let handle: FileHandle;
  try {
    // O_NOFOLLOW: the common case (a plain file, listed inside the store) needs no realpath;
    // a link fails here and is checked below. O_NONBLOCK so that a named pipe called "x.md"
    // cannot hang the read; it is refused below.
    handle = await fs.open(absolutePath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if (isGoneError(error)) return { kind: 'gone' };
    if (isPermissionError(error)) return problem(PERMISSION_DENIED);
    if (!isLinkLoopError(error)) throw new Error(`store: cannot open ${shown}`, { cause: error });
    const linked = await openLinkedFile(absolutePath, options.storeRealPath, shown);
    if ('kind' in linked) return linked.kind === 'gone' ? linked : problem(linked.message);
    handle = linked.handle;
  }
  let bytes: Buffer;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return problem('is not a regular file: replace it with a Markdown file or rename it');
    if (stats.size > options.maxArticleBytes) return problem(tooBig(stats.size, options.maxArticleBytes));
    const read = await readAtMost(handle, stats.size, options.maxArticleBytes + 1);
    // The file can grow between stat and read (a writer still at work).
    if (read.length > options.maxArticleBytes) return problem(tooBig(read.length, options.maxArticleBytes));
    bytes = read;
  } catch (error) {
    throw new Error(`store: cannot read ${shown}`, { cause: error });
  } finally {
    await handle.close();
  }

  return decodeArticleBytes(bytes, problem);
}

function tooBig(size: number, limit: number): string {
  return `is ${size} bytes, over the limit of ${limit} bytes (MAX_ARTICLE_BYTES): shorten the article, move large media out of the file, or raise the limit`;
}

/**
 * Reads until end of file or `limit` bytes. The first chunk is sized from `stat` so that the
 * common case is one allocation; later chunks only happen when the file grew meanwhile.
 */
export async function readAtMost(handle: FileHandle, expectedSize: number, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunkSize = Math.max(expectedSize + 1, 1);
  while (total < limit) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkSize, limit - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    // A short read of a regular file means end of file: no extra call to learn it.
    if (bytesRead < chunk.length) break;
    chunkSize = 64 * 1024;
  }
  return Buffer.concat(chunks, total);
}

// Safe to share: a decoder used without { stream: true } keeps no state between calls.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeArticleBytes(bytes: Buffer, problem: (message: string) => ReadOutcome): ReadOutcome {
  const emptyMessage = 'is empty: write the article (front matter and body) or delete the file';
  if (bytes.length === 0) return problem(emptyMessage);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return problem('is encoded as UTF-16: save it as UTF-8');
  }
  if (bytes.includes(0)) return problem('contains NUL bytes, so it is a binary file rather than Markdown text: remove it or replace it with the article text');
  let text: string;
  try {
    // TextDecoder drops a leading UTF-8 BOM by default, which is what we want.
    text = UTF8.decode(bytes);
  } catch {
    return problem('is not valid UTF-8 text: save it with UTF-8 encoding');
  }
  if (text.trim() === '') return problem(emptyMessage);
  return { kind: 'text', text: text.replace(/\r\n?/g, '\n') };
}

type LinkedOutcome = { readonly handle: FileHandle } | { readonly kind: 'gone' } | { readonly kind: 'problem'; readonly message: string };

/** Opens the file a symbolic link points to, provided it lies inside the store. */
async function openLinkedFile(absolutePath: string, storeRealPath: string, shown: string): Promise<LinkedOutcome> {
  const refuse = (message: string): LinkedOutcome => ({ kind: 'problem', message });
  let realPath: string;
  try {
    realPath = await fs.realpath(absolutePath);
  } catch (error) {
    if (isGoneError(error)) {
      return (await isDanglingLink(absolutePath))
        ? refuse('is a symbolic link to a file that does not exist: fix or delete the link')
        : { kind: 'gone' };
    }
    if (isLinkLoopError(error)) return refuse('is part of a loop of symbolic links: replace the link with the file');
    if (isPermissionError(error)) return refuse(PERMISSION_DENIED);
    throw new Error(`store: cannot resolve ${shown}`, { cause: error });
  }
  if (!realPath.startsWith(storeRealPath + path.sep)) {
    // A link could make the service publish any file it can read (/etc/passwd, another site's drafts).
    return refuse('is a symbolic link to a file outside the content folder, which is refused: copy the file into the store instead');
  }
  try {
    return { handle: await fs.open(realPath, constants.O_RDONLY | constants.O_NONBLOCK) };
  } catch (error) {
    if (isGoneError(error)) return { kind: 'gone' };
    if (isPermissionError(error)) return refuse(PERMISSION_DENIED);
    throw new Error(`store: cannot open ${shown}`, { cause: error });
  }
}

async function isDanglingLink(absolutePath: string): Promise<boolean> {
  try {
    return (await fs.lstat(absolutePath)).isSymbolicLink();
  } catch {
    return false;
  }
}
