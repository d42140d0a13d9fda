import type { PackedArticleBody } from '../domain/article-body.ts';
import type { Article } from '../domain/article.ts';
import type { Problem } from '../domain/problem.ts';
import type { FileOutcome } from './assemble-article-set.ts';
import type { FileToLoad } from './article-index.ts';

/* What the parse pool and its worker threads say to each other: plain data that survives postMessage. */

export interface LoadRequest {
  readonly sequence: number;
  readonly file: FileToLoad;
}

export type PackedArticle = Omit<Article, 'body'> & { readonly body: PackedArticleBody };
export type PackedOutcome =
  | { readonly kind: 'article'; readonly article: PackedArticle; readonly warnings?: readonly Problem[] }
  | { readonly kind: 'problems'; readonly problems: readonly Problem[] };

export type LoadResponse =
  | { readonly sequence: number; readonly outcome: PackedOutcome | undefined }
  /** Reading failed in a way that is not the file's fault (e.g. EIO): the load fails, as it would inline. */
  | { readonly sequence: number; readonly error: string };

/** A file's outcome as plain data, for posting from a worker thread. */
export function packOutcome(outcome: FileOutcome): PackedOutcome {
  if (outcome.kind === 'problems') return outcome;
  const packed: PackedOutcome = { kind: 'article', article: { ...outcome.article, body: outcome.article.body.pack() } };
  return outcome.warnings === undefined ? packed : { ...packed, warnings: outcome.warnings };
}

