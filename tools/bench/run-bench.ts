import { cpus, totalmem } from 'node:os';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'node:http';
import autocannon from 'autocannon';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import { ensureCorpus } from '../corpus/ensure-corpus.ts';
import { corpusCategoryNames } from '../corpus/generate-corpus.ts';
import { pino } from 'pino';
import { CLOCK_ONLY, WHOLE_STORE } from '../../src/domain/store-change.ts';
import { createRebuildJob } from '../../src/jobs/rebuild.ts';
import { DEFAULT_ARTICLE_BYTE_BUDGET, DEFAULT_FEED_BYTE_BUDGET } from '../../src/config.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { startBareServerProcess } from './bare-server.ts';
import { startServiceProcess, waitFor } from './service-process.ts';

export interface BenchOptions {
  readonly sizes: readonly number[];
  readonly categories: number;
  /** Sizes at which edit-to-served latency is measured. */
  readonly editSizes: readonly number[];
  readonly edits: number;
  /** Size whose running service the HTTP load test hits. */
  readonly httpSize: number;
  readonly httpSeconds: number;
  readonly connections: number;
  readonly corpusRoot: string;
  readonly log: (line: string) => void;
}

export interface SizeResult {
  readonly articles: number;
  readonly coldStartMs: number;
  readonly loadMs: number;
  readonly fullRebuildMs: number;
  readonly writeMs: number;
  /** A build that lists the whole store and finds nothing changed (the cron tick's safety net). */
  readonly relistMs: number;
  readonly documents: number;
  readonly editMedianMs?: number;
  /** Edit -> its entry answered to a partner long-polling the site change stream. */
  readonly streamMedianMs?: number;
  readonly streamP95Ms?: number;
  readonly editP95Ms?: number;
  readonly peakRssBytes: number;
}

