import type { Dirent, Stats } from 'node:fs';
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import type { Problem } from '../domain/problem.ts';
import { outermostPaths } from '../domain/store-change.ts';
import { isGoneError, isLinkLoopError, isNameTooLongError, isPermissionError, TOO_LONG_MESSAGE } from './classify-fs-error.ts';

/*
 * The store reader, one module for the whole way from the content folder to an article's text:
 * listArticleFiles (which article files the store holds), readArticleFile (what one of them reads
 * as), the names the store ignores (the watcher uses them too), how a path is shown in problems,
 * and mapWithLimit, the bounded-concurrency map both need.
 */

/** An article file as the listing saw it; size and times let the index skip unchanged files. */
export interface ListedFile {
  /** Relative to the store, forward slashes: "world/pakistan-diplomacy.md". */
  readonly storePath: string;
  readonly absolutePath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  /** Changes when an editor saves by writing a new file and renaming it over the old one. */
  readonly ino: number;
}

export interface StoreListing {
  /** Sorted by `storePath` in plain code-unit order. */
  readonly files: readonly ListedFile[];
  /** Entries that look like articles (or folders of them) but cannot be used. */
  readonly problems: readonly Problem[];
}

const STAT_CONCURRENCY = 64;

/**
 * Lists every article file (`.md`, `.markdown`) under `contentDir` (or only under the
 * store-relative paths in `within`), recursively, skipping
 * ignored names (see isIgnoredName below). Linked folders are not followed: a link to a
 * folder inside the store would list its articles twice, one outside would leave the store.
 * Linked files are listed; reading them checks where they point.
 */
export async function listArticleFiles(contentDir: string, cwd: string = process.cwd(), within?: readonly string[]): Promise<StoreListing> {
  const root = path.resolve(contentDir);
  const problems: Problem[] = [];
  const candidates: { storePath: string; absolutePath: string }[] = [];

  async function walk(directory: string, storePrefix: string): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(directory, { withFileTypes: true });
    } catch (error) {
      if (directory === root) {
        throw new Error(`store: cannot list the content folder ${displayPath(root, cwd)}`, { cause: error });
      }
      if (isGoneError(error)) return;
      if (isNameTooLongError(error)) return void problems.push(tooLong(directory));
      if (isPermissionError(error)) {
        problems.push({
          subject: displayPath(directory, cwd),
          message: 'folder cannot be read (permission denied): give the Wirefeed user read access or move the articles elsewhere',
        });
        return;
      }
      throw new Error(`store: cannot list ${displayPath(directory, cwd)}`, { cause: error });
    }
    const subfolders: Promise<void>[] = [];
    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const absolutePath = path.join(directory, entry.name);
      const storePath = storePrefix + entry.name;
      // A name that is not valid UTF-8 reaches us with U+FFFD in place of its bad bytes, a path
      // that does not exist: without this it would vanish from every feed without a word.
      if (entry.name.includes('\uFFFD') && (entry.isDirectory() || isArticleFileName(entry.name)) && (await isGoneNow(absolutePath))) {
        problems.push({
          subject: displayPath(absolutePath, cwd),
          message: 'name is not valid UTF-8, so it cannot be read: rename it with UTF-8 characters only',
        });
        continue;
      }
      if (entry.isDirectory()) {
        subfolders.push(walk(absolutePath, `${storePath}/`));
      } else if (entry.isSymbolicLink()) {
        await classifyLink(absolutePath, storePath);
      } else if (isArticleFileName(entry.name)) {
        if (entry.isFile()) candidates.push({ storePath, absolutePath });
        else problems.push(notARegularFile(absolutePath));
      }
    }
    await Promise.all(subfolders);
  }

  async function classifyLink(absolutePath: string, storePath: string): Promise<void> {
    let target: Stats;
    try {
      target = await fs.stat(absolutePath);
    } catch (error) {
      if (isNameTooLongError(error)) return void problems.push(tooLong(absolutePath));
      if (!isGoneError(error) && !isPermissionError(error) && !isLinkLoopError(error)) {
        throw new Error(`store: cannot inspect ${displayPath(absolutePath, cwd)}`, { cause: error });
      }
      // A dangling link is only worth a problem when it is named like an article.
      if (isArticleFileName(path.basename(absolutePath)) && !(await isGoneNow(absolutePath))) {
        problems.push({
          subject: displayPath(absolutePath, cwd),
          message: 'is a symbolic link to something that does not exist or cannot be reached: fix or delete the link',
        });
      }
      return;
    }
    if (target.isDirectory()) {
      problems.push({
        subject: displayPath(absolutePath, cwd),
        message: 'is a symbolic link to a folder, and linked folders are not followed: move the articles into the store instead',
      });
    } else if (isArticleFileName(path.basename(absolutePath))) {
      if (target.isFile()) candidates.push({ storePath, absolutePath });
      else problems.push(notARegularFile(absolutePath));
    }
  }

  function tooLong(absolutePath: string): Problem {
    return { subject: displayPath(absolutePath, cwd), message: TOO_LONG_MESSAGE };
  }

  function notARegularFile(absolutePath: string): Problem {
    return {
      subject: displayPath(absolutePath, cwd),
      message: 'is not a regular file (a device, pipe or socket): replace it with a Markdown file or rename it',
    };
  }

  /**
   * One store-relative path as a watcher reported it: a file, a folder to walk, or nothing
   * any more. Lets a refresh after one edit stat one file instead of the whole store.
   */
  async function visit(storePath: string): Promise<void> {
    if (isIgnoredStorePath(storePath)) return;
    const absolutePath = path.join(root, storePath);
    let entry: Stats;
    try {
      entry = await fs.lstat(absolutePath);
    } catch (error) {
      if (isGoneError(error)) return;
      if (isNameTooLongError(error)) return void problems.push(tooLong(absolutePath));
      throw new Error(`store: cannot inspect ${displayPath(absolutePath, cwd)}`, { cause: error });
    }
    if (entry.isDirectory()) await walk(absolutePath, `${storePath}/`);
    else if (entry.isSymbolicLink()) await classifyLink(absolutePath, storePath);
    else if (isArticleFileName(path.basename(storePath))) {
      if (entry.isFile()) candidates.push({ storePath, absolutePath });
      else problems.push(notARegularFile(absolutePath));
    }
  }

  if (within === undefined) {
    await walk(root, '');
  } else {
    // The root must still exist: a vanished store is an error, not an empty one.
    await fs.access(root).catch((error: unknown) => {
      throw new Error(`store: cannot list the content folder ${displayPath(root, cwd)}`, { cause: error });
    });
    for (const storePath of outermostPaths(within)) await visit(storePath);
  }

  const stated = await mapWithLimit(candidates, STAT_CONCURRENCY, async (candidate): Promise<ListedFile | undefined> => {
    try {
      // stat, not lstat: for a linked file the target's size and times are what change.
      const stats = await fs.stat(candidate.absolutePath);
      return { ...candidate, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
    } catch (error) {
      if (isGoneError(error)) return undefined;
      if (isNameTooLongError(error)) return void problems.push(tooLong(candidate.absolutePath));
      throw new Error(`store: cannot inspect ${displayPath(candidate.absolutePath, cwd)}`, { cause: error });
    }
  });
  const files = stated.filter((file): file is ListedFile => file !== undefined);
  files.sort((a, b) => compareCodeUnits(a.storePath, b.storePath));
  problems.sort((a, b) => compareCodeUnits(a.subject, b.subject));
  return { files, problems };
}

