import { pino } from 'pino';
import { readConfig, rebuildSettings, siteOptions } from '../config.ts';
import { formatProblem } from '../domain/problem.ts';
import { WHOLE_STORE } from '../domain/store-change.ts';
import { createRebuildJob } from '../jobs/rebuild.ts';
import { loadSite } from '../store/load-site.ts';
import { exitOnConfigError } from './exit-on-config-error.ts';

/** `npm run build`: one build into OUTPUT_DIR, for static hosting; exits 1 if any document failed. */
const config = exitOnConfigError(readConfig);
const siteResult = await loadSite(config.contentDir, siteOptions(config, config.port));
if (!siteResult.ok) {
  for (const problem of siteResult.problems) console.error(formatProblem(problem));
  process.exit(2);
}
// The same job the service runs, so a one-shot build keeps the revision times the service announced.
const job = await createRebuildJob({
  site: siteResult.site,
  ...rebuildSettings(config),
  clock: () => Date.now(),
  // What a one-shot build has to say is printed below, once, as lines a person reads.
  logger: pino({ level: 'silent' }),
});
const outcome = await job.rebuild(WHOLE_STORE);
if (!outcome.ok) {
  console.error(`failed: ${outcome.error.message}`);
  process.exit(1);
}
const { build } = outcome.snapshot;
for (const problem of build.rejectedArticles) console.warn(`rejected: ${formatProblem(problem)}`);
// On stdout: warnings hold nothing back, and a build that has only warnings keeps stderr empty.
for (const warning of build.warnings ?? []) console.log(`warning: ${warning.subject}: ${warning.field ?? ''}: ${warning.message}`);
for (const problem of [...build.failedDocuments, ...build.outputProblems]) console.error(`failed: ${formatProblem(problem)}`);
console.log(
  `built ${build.feedCount} feeds from ${build.publicArticleCount} public articles (${build.articleCount} loaded, ` +
    `${build.rejectedArticles.length} problems) in ${build.durationMs} ms into ${config.outputDir}`,
);
process.exit(build.failedDocuments.length > 0 || build.outputProblems.length > 0 ? 1 : 0);
