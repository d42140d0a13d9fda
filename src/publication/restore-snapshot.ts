import type { Clock } from '../domain/clock.ts';
import type { Site } from '../domain/site.ts';
import { readOutputDirectory } from './read-output-directory.ts';
import type { Snapshot } from './snapshot.ts';
import { createSnapshot } from './snapshot.ts';

/**
 * The snapshot a restarted service serves before its first build finishes: the documents the
 * last run wrote, verified against their manifest, less any that show a date after now. Article pages need the article set, so they
 * wait for the first build.
 */
export async function restoreSnapshot(outputDir: string, site: Site, clock: Clock): Promise<Snapshot | undefined> {
  const now = clock();
  // A document's Last-Modified is the newest date it shows. One after now was written by a run
  // whose clock was ahead, and may show an article still under embargo by this clock: it waits
  // for the first build, which decides by this clock. Documents from an honest clock stay.
  const documents = (await readOutputDirectory(outputDir)).filter((document) => document.lastModified <= now);
  if (documents.length === 0) return undefined;
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