async function isGoneNow(absolutePath: string): Promise<boolean> {
  try {
    await fs.lstat(absolutePath);
    return false;
  } catch {
    return true;
  }
}

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

/**
 * Names that are never articles and never worth a watcher event: hidden files and folders,
 * `_`-prefixed ones (the newsroom's parking space for drafts-in-progress and partials), and the
 * temporary and backup files editors leave behind while saving.
 */
export function isIgnoredName(name: string): boolean {
  return (
    name.startsWith('.') || // also covers Emacs lock files ".#x.md" and Vim swap files ".x.md.swp"
    name.startsWith('_') ||
    name.endsWith('~') || // Emacs, gedit and nano backups
    name.endsWith('.swp') ||
    name.endsWith('.swx') ||
    name.endsWith('.tmp') ||
    (name.startsWith('#') && name.endsWith('#')) || // Emacs auto-save
    name === '4913' // Vim probes a directory's writability with this name
  );
}

const ARTICLE_EXTENSIONS = ['.md', '.markdown'];

/** A file name the store lists as an article (the name only, not the folders above it). */
export function isArticleFileName(name: string): boolean {
  if (isIgnoredName(name)) return false;
  const lower = name.toLowerCase();
  return ARTICLE_EXTENSIONS.some((extension) => lower.endsWith(extension) && lower.length > extension.length);
}

/** Whether any segment of a store-relative path ("world/_drafts/x.md") is ignored. */
export function isIgnoredStorePath(storePath: string): boolean {
  return storePath.split('/').some((segment) => segment !== '' && isIgnoredName(segment));
}

/**
 * How a file is named in problems and logs: relative to the working directory when it lies
 * inside it ("content/world/x.md", which is what a newsroom sees in its editor), else absolute.
 */
export function displayPath(absolutePath: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, absolutePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return absolutePath;
  return relative.split(path.sep).join('/');
}

/**
 * Like `Promise.all(items.map(fn))` but with at most `limit` calls in flight, so that listing or
 * reading a store of 100,000 files does not run out of file descriptors (EMFILE).
 * Results keep the order of `items`.
 */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
