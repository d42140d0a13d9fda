import fs from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../domain/article.ts';
import type { Problem } from '../domain/problem.ts';
import type { Site } from '../domain/site.ts';
import { compareCodeUnits } from '../store/compare-code-units.ts';
import { displayPath } from '../store/display-path.ts';
import type { ListedFile, StoreListing } from '../store/list-article-files.ts';
import { listArticleFiles } from '../store/list-article-files.ts';
import { mapWithLimit } from '../store/map-with-limit.ts';
import { readArticleFile } from '../store/read-article-file.ts';
import { disambiguateSlugs } from './disambiguate-slugs.ts';
import { parseArticle } from './parse-article.ts';
import type { LoadedArticle } from './resolve-duplicate-ids.ts';
import { resolveDuplicateIds } from './resolve-duplicate-ids.ts';

export interface ArticleSet {
  /** Every loaded article, drafts and future ones included; newest `published` first, ties by id. */
  readonly articles: readonly Article[];
  /** One entry per problem, for files (or folders) that could not be loaded; sorted by subject. */
  readonly problems: readonly Problem[];
}

/** An article that appeared, disappeared, or changed in anything a feed shows (categories included). */
export interface ArticleChange {
  readonly id: string;
  readonly before?: Article;
  readonly after?: Article;
}

export interface ArticleIndex {
  /** Reads and parses every article file, ignoring what earlier calls read. */
  loadAll(): Promise<ArticleSet>;
  /**
   * Re-lists the store and re-reads files that are new, whose size, times or inode changed, or
   * that lie under one of `hintedPaths` (store-relative files or folders, e.g. from the watcher).
   * `changes` compares with the previous set, by id, ordered by id.
   */
  refresh(hintedPaths?: readonly string[]): Promise<{ readonly set: ArticleSet; readonly changes: readonly ArticleChange[] }>;
}

export interface ArticleIndexOptions {
  readonly contentDir: string;
  /** Fixed for the index's life: when site.yaml changes, create a new index. */
  readonly site: Site;
  readonly maxArticleBytes: number;
  /** Where problem paths are shown relative to; defaults to process.cwd(). */
  readonly cwd?: string;
}

type FileOutcome = { readonly kind: 'article'; readonly article: Article } | { readonly kind: 'problems'; readonly problems: readonly Problem[] };

interface CachedFile {
  /** As listed before reading: if the file changed during the read, the next listing differs. */
  readonly listed: ListedFile;
  readonly displayPath: string;
  readonly outcome: FileOutcome;
}

const READ_CONCURRENCY = 32;
const EMPTY_SET: ArticleSet = Object.freeze({ articles: Object.freeze([]), problems: Object.freeze([]) });

/**
 * The store's articles in memory. Keeps each file's parse result with the size and times it was
 * read at, so that a refresh after one edit reads one file, not ten thousand. Calls are run one
 * at a time, in order, so a refresh never sees half of another.
 */
