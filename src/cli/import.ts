import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, readConfig } from '../config.ts';
import { formatProblem } from '../domain/problem.ts';
import type { Problem } from '../domain/problem.ts';
import { importFile } from '../importer/import-file.ts';
import type { ImportRun } from '../importer/import-file.ts';
import type { ImportedArticle } from '../importer/import-scraped-text.ts';
import { checkPublishedTime, publishedTimeAt } from '../importer/published-time.ts';
import { readSiteFile } from '../importer/site-file.ts';
import { displayPath } from '../store/read-store.ts';

const USAGE = `Usage: npm run import -- FILE... [--published ISO] [--author NAME] [--out DIR] [--force]

Imports scraped article text (category line, title, standfirst, body) into the article store
as <out>/<category-slug>/<title-slug>.md, declaring new categories in <out>/site.yaml.

  --published ISO  publication time with offset, e.g. 2026-11-23T09:00:00Z (default: now)
  --author NAME    author written to the front matter
  --out DIR        the store (default: $CONTENT_DIR, else ./content)
  --force          overwrite an existing article file, keeping its id (and its published time
                   unless --published is given), so feed readers do not see it twice`;

/** Exit codes: 1 when some files could not be imported, 2 when nothing was tried. */
const SOME_FILES_FAILED = 1;
const USAGE_ERROR = 2;

class UsageError extends Error {}

interface CommandLine {
  readonly help: boolean;
  readonly files: string[];
  readonly published: string | undefined;
  readonly author: string | undefined;
  readonly out: string | undefined;
  readonly force: boolean;
}

function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        published: { type: 'string' },
        author: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true, files: [], published: undefined, author: undefined, out: undefined, force: false };
  if (positionals.length === 0) throw new UsageError('no input files given');
  let published: string | undefined;
  if (values.published !== undefined) {
    const check = checkPublishedTime(values.published);
    if (!check.ok) throw new UsageError(`--published ${check.message}`);
    published = check.value;
  }
  const author = values.author?.trim();
  if (values.author !== undefined && !author) throw new UsageError('--author must not be empty');
  return { help: false, files: positionals, published, author, out: values.out, force: values.force };
}

function describeImport(target: string, article: ImportedArticle, notes: readonly string[]): string {
  const lines = [`wrote ${displayPath(target)} ("${article.title}", category ${article.category})`];
  lines.push(...notes.map((note) => `  ${note}`));
  if (article.headings.length > 0) lines.push(`  headings: ${article.headings.map((h) => `"${h}"`).join(', ')}`);
  if (article.removedChrome.length === 0) lines.push('  removed no page chrome');
  else lines.push(`  removed page chrome: ${article.removedChrome.map((line) => JSON.stringify(line)).join(', ')}`);
  if (article.repairedPeriods > 0) lines.push(`  repaired ${article.repairedPeriods} doubled period(s)`);
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  let run: ImportRun;
  let files: string[];
  try {
    const options = parseCommandLine(argv);
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    files = options.files;
    // config.ts decides what CONTENT_DIR means; it is handed only that variable so that an
    // unrelated setting it would reject (PORT, BASE_URL) cannot stop an import.
    const storeDir = path.resolve(options.out ?? readConfig({ CONTENT_DIR: process.env.CONTENT_DIR }).contentDir);
    const site = await readSiteFile(storeDir);
    if (!site.ok) throw new UsageError(site.message);
    run = { ...options, storeDir, site: site.site, now: publishedTimeAt(Date.now()) };
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
    console.error(`import: ${error.message}\n\n${USAGE}`);
    return USAGE_ERROR;
  }

  let failed = 0;
  for (const file of files) {
    let problem: Problem | undefined;
    try {
      const outcome = await importFile(run, file);
      if (outcome.ok) console.log(describeImport(outcome.target, outcome.article, outcome.notes));
      else problem = outcome.problem;
    } catch (error) {
      // An I/O failure on one file (permissions, full disk) should not stop the others.
      problem = { subject: file, message: `import failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (problem !== undefined) {
      failed += 1;
      console.error(formatProblem(problem));
    }
  }
  if (failed > 0) console.error(`${failed} of ${files.length} file(s) not imported`);
  return failed > 0 ? SOME_FILES_FAILED : 0;
}

process.exitCode = await main(process.argv.slice(2));
