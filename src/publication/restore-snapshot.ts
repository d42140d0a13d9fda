import type { Clock } from '../domain/clock.ts';
import type { Site } from '../domain/site.ts';
import { createSnapshot } from './create-snapshot.ts';
import { readOutputDirectory } from './read-output-directory.ts';
import type { Snapshot } from './snapshot.ts';

/**
 * The snapshot a restarted service serves before its first build finishes: the documents the
 * last run wrote, verified against their manifest. Article pages need the article set, so they
 * wait for the first build.
 */
export async function restoreSnapshot(outputDir: string, site: Site, clock: Clock): Promise<Snapshot | undefined> {
  const documents = await readOutputDirectory(outputDir);
  if (documents.length === 0) return undefined;
  const now = clock();
  return createSnapshot({
    site,
    documents: new Map(documents.map((document) => [document.path, document])),
    findArticle: () => undefined,
    renderArticlePage: () => '',
    nextEmbargoAt: undefined,
    build: {
      startedAt: now,
      finishedAt: now,
      durationMs: 0,
      articleCount: 0,
      publicArticleCount: 0,
      feedCount: documents.filter((document) => /(^|\/)(rss\.xml|atom\.xml|feed\.json)$/.test(document.path)).length,
      rejectedArticles: [],
      failedDocuments: [],
      outputProblems: [],
      restoredFromDisk: true,
    },
  });
}