export interface HttpResult {
  readonly label: string;
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface BenchResult {
  readonly sizes: readonly SizeResult[];
  readonly http: readonly HttpResult[];
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

async function measureInProcessBuild(contentDir: string): Promise<Pick<SizeResult, 'loadMs' | 'fullRebuildMs' | 'writeMs' | 'relistMs' | 'documents'>> {
  const siteResult = await loadSite(contentDir);
  if (!siteResult.ok) throw new Error(`bench: corpus site.yaml rejected: ${siteResult.problems.map((problem) => problem.message).join('; ')}`);
  const site = siteResult.site;
  const index = createArticleIndex({ contentDir, site, maxArticleBytes: 1024 * 1024 });
  let started = performance.now();
  await index.refresh();
  const loadMs = performance.now() - started;
  const outputs: string[] = [];
  // The service's own rebuild job over the loaded index, each with an empty output folder: a
  // fresh job has published nothing, so it builds, validates, compresses and writes every document.
  const newJob = async () => {
    const outputDir = await mkdtemp(path.join(tmpdir(), 'wirefeed-bench-out-'));
    outputs.push(outputDir);
    return createRebuildJob({ site, contentDir, outputDir, maxArticleBytes: 1024 * 1024, feedItemLimit: 50, feedCron: '*/5 * * * *', clock: () => Date.now(), logger: pino({ level: 'silent' }), index,
      // The service's defaults, so the figures include what the budgets cost.
      feedByteBudget: DEFAULT_FEED_BYTE_BUDGET, articleByteBudget: DEFAULT_ARTICLE_BYTE_BUDGET });
  };
  try {
    // The first warms up the code paths. CLOCK_ONLY: the store did not change, so nothing is listed.
    await (await newJob()).rebuild(CLOCK_ONLY);
    const timed = await newJob();
    started = performance.now();
    const full = await timed.rebuild(CLOCK_ONLY);
    const totalMs = performance.now() - started;
    if (!full.ok) throw new Error(`bench: the full rebuild failed: ${full.error.message}`);
    // What the cron tick adds: listing the whole store (stat of every file) to catch missed changes.
    started = performance.now();
    const relist = await timed.rebuild(WHOLE_STORE);
    const relistMs = performance.now() - started - (relist.ok ? relist.writeMs : 0);
    return { loadMs, fullRebuildMs: totalMs - full.writeMs, writeMs: full.writeMs, relistMs, documents: full.snapshot.documents.size };
  } finally {
    await Promise.all(outputs.map((outputDir) => rm(outputDir, { recursive: true, force: true })));
  }
}

/**
 * The newest story of one category feed: editing it must change that feed, whereas an article
 * past the feed's 50 newest would change nothing a reader can see.
 */
async function pickEditableArticle(serviceUrl: string, contentDir: string, feedPath: string): Promise<string> {
  const feed = (await (await fetch(serviceUrl + feedPath.replace(/rss\.xml$/, 'feed.json'))).json()) as { items: { id: string }[] };
  const index = /bench-\d+-(\d+)$/.exec(feed.items[0]?.id ?? '')?.[1];
  if (index === undefined) throw new Error(`bench: ${feedPath} has no corpus article to edit`);
  const name = `story-${index.padStart(7, '0')}.md`;
  for (const folder of await readdir(contentDir)) {
    const candidate = path.join(contentDir, folder, name);
    if (await stat(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error(`bench: ${name} not found in ${contentDir}`);
}

async function etagOf(url: string): Promise<string | null> {
  const response = await fetch(url, { method: 'HEAD' });
  return response.status === 200 ? response.headers.get('etag') : null;
}

interface ChangePage {
  readonly items: readonly { readonly _wirefeed: { readonly seq: number } }[];
  readonly next_url?: string;
}

/** The same path and query on the service under test, whatever base URL the page names. */
const onService = (url: string, link: string): string => {
  const target = new URL(link);
  return `${url}${target.pathname}${target.search}`;
};

/** The newest sequence number of the site change stream, by walking its pages from the start once. */
async function changeStreamHead(url: string): Promise<number> {
  let head = 0;
  let next: string | undefined = `${url}/changes.json?after=0`;
  while (next !== undefined) {
    const page = (await (await fetch(next)).json()) as ChangePage;
    const last = page.items[page.items.length - 1];
    if (last === undefined) break;
    head = last._wirefeed.seq;
    next = page.next_url === undefined ? undefined : onService(url, page.next_url);
  }
  return head;
}

interface EditLatencies {
  /** Edit -> the feed's new ETag served. */
  readonly served: number[];
  /** Edit -> the change answered to a partner already waiting on the site change stream. */
  readonly inStream: number[];
}

async function measureEdits(url: string, contentDir: string, feedPath: string, edits: number): Promise<EditLatencies> {
  const file = await pickEditableArticle(url, contentDir, feedPath);
  const original = await readFile(file, 'utf8');
  const served: number[] = [];
  const inStream: number[] = [];
  let head = await changeStreamHead(url);
  try {
    for (let edit = 0; edit < edits; edit += 1) {
      const before = await etagOf(url + feedPath);
      // A partner that long-polls after the newest entry it holds, as the README tells partners to.
      const waiting = fetch(`${url}/changes.json?after=${head}&wait=60`)
        .then((response) => response.json() as Promise<ChangePage>)
        .then((page) => ({ at: performance.now(), page }));
      const started = performance.now();
      await writeFile(file, `${original}\nCorrection ${edit} at ${Date.now()}.\n`);
      await waitFor(async () => (await etagOf(url + feedPath)) !== before, 60_000, `edit ${edit} to be served`, 2);
      served.push(performance.now() - started);
      const answered = await waiting;
      const last = answered.page.items[answered.page.items.length - 1];
      if (last === undefined) throw new Error(`bench: edit ${edit} never reached the change stream`);
      inStream.push(answered.at - started);
      head = last._wirefeed.seq;
    }
  } finally {
    await writeFile(file, original);
  }
  return { served, inStream };
}

async function load(label: string, url: string, headers: Record<string, string>, seconds: number, connections: number): Promise<HttpResult> {
  const result = await autocannon({ url, connections, duration: seconds, headers });
  // A conditional run that gets 200s is not measuring a 304: count them as errors.
  const errors = headers['if-none-match']
    ? result.errors + result.timeouts + result['2xx'] + result['4xx'] + result['5xx']
    : result.errors + result.timeouts + result.non2xx;
  return { label, requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, errors: Math.max(0, errors) };
}

/** One GET with exactly these headers (node:http: fetch would add br to Accept-Encoding and decode the body). */
async function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.once('error', reject);
    })
      .once('error', reject)
      .end();
  });
}

