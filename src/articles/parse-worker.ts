import { parentPort, workerData } from 'node:worker_threads';
import type { LoadContext } from './article-index.ts';
import { loadArticleFile } from './article-index.ts';
import type { LoadRequest, LoadResponse } from './parse-protocol.ts';
import { packOutcome } from './parse-protocol.ts';

/** One thread of the parse pool: store files in, packed outcomes out. */
const context = workerData as LoadContext;
const port = parentPort;
if (port === null) throw new Error('parse-worker.ts runs as a worker thread of parse-pool.ts');
port.on('message', (request: LoadRequest) => {
  loadArticleFile(request.file, context).then(
    (outcome) => port.postMessage({ sequence: request.sequence, outcome: outcome === undefined ? undefined : packOutcome(outcome) } satisfies LoadResponse),
    (error: unknown) => port.postMessage({ sequence: request.sequence, error: error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error) } satisfies LoadResponse),
  );
});
