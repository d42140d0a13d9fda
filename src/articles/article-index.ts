import fs from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import type { StoreChange } from '../domain/store-change.ts';
import { WHOLE_STORE, outermostPaths } from '../domain/store-change.ts';
import { STORE_IMAGES_FOLDER, storeImagePath } from '../domain/documents.ts';
import type { ListedFile } from '../store/read-store.ts';
import { displayPath, listArticleFiles, mapWithLimit, readArticleFile } from '../store/read-store.ts';
import type { AssembledSet, FileOutcome, IndexedFile } from './assemble-article-set.ts';
import { createArticleSetAssembler } from './assemble-article-set.ts';
import { freezeArticle } from '../domain/article.ts';
import { hashArticle } from './hash-article.ts';
import { DEFAULT_MIN_IMAGE_WIDTH, measureLeadImage } from './measure-lead-image.ts';
import { parseArticle } from './parse-article.ts';
import { createParsePool } from './parse-pool.ts';

export type { ArticleChange, ArticlePatch, ArticleSet, AssembledSet } from './assemble-article-set.ts';

export interface ArticleIndex {
  /**
   * Re-lists the store and re-reads files that are new, whose size, times or inode changed, or
   * that lie under one of the changed paths (store-relative files or folders, e.g. from the
   * watcher). Only those paths are listed again; for the clock alone nothing is; for the whole
   * store (the default), everything is. An empty index lists everything whatever the change.
   * `changes` compares with the previous set, by id, ordered by id; `patch` is set when the set
   * was patched rather than rebuilt, naming the article objects taken out and put in.
   */
  refresh(change?: StoreChange): Promise<AssembledSet>;
}

export interface ArticleIndexOptions {
  readonly contentDir: string;
  /** Fixed for the index's life: when site.yaml changes, create a new index. */
  readonly site: Site;
  readonly maxArticleBytes: number;
  /** Where problem paths are shown relative to; defaults to process.cwd(). */
  readonly cwd?: string;
  /** Threads that parse when many files are read at once (start-up); defaults to one per core, 0 or 1 parses inline. */
  readonly parseThreads?: number;
  /** MIN_IMAGE_WIDTH: lead images narrower than this are reported; defaults to DEFAULT_MIN_IMAGE_WIDTH. */
  readonly minImageWidth?: number;
}

/** The size, times and inode a file was listed with before reading: if it changed during the read, the next listing differs. */
type FileStamp = Pick<ListedFile, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>;

/** Flat, one object per file: at 100,000 files every object more is work for the garbage collector. */
interface CachedFile extends IndexedFile, FileStamp {}

const READ_CONCURRENCY = 32;
/** Below this many files to parse, starting threads (about half a second) costs more than it saves. */
const PARALLEL_PARSE_MIN_FILES = 1000;
/** Past this many changed files, patching the set costs more than building it again. */
const MAX_PATCHED_FILES = 256;

/**
 * The store's articles in memory. Keeps each file's parse result with the size and times it was
 * read at, so that a refresh after one edit reads one file, not ten thousand. Calls are run one
 * at a time, in order, so a refresh never sees half of another.
 */
