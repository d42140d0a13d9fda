import type { Dirent, Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../domain/problem.ts';
import { outermostPaths } from '../domain/store-change.ts';
import { isGoneError, isLinkLoopError, isNameTooLongError, isPermissionError, TOO_LONG_MESSAGE } from './classify-fs-error.ts';
import { compareCodeUnits } from '../domain/compare-code-units.ts';
import { displayPath } from './display-path.ts';
import { isArticleFileName, isIgnoredName, isIgnoredStorePath } from './is-article-file-name.ts';
import { mapWithLimit } from './map-with-limit.ts';

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
 * ignored names (see is-article-file-name.ts). Linked folders are not followed: a link to a
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