async function measureHttp(serviceUrl: string, feedPath: string, options: BenchOptions): Promise<HttpResult[]> {
  const response = await fetch(serviceUrl + feedPath, { headers: { 'accept-encoding': 'identity' } });
  const body = Buffer.from(await response.arrayBuffer());
  // The bare server answers with Wirefeed's own gzip bytes and gzip ETag ("…-gzip"): the load
  // asks for gzip, and the conditional runs must send that tag, or Wirefeed rightly answers 200.
  const gzipped = await rawGet(serviceUrl + feedPath, { 'accept-encoding': 'gzip' });
  if (gzipped.headers['content-encoding'] !== 'gzip') throw new Error(`bench: ${feedPath} did not come gzip-encoded`);
  const etag = String(gzipped.headers.etag ?? '');
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'cache-control', 'vary', 'last-modified', 'link', 'x-content-type-options']) {
    const value = response.headers.get(name);
    if (value) headers[name] = value;
  }
  const bare = await startBareServerProcess({ body, gzip: gzipped.body, etag, headers });
  const results: HttpResult[] = [];
  try {
    const gzip = { 'accept-encoding': 'gzip' };
    const conditional = { 'accept-encoding': 'gzip', 'if-none-match': etag };
    results.push(await load('Wirefeed 200 (gzip)', serviceUrl + feedPath, gzip, options.httpSeconds, options.connections));
    results.push(await load('bare node:http 200 (gzip)', bare.url + feedPath, gzip, options.httpSeconds, options.connections));
    results.push(await load('Wirefeed 304', serviceUrl + feedPath, conditional, options.httpSeconds, options.connections));
    results.push(await load('bare node:http 304', bare.url + feedPath, conditional, options.httpSeconds, options.connections));
  } finally {
    await bare.close();
  }
  return results;
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const sizes: SizeResult[] = [];
  let http: HttpResult[] = [];
  for (const articles of options.sizes) {
    options.log(`corpus of ${articles} articles in ${options.categories} categories…`);
    const contentDir = await ensureCorpus(options.corpusRoot, articles, options.categories);
    options.log(`  in-process load and full rebuild…`);
    const build = await measureInProcessBuild(contentDir);
    const outputDir = await mkdtemp(path.join(tmpdir(), 'wirefeed-bench-serve-'));
    options.log(`  cold start of the service…`);
    const started = performance.now();
    // autocannon's connections are all one client from 127.0.0.1: the bench measures serving, not its refusal.
    const service = await startServiceProcess({ CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir, FEED_CRON: '0 0 1 1 *', RATE_LIMIT: 'off' });
    try {
      const firstCategory = `/category/${corpusCategoryNames(options.categories)[0]?.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/rss.xml`;
      await waitFor(
        async () => {
          if (!service.alive()) throw new Error('bench: the service exited before serving its first feed');
          return (await fetch(service.url + '/rss.xml')).status === 200;
        },
        20 * 60_000,
        'the first feed',
        20,
      );
      const coldStartMs = performance.now() - started;
      // Load first: after the edits a last rebuild may still change the feed's ETag mid-run.
      if (articles === options.httpSize) {
        options.log(`  HTTP load, ${options.connections} connections, ${options.httpSeconds} s per run…`);
        http = await measureHttp(service.url, firstCategory, options);
      }
      let edits: EditLatencies = { served: [], inStream: [] };
      if (options.editSizes.includes(articles)) {
        options.log(`  ${options.edits} edits…`);
        edits = await measureEdits(service.url, contentDir, firstCategory, options.edits);
      }
      sizes.push({
        articles,
        coldStartMs,
        ...build,
        ...(edits.served.length > 0 ? { editMedianMs: percentile(edits.served, 0.5), editP95Ms: percentile(edits.served, 0.95) } : {}),
        ...(edits.inStream.length > 0 ? { streamMedianMs: percentile(edits.inStream, 0.5), streamP95Ms: percentile(edits.inStream, 0.95) } : {}),
        peakRssBytes: await service.peakRssBytes(),
      });
      // Each size's figures as soon as they exist: a 100,000-article run takes a while.
      options.log(`  ${JSON.stringify(sizes[sizes.length - 1])}`);
    } finally {
      await service.stop();
      await rm(outputDir, { recursive: true, force: true });
    }
  }
  return { sizes, http };
}

const ms = (value: number | undefined): string => (value === undefined ? '–' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

export function formatBenchReport(result: BenchResult, when: Date): string {
  const lines = [
    `Measured ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB memory, Node ${process.version}.`,
    '',
    '| articles | cold start to first feed | load store | full rebuild: build + validate + compress | write output | rebuild total | cron re-list, nothing changed | edit → served median | p95 | edit → in change stream median | p95 | peak RSS (service) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.sizes.map(
      (size) =>
        `| ${size.articles.toLocaleString('en')} | ${ms(size.coldStartMs)} | ${ms(size.loadMs)} | ${ms(size.fullRebuildMs)} (${size.documents} documents) | ${ms(size.writeMs)} | ${ms(size.fullRebuildMs + size.writeMs)} | ${ms(size.relistMs)} | ` +
        `${ms(size.editMedianMs)} | ${ms(size.editP95Ms)} | ${ms(size.streamMedianMs)} | ${ms(size.streamP95Ms)} | ${Math.round(size.peakRssBytes / 2 ** 20)} MiB |`,
    ),
  ];
  if (result.http.length > 0) {
    lines.push('', '| HTTP, category feed | requests/s | p99 latency | errors |', '| --- | ---: | ---: | ---: |');
    for (const run of result.http) lines.push(`| ${run.label} | ${Math.round(run.requestsPerSecond)} | ${run.p99Ms} ms | ${run.errors} |`);
    const rate = (label: string): number => result.http.find((run) => run.label === label)?.requestsPerSecond ?? Number.NaN;
    lines.push(
      '',
      `Wirefeed / bare server: 200 ${((100 * rate('Wirefeed 200 (gzip)')) / rate('bare node:http 200 (gzip)')).toFixed(0)}%, ` +
        `304 ${((100 * rate('Wirefeed 304')) / rate('bare node:http 304')).toFixed(0)}%.`,
    );
  }
  return lines.join('\n');
}