export function createArticleIndex(options: ArticleIndexOptions): ArticleIndex {
  const contentDir = path.resolve(options.contentDir);
  const cwd = options.cwd ?? process.cwd();
  let cache = new Map<string, CachedFile>();
  let current: ArticleSet = EMPTY_SET;
  let previousProblems: readonly Problem[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  function serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  async function scan(hintedPaths: readonly string[] | undefined, rereadAll: boolean) {
    let storeRealPath: string;
    try {
      storeRealPath = await fs.realpath(contentDir);
    } catch (error) {
      throw new Error(`articles: cannot open the content folder ${displayPath(contentDir, cwd)}`, { cause: error });
    }
    const hints = (hintedPaths ?? []).map(normaliseHint);
    // Hints from the watcher name everything that changed, so only they are listed again; a
    // refresh without hints (start-up, the cron tick) lists the whole store as a safety net.
    const scoped = !rereadAll && hints.length > 0 && !hints.includes('') && cache.size > 0;
    const listing = scoped
      ? mergeListing(cache, previousProblems, hints, await listArticleFiles(contentDir, cwd, hints), (hint) => displayPath(path.join(contentDir, hint), cwd))
      : await listArticleFiles(contentDir, cwd);
    previousProblems = listing.problems;

    const toRead = listing.files.filter((file) => {
      const cached = cache.get(file.storePath);
      return rereadAll || cached === undefined || !sameStamp(cached.listed, file) || hints.some((hint) => covers(hint, file.storePath));
    });
    const fresh = new Map<string, CachedFile | undefined>();
    const outcomes = await mapWithLimit(toRead, READ_CONCURRENCY, async (file) => {
      const shown = displayPath(file.absolutePath, cwd);
      const read = await readArticleFile(file.absolutePath, { storeRealPath, maxArticleBytes: options.maxArticleBytes, cwd });
      if (read.kind === 'gone') return undefined;
      if (read.kind === 'problem') return { listed: file, displayPath: shown, outcome: { kind: 'problems', problems: [read.problem] } } as const;
      const parsed = parseArticle({ sourcePath: file.storePath, displayPath: shown, text: read.text }, options.site);
      const outcome: FileOutcome = parsed.ok ? { kind: 'article', article: parsed.article } : { kind: 'problems', problems: parsed.problems };
      return { listed: file, displayPath: shown, outcome };
    });
    toRead.forEach((file, i) => fresh.set(file.storePath, outcomes[i]));

    // Listing order is storePath order, which duplicate-id resolution relies on.
    const next = new Map<string, CachedFile>();
    for (const file of listing.files) {
      const entry = fresh.has(file.storePath) ? fresh.get(file.storePath) : cache.get(file.storePath);
      if (entry !== undefined) next.set(file.storePath, entry);
    }
    cache = next;

    const set = assemble(next, listing.problems);
    const changes = diff(current, set);
    current = set;
    return { set, changes };
  }

  function assemble(files: ReadonlyMap<string, CachedFile>, listingProblems: readonly Problem[]): ArticleSet {
    const loaded: LoadedArticle[] = [];
    const problems: Problem[] = [...listingProblems];
    for (const file of files.values()) {
      if (file.outcome.kind === 'article') loaded.push({ article: file.outcome.article, displayPath: file.displayPath });
      else problems.push(...file.outcome.problems);
    }
    const unique = resolveDuplicateIds(loaded, options.site);
    problems.push(...unique.problems);
    const articles = disambiguateSlugs(unique.winners).sort(
      (a, b) => b.published - a.published || compareCodeUnits(a.id, b.id),
    );
    // Array.prototype.sort is stable, so problems of one subject keep their field order.
    problems.sort((a, b) => compareCodeUnits(a.subject, b.subject));
    return Object.freeze({ articles: Object.freeze(articles), problems: Object.freeze(problems.map((p) => Object.freeze(p))) });
  }

  return {
    loadAll: () => serialised(async () => (await scan(undefined, true)).set),
    refresh: (hintedPaths) => serialised(() => scan(hintedPaths, false)),
  };
}

/** The previous full listing with everything under the hinted paths replaced by their fresh listing. */
function mergeListing(
  cache: ReadonlyMap<string, CachedFile>,
  problems: readonly Problem[],
  hints: readonly string[],
  fresh: StoreListing,
  shownAs: (hint: string) => string,
): StoreListing {
  const outside = (storePath: string): boolean => !hints.some((hint) => covers(hint, storePath));
  const files = [...[...cache.values()].map((entry) => entry.listed).filter((file) => outside(file.storePath)), ...fresh.files];
  files.sort((a, b) => compareCodeUnits(a.storePath, b.storePath));
  // Listing problems name display paths: those under a hinted path were just looked at again.
  const shownHints = hints.map(shownAs);
  const stillOutside = (subject: string): boolean => !shownHints.some((shown) => subject === shown || subject.startsWith(`${shown}/`));
  return { files, problems: [...problems.filter((problem) => stillOutside(problem.subject)), ...fresh.problems] };
}

function sameStamp(a: ListedFile, b: ListedFile): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** "./world/", "world\\x.md" -> "world", "world/x.md"; "" and "." mean the whole store. */
function normaliseHint(hint: string): string {
  const clean = hint.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return clean === '.' ? '' : clean;
}

function covers(hint: string, storePath: string): boolean {
  return hint === '' || storePath === hint || storePath.startsWith(`${hint}/`);
}

function diff(before: ArticleSet, after: ArticleSet): ArticleChange[] {
  const old = new Map(before.articles.map((a) => [a.id, a]));
  const now = new Map(after.articles.map((a) => [a.id, a]));
  const ids = [...new Set([...old.keys(), ...now.keys()])].sort(compareCodeUnits);
  const changes: ArticleChange[] = [];
  for (const id of ids) {
    const was = old.get(id);
    const is = now.get(id);
    if (was?.contentHash === is?.contentHash) continue;
    changes.push(Object.freeze({ id, ...(was ? { before: was } : {}), ...(is ? { after: is } : {}) }));
  }
  return changes;
}