export function createArticleIndex(options: ArticleIndexOptions): ArticleIndex {
  const contentDir = path.resolve(options.contentDir);
  const cwd = options.cwd ?? process.cwd();
  /** Every store file's parse result, by store path. */
  const files = new Map<string, CachedFile>();
  const assembler = createArticleSetAssembler(options.site);
  let listingProblems: readonly Problem[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  function serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  async function scan(change: StoreChange): Promise<AssembledSet> {
    let storeRealPath: string;
    try {
      storeRealPath = await fs.realpath(contentDir);
    } catch (error) {
      throw new Error(`articles: cannot open the content folder ${displayPath(contentDir, cwd)}`, { cause: error });
    }
    // A path under a hinted folder is listed and read with the folder: once is enough.
    const hints = change.kind === 'paths' ? boundHints(outermostPaths(withImageReaders(change.paths.map(normaliseHint), files, options.site.baseUrl))) : [];
    // Hints from the watcher name everything that changed, so only they are listed again; a
    // refresh without hints (start-up, the cron tick) lists the whole store as a safety net.
    const scoped = change.kind !== 'whole-store' && !hints.includes('') && files.size > 0;
    const listing = !scoped
      ? await listArticleFiles(contentDir, cwd)
      : hints.length > 0
        ? await listArticleFiles(contentDir, cwd, hints)
        : { files: [], problems: [] };
    // "." asks for the whole store to be listed, not re-read: files re-read are those whose stamp
    // changed and those a hint names (an editor can save within the same second and size).
    const hintSet = new Set(hints.filter((hint) => hint !== ''));
    const isHinted = (storePath: string): boolean => isUnder(hintSet, storePath);
    const listed = new Set(listing.files.map((file) => file.storePath));
    // Files no longer listed: under a hinted path when scoped, anywhere otherwise.
    const removed = [...(scoped ? hintedFiles(files, hints) : files.keys())].filter((storePath) => !listed.has(storePath));
    if (scoped) {
      // Listing problems name display paths: those under a hinted path were just looked at again.
      const shownHints = new Set(hints.map((hint) => displayPath(path.join(contentDir, hint), cwd)));
      const outside = (subject: string): boolean => !isUnder(shownHints, subject);
      listingProblems = [...listingProblems.filter((problem) => outside(problem.subject)), ...listing.problems];
    } else {
      listingProblems = listing.problems;
    }

    const toRead = listing.files.filter((file) => {
      const cached = files.get(file.storePath);
      return cached === undefined || !sameStamp(cached, file) || isHinted(file.storePath);
    });
    const context: LoadContext = {
      site: options.site,
      storeRealPath,
      contentDir,
      maxArticleBytes: options.maxArticleBytes,
      minImageWidth: options.minImageWidth ?? DEFAULT_MIN_IMAGE_WIDTH,
      cwd,
    };
    const threads = options.parseThreads ?? availableParallelism();
    const pool = toRead.length >= PARALLEL_PARSE_MIN_FILES && threads > 1 ? createParsePool(context, threads) : undefined;
    const outcomes = await mapWithLimit(toRead, pool ? READ_CONCURRENCY * 4 : READ_CONCURRENCY, async (file): Promise<CachedFile | undefined> => {
      const shown = displayPath(file.absolutePath, cwd);
      const toLoad = { absolutePath: file.absolutePath, storePath: file.storePath, displayPath: shown };
      // A thread that fails (out of memory on a huge file, say) must not fail the load: that file,
      // and every one after it, is read inline instead.
      const outcome = await (pool ? pool.load(toLoad).catch(() => loadArticleFile(toLoad, context)) : loadArticleFile(toLoad, context));
      // Written out, not spread from a stamp object: spread copies got a hidden class each in V8.
      return outcome === undefined ? undefined : { size: file.size, mtimeMs: file.mtimeMs, ctimeMs: file.ctimeMs, ino: file.ino, displayPath: shown, outcome };
    }).finally(() => pool?.close());

    const changed = new Set<string>(removed);
    for (const storePath of removed) files.delete(storePath);
    toRead.forEach((file, position) => {
      const entry = outcomes[position];
      if (entry === undefined) files.delete(file.storePath);
      else files.set(file.storePath, entry);
      changed.add(file.storePath);
    });

    const patched = changed.size <= MAX_PATCHED_FILES ? assembler.update(files, changed, listingProblems) : undefined;
    return patched ?? assembler.rebuild(files, listingProblems);
  }

  return {
    refresh: (change = WHOLE_STORE) => serialised(() => scan(change)),
  };
}

/**
 * The hints, plus every article whose lead image lies under a hinted path in the images folder:
 * an image added, replaced or deleted is measured again with the articles that show it.
 */
function withImageReaders(hints: readonly string[], files: ReadonlyMap<string, CachedFile>, baseUrl: string): readonly string[] {
  const imageHints = new Set(hints.filter((hint) => hint === STORE_IMAGES_FOLDER || hint.startsWith(`${STORE_IMAGES_FOLDER}/`)));
  if (imageHints.size === 0) return hints;
  const readers: string[] = [];
  for (const [storePath, file] of files) {
    const image = file.outcome.kind === 'article' ? file.outcome.article.image : undefined;
    const imagePath = image === undefined ? undefined : storeImagePath(image.url, baseUrl);
    if (imagePath !== undefined && isUnder(imageHints, imagePath)) readers.push(storePath);
  }
  return readers.length === 0 ? hints : [...hints, ...readers];
}

/** Store paths of cached files under one of the hints: a file hint by lookup, a folder by a walk. */
function hintedFiles(files: ReadonlyMap<string, CachedFile>, hints: readonly string[]): string[] {
  const found: string[] = [];
  const folders = new Set(hints.filter((hint) => !files.has(hint)));
  for (const hint of hints) if (files.has(hint)) found.push(hint);
  // By each file's folders, not each file against each hint: a storm of new folders names
  // tens of thousands, and the store holds as many files.
  if (folders.size > 0) for (const storePath of files.keys()) if (isUnder(folders, storePath)) found.push(storePath);
  return found;
}

/** Whether `storePath` or a folder above it ("world" for "world/x.md") is in `paths`. */
function isUnder(paths: ReadonlySet<string>, storePath: string): boolean {
  if (paths.has(storePath)) return true;
  for (let slash = storePath.indexOf('/'); slash !== -1; slash = storePath.indexOf('/', slash + 1)) if (paths.has(storePath.slice(0, slash))) return true;
  return false;
}

/** Past this many paths, a refresh lists their top folders instead, and past as many of those, the whole store. */
const MAX_HINTS = 1000;

/**
 * Bounds the paths a refresh visits one by one: a storm of new folders (200,000 made, then
 * removed) would otherwise be listed path by path. A top folder lists everything under it.
 */
function boundHints(hints: readonly string[]): readonly string[] {
  if (hints.length <= MAX_HINTS) return hints;
  const tops = outermostPaths(hints.map((hint) => hint.split('/')[0] ?? hint));
  return tops.length <= MAX_HINTS ? tops : [''];
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** "./world/", "world\\x.md" -> "world", "world/x.md"; "" and "." mean the whole store. */
function normaliseHint(hint: string): string {
  const clean = hint.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return clean === '.' ? '' : clean;
}

/** A listed store file, as the index asks for it to be loaded. */
export interface FileToLoad {
  readonly absolutePath: string;
  /** Relative to the store, forward slashes. */
  readonly storePath: string;
  /** How problems name it. */
  readonly displayPath: string;
}

export interface LoadContext {
  readonly site: Site;
  /** The store folder with every link resolved, to tell inside from outside. */
  readonly storeRealPath: string;
  /** The store folder as configured, where lead images in the store are looked for; defaults to storeRealPath. */
  readonly contentDir?: string;
  readonly maxArticleBytes: number;
  /** Defaults to DEFAULT_MIN_IMAGE_WIDTH. */
  readonly minImageWidth?: number;
  readonly cwd: string;
}

/** Reads and parses one store file: its article or its problems; undefined if it was deleted meanwhile. */
export async function loadArticleFile(file: FileToLoad, context: LoadContext): Promise<FileOutcome | undefined> {
  const read = await readArticleFile(file.absolutePath, { storeRealPath: context.storeRealPath, maxArticleBytes: context.maxArticleBytes, cwd: context.cwd });
  if (read.kind === 'gone') return undefined;
  if (read.kind === 'problem') return { kind: 'problems', problems: [read.problem] };
  const parsed = parseArticle({ sourcePath: file.storePath, displayPath: file.displayPath, text: read.text }, context.site);
  if (!parsed.ok) return { kind: 'problems', problems: parsed.problems };
  const { article } = parsed;
  if (article.image === undefined) return { kind: 'article', article };
  // Here rather than in the parser, which stays pure: measuring reads the image file.
  const measured = await measureLeadImage(article.image, file.displayPath, {
    contentDir: context.contentDir ?? context.storeRealPath,
    baseUrl: context.site.baseUrl,
    minImageWidth: context.minImageWidth ?? DEFAULT_MIN_IMAGE_WIDTH,
    cwd: context.cwd,
  });
  const warnings = measured.warnings.length === 0 ? {} : { warnings: Object.freeze(measured.warnings) };
  if (measured.image === article.image) return { kind: 'article', article, ...warnings };
  // hashArticle reads only the fields a feed shows, so the stale hash spread in here is not hashed.
  const measuredArticle = { ...article, image: measured.image };
  return { kind: 'article', article: freezeArticle({ ...measuredArticle, contentHash: hashArticle(measuredArticle) }), ...warnings };
}
