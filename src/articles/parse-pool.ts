import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ArticleBody } from '../domain/article-body.ts';
import type { Article, Category } from '../domain/article.ts';
import { freezeArticle } from '../domain/article.ts';
import type { FileOutcome } from './assemble-article-set.ts';
import type { FileToLoad, LoadContext } from './article-index.ts';
import type { LoadRequest, LoadResponse, PackedArticle } from './parse-protocol.ts';

export interface ParsePool {
  /** loadArticleFile, on one of the pool's threads. */
  load(file: FileToLoad): Promise<FileOutcome | undefined>;
  /** Ends the threads; loads still waiting are rejected. */
  close(): Promise<void>;
}

/**
 * Each thread's heap only ever holds one article's parse at a time (markdown-it tokens, YAML
 * nodes, HTML strings): a small old generation keeps that garbage from piling up, which at
 * 100,000 articles is what made the service's memory balloon while it loaded.
 */
const WORKER_OLD_GENERATION_MB = 96;

/**
 * Reads and parses store files on worker threads: parsing is CPU work (Markdown, sanitising, YAML,
 * many milliseconds an article), so a cold start over 100,000 files uses every core instead of one, and
 * the parse's garbage stays in the threads' small heaps. Outcomes are the same as
 * loadArticleFile's; each article is rebuilt here as one literal, frozen, with the categories
 * shared, as parseArticle makes them.
 */
export function createParsePool(context: LoadContext, threads = availableParallelism()): ParsePool {
  // A module URL, so the worker runs the TypeScript source: it registers tsx first, as `npm start` does.
  const script = new URL('./parse-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`;
  const workers: Worker[] = [];
  try {
    for (let count = 0; count < Math.max(1, threads); count += 1) {
      workers.push(new Worker(bootstrap, { eval: true, workerData: context, resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB } }));
    }
  } catch (error) {
    for (const started of workers) void started.terminate();
    throw error;
  }
  const waiting = new Map<number, { resolve: (outcome: FileOutcome | undefined) => void; reject: (error: unknown) => void }>();
  const inFlight = workers.map(() => 0);
  const categories = new Map<string, Category>();
  let sequence = 0;
  let failure: unknown;

  const shared = (category: Category): Category => {
    const key = `${category.slug}\0${category.name}`;
    let known = categories.get(key);
    if (known === undefined) {
      known = Object.freeze({ name: category.name, slug: category.slug });
      categories.set(key, known);
    }
    return known;
  };

  const unpack = (packed: PackedArticle): Article =>
    freezeArticle({
      ...packed,
      body: ArticleBody.unpack(packed.body),
      categories: packed.categories.map(shared),
      authors: packed.authors.map((author) => Object.freeze(author)),
      ...(packed.image === undefined ? {} : { image: Object.freeze(packed.image) }),
    });

  workers.forEach((worker, position) => {
    worker.on('message', (response: LoadResponse) => {
      inFlight[position] = (inFlight[position] ?? 1) - 1;
      const pending = waiting.get(response.sequence);
      waiting.delete(response.sequence);
      if ('error' in response) pending?.reject(new Error(response.error));
      else if (response.outcome?.kind !== 'article') pending?.resolve(response.outcome);
      else {
        const { article, warnings } = response.outcome;
        pending?.resolve(warnings === undefined ? { kind: 'article', article: unpack(article) } : { kind: 'article', article: unpack(article), warnings: Object.freeze(warnings) });
      }
    });
    // A failed or exited thread fails the pool: everything waiting is rejected (the index then
    // loads those files inline) and nothing new is sent.
    const fail = (error: unknown): void => {
      failure ??= error;
      for (const pending of waiting.values()) pending.reject(failure);
      waiting.clear();
      for (const other of workers) void other.terminate();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`parse thread exited with code ${code}`)));
  });

  return {
    load(file) {
      if (failure !== undefined) return Promise.reject(failure);
      // The least busy thread; ties go to the first.
      let chosen = 0;
      inFlight.forEach((count, position) => {
        if (count < (inFlight[chosen] ?? 0)) chosen = position;
      });
      inFlight[chosen] = (inFlight[chosen] ?? 0) + 1;
      const request: LoadRequest = { sequence: sequence++, file };
      return new Promise<FileOutcome | undefined>((resolve, reject) => {
        waiting.set(request.sequence, { resolve, reject });
        workers[chosen]?.postMessage(request);
      });
    },
    async close() {
      failure ??= new Error('parse pool closed');
      for (const pending of waiting.values()) pending.reject(failure);
      waiting.clear();
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
