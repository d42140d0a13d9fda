import type { Site } from '../domain/site.ts';
import { readArticleFile } from '../store/read-store.ts';
import type { FileOutcome } from './assemble-article-set.ts';
import { parseArticle } from './parse-article.ts';

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
  readonly maxArticleBytes: number;
  readonly cwd: string;
}

/** Reads and parses one store file: its article or its problems; undefined if it was deleted meanwhile. */
export async function loadArticleFile(file: FileToLoad, context: LoadContext): Promise<FileOutcome | undefined> {
  const read = await readArticleFile(file.absolutePath, { storeRealPath: context.storeRealPath, maxArticleBytes: context.maxArticleBytes, cwd: context.cwd });
  if (read.kind === 'gone') return undefined;
  if (read.kind === 'problem') return { kind: 'problems', problems: [read.problem] };
  const parsed = parseArticle({ sourcePath: file.storePath, displayPath: file.displayPath, text: read.text }, context.site);
  return parsed.ok ? { kind: 'article', article: parsed.article } : { kind: 'problems', problems: parsed.problems };
}
