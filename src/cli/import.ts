import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isMap, isScalar, isSeq, parse as parseYaml, parseDocument, YAMLSeq } from 'yaml';
import type { Document } from 'yaml';
import { checkPublishedTime, publishedTimeAt } from '../articles/import-published-time.ts';
import { importScrapedText } from '../articles/import-scraped-text.ts';
import type { ImportedArticle } from '../articles/import-scraped-text.ts';
import { ConfigError, readConfig } from '../config.ts';
import { formatProblem } from '../domain/problem.ts';
import type { Problem } from '../domain/problem.ts';

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

interface ImportRun {
  readonly storeDir: string;
  /** The --published value, or undefined to keep a replaced file's time or else use `now`. */
  readonly published: string | undefined;
  /** One "now" for the whole run, so a batch imported together shares its publication time. */
  readonly now: string;
  readonly author: string | undefined;
  readonly force: boolean;
  readonly site: SiteFile;
}

/** site.yaml kept as a YAML Document, so that adding a category keeps comments and layout. */
interface SiteFile {
  readonly path: string;
  readonly doc: Document;
}

function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

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

async function readSiteFile(storeDir: string): Promise<SiteFile> {
  const file = path.join(storeDir, 'site.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${shown(file)}: the store must describe itself there before articles are imported`, {
      cause: error,
    });
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new UsageError(`${shown(file)} is not valid YAML: ${doc.errors[0]?.message ?? 'unknown error'}`);
  }
  if (!isMap(doc.contents)) throw new UsageError(`${shown(file)} must be a mapping (title, categories, ...)`);
  const categories = doc.get('categories');
  if (categories !== undefined && categories !== null && !isSeq(categories)) {
    throw new UsageError(`${shown(file)}: categories must be a list`);
  }
  return { path: file, doc };
}

function declaredCategoryNames(site: SiteFile): string[] {
  const categories = site.doc.get('categories');
  if (!isSeq(categories)) return [];
  return categories.items.flatMap((item) => {
    // A bare string entry is accepted too: it is still a declaration a newsroom might write.
    if (isScalar(item) && typeof item.value === 'string') return [item.value];
    const name: unknown = isMap(item) ? item.get('name') : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}

async function declareCategory(site: SiteFile, name: string): Promise<void> {
  const existing = site.doc.get('categories');
  const categories = isSeq(existing) ? existing : new YAMLSeq();
  if (categories !== existing) site.doc.set('categories', categories);
  const entry = site.doc.createNode({ name, description: `Articles filed under ${name}.` });
  entry.commentBefore = ' Added by `npm run import`: describe this category.';
  categories.add(entry);
  await writeFileAtomically(site.path, site.doc.toString(), { overwrite: true });
}

/**
 * Writes through a temporary file beside the target so that the store watcher never reads a
 * half-written article. The temporary name does not end in `.md`, so the store never lists it.
 * Without `overwrite`, `link` refuses an existing target atomically, even against another import.
 */
async function writeFileAtomically(file: string, text: string, { overwrite }: { overwrite: boolean }): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  await writeFile(temporary, text, { flag: 'wx' });
  try {
    if (overwrite) await rename(temporary, file);
    else await link(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** What of an article file being replaced must survive: its identity and, by default, its date. */
async function readReplacedArticle(file: string): Promise<{ id?: string; published?: string } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const match = /^---\r?\n([\s\S]*?)\r?\n---\s*(?:\r?\n|$)/.exec(text);
  let fields: unknown;
  try {
    fields = match ? parseYaml(match[1] ?? '') : undefined;
  } catch {
    fields = undefined;
  }
  if (typeof fields !== 'object' || fields === null) return {};
  const { id, published } = fields as Record<string, unknown>;
  return {
    id: typeof id === 'string' && id.trim() !== '' ? id : undefined,
    published: typeof published === 'string' && checkPublishedTime(published).ok ? published : undefined,
  };
}

function describeImport(target: string, article: ImportedArticle, notes: readonly string[]): string {
  const lines = [`wrote ${shown(target)} ("${article.title}", category ${article.category})`];
  lines.push(...notes.map((note) => `  ${note}`));
  if (article.headings.length > 0) lines.push(`  headings: ${article.headings.map((h) => `"${h}"`).join(', ')}`);
  if (article.removedChrome.length === 0) lines.push('  removed no page chrome');
  else lines.push(`  removed page chrome: ${article.removedChrome.map((line) => JSON.stringify(line)).join(', ')}`);
  if (article.repairedPeriods > 0) lines.push(`  repaired ${article.repairedPeriods} doubled period(s)`);
  return lines.join('\n');
}

async function importFile(run: ImportRun, input: string): Promise<Problem | undefined> {
  const subject = shown(path.resolve(input));
  let text: string;
  try {
    text = await readFile(input, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : String(error);
    return { subject, message: `${message}; skipped` };
  }
  const declared = declaredCategoryNames(run.site);
  const published = run.published ?? run.now;
  const first = importScrapedText(text, { id: randomUUID(), published, author: run.author, declaredCategories: declared });
  if (!first.ok) return { subject, message: `${first.message}; skipped` };

  const target = path.join(run.storeDir, first.article.categorySlug, `${first.article.slug}.md`);
  const replaced = await readReplacedArticle(target);
  if (replaced !== undefined && !run.force) {
    return { subject, message: `${shown(target)} already exists; pass --force to overwrite it (its id is kept)` };
  }
  const notes: string[] = [];
  let article = first.article;
  if (replaced !== undefined) {
    const kept = importScrapedText(text, {
      id: replaced.id ?? randomUUID(),
      published: run.published ?? replaced.published ?? published,
      author: run.author,
      declaredCategories: declared,
    });
    if (!kept.ok) return { subject, message: `${kept.message}; skipped` };
    article = kept.article;
    notes.push(
      replaced.id !== undefined
        ? `overwrote the existing file, keeping its id ${replaced.id}`
        : 'overwrote the existing file, which had no id: feed readers will see this as a new item',
    );
  }

  if (!declared.includes(article.category)) {
    await declareCategory(run.site, article.category);
    notes.push(`added category "${article.category}" to ${shown(run.site.path)}`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await writeFileAtomically(target, article.markdown, { overwrite: run.force });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      // Another import wrote the same article between our check and our write.
      return { subject, message: `${shown(target)} already exists; pass --force to overwrite it (its id is kept)` };
    }
    throw error;
  }
  console.log(describeImport(target, article, notes));
  return undefined;
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
    run = { ...options, storeDir, site, now: publishedTimeAt(Date.now()) };
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
    console.error(`import: ${error.message}\n\n${USAGE}`);
    return USAGE_ERROR;
  }

  let failed = 0;
  for (const file of files) {
    let problem: Problem | undefined;
    try {
      problem = await importFile(run, file);
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
