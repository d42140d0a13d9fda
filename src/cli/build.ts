import { createArticleIndex } from '../articles/article-index.ts';
import { ConfigError, readConfig } from '../config.ts';
import { formatProblem } from '../domain/problem.ts';
import { createSiteBuilder } from '../jobs/build-site.ts';
import { pageRenderers } from '../jobs/page-renderers.ts';
import { cacheLifetimeSeconds } from '../jobs/schedule.ts';
import { createOutputWriter } from '../publication/output-writer.ts';
import { loadSite } from '../store/load-site.ts';

/** `npm run build`: one build into OUTPUT_DIR, for static hosting; exits 1 if any document failed. */
try {
  const config = readConfig();
  const siteResult = await loadSite(config.contentDir, {
    ...(config.baseUrl ? { baseUrlOverride: config.baseUrl } : {}),
    defaultBaseUrl: `http://localhost:${config.port}`,
  });
  if (!siteResult.ok) {
    for (const problem of siteResult.problems) console.error(formatProblem(problem));
    process.exit(2);
  }
  const site = siteResult.site;
  const builder = createSiteBuilder({
    site,
    index: createArticleIndex({ contentDir: config.contentDir, site, maxArticleBytes: config.maxArticleBytes }),
    clock: () => Date.now(),
    feedItemLimit: config.feedItemLimit,
    ttlMinutes: Math.max(1, Math.round(cacheLifetimeSeconds(config.feedCron) / 60)),
    pages: pageRenderers,
  });
  const { snapshot } = await builder.build(undefined);
  const outputProblems = await createOutputWriter(config.outputDir).write(snapshot.documents);
  const { build } = snapshot;
  for (const problem of build.rejectedArticles) console.warn(`rejected: ${formatProblem(problem)}`);
  for (const problem of [...build.failedDocuments, ...outputProblems]) console.error(`failed: ${formatProblem(problem)}`);
  console.log(
    `built ${build.feedCount} feeds from ${build.publicArticleCount} public articles (${build.articleCount} loaded, ` +
      `${build.rejectedArticles.length} problems) in ${build.durationMs} ms into ${config.outputDir}`,
  );
  process.exit(build.failedDocuments.length > 0 || outputProblems.length > 0 ? 1 : 0);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`wirefeed: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
