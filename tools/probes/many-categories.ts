/**
 * Probe: what one edit costs when site.yaml declares many categories.
 *
 *   npx tsx tools/probes/many-categories.ts [--articles 5000] [--categories 1000] [--declared N] [--edits 4]
 *     [--content DIR] [--cpu-prof DIR] [--heap-snapshots DIR] [--node-arg ARG]... [--timeout-s 600]
 *
 * Generates a store (or copies --content) into a temporary folder, starts the service on it on
 * 127.0.0.1 with a free port, waits for the first build, then edits one article `--edits` times.
 * For each edit it prints: how long until the edited article's category feed serves a new ETag,
 * the slowest /healthz answer while that build ran, the service's VmRSS once the build was logged,
 * and the build's own log line (duration, documents changed). Everything stays on loopback, and
 * the whole run is bounded by --timeout-s.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { writeCorpus } from '../corpus/ensure-corpus.ts';
import { corpusCategoryNames, corpusSiteYaml } from '../corpus/generate-corpus.ts';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '5000' },
    categories: { type: 'string', default: '1000' },
    declared: { type: 'string' },
    edits: { type: 'string', default: '4' },
    content: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'heap-snapshots': { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] },
    'timeout-s': { type: 'string', default: '600' },
    keep: { type: 'boolean', default: false },
  },
});
const edits = Number(values.edits);
const deadline = performance.now() + Number(values['timeout-s']) * 1000;
const repoRoot = path.resolve(import.meta.dirname, '../..');

function remaining(): number {
  const left = deadline - performance.now();
  if (left <= 0) throw new Error('probe: out of time (raise --timeout-s)');
  return left;
}

const work = await mkdtemp(path.join(tmpdir(), 'wirefeed-probe-'));
const contentDir = path.join(work, 'content');
const outputDir = path.join(work, 'out');
if (values.content) await cp(path.resolve(values.content), contentDir, { recursive: true });
else await writeCorpus(contentDir, { articles: Number(values.articles), categories: Number(values.categories), seed: 1 });
// More categories declared than the articles use: the extra ones have empty feeds.
if (values.declared) await writeFile(path.join(contentDir, 'site.yaml'), corpusSiteYaml(corpusCategoryNames(Number(values.declared))));

/** The first file under `dir`, in name order, that `accept` takes. */
async function findFile(dir: string, accept: (name: string) => boolean): Promise<string | undefined> {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const target = path.join(dir, entry.name);
    const found = entry.isDirectory() ? await findFile(target, accept) : accept(entry.name) ? target : undefined;
    if (found) return found;
  }
  return undefined;
}

const nodeArgs = ['--import', 'tsx', ...values['node-arg']];
if (values['cpu-prof']) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`);
if (values['heap-snapshots']) nodeArgs.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${path.resolve(values['heap-snapshots'])}`);
const child = spawn(process.execPath, [...nodeArgs, path.join(repoRoot, 'src/main.ts')], {
  cwd: repoRoot,
  env: { ...process.env, CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const pid = child.pid ?? 0;
// Whatever ends the probe, the service it started ends with it.
process.once('exit', () => child.kill('SIGKILL'));

interface BuildLog {
  readonly durationMs: number;
  readonly changed: number;
}
let url = '';
let articlePath = '';
let original = '';
const builds: BuildLog[] = [];
createInterface({ input: child.stdout }).on('line', (line) => {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  if (entry.msg === 'serving feeds' && typeof entry.url === 'string') url = entry.url.replace('0.0.0.0', '127.0.0.1');
  if (entry.msg === 'build published') builds.push({ durationMs: Number(entry.durationMs), changed: Number(entry.changed) });
});

async function rssMb(): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  while (remaining() > 0) {
    const found = await probe().catch((error: unknown) => {
      if (process.env.PROBE_DEBUG) console.error(what, error);
      return undefined;
    });
    if (found !== undefined) return found;
    await sleep(20);
  }
  throw new Error(`probe: gave up waiting for ${what}`);
}

async function etagOf(target: string): Promise<string | undefined> {
  const response = await fetch(`${url}${target}`, { signal: AbortSignal.timeout(Math.ceil(remaining())) });
  await response.arrayBuffer();
  return response.ok ? (response.headers.get('etag') ?? undefined) : undefined;
}

/** Asks /healthz one request after another until `stop` is set; returns the slowest answer's time. */
async function healthLatency(stop: { done: boolean }): Promise<number> {
  let slowest = 0;
  while (!stop.done) {
    const started = performance.now();
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(Math.ceil(remaining())) });
    await response.arrayBuffer();
    slowest = Math.max(slowest, performance.now() - started);
    await sleep(10);
  }
  return slowest;
}

try {
  await until('the service to listen', async () => (url ? true : undefined));
  await until('the first build', async () => (builds.length > 0 ? true : undefined));
  // The newest item of the first category feed: an edit to it changes that feed (an older article
  // may show in no feed at all).
  const first = await findFile(contentDir, (name) => name.endsWith('.md'));
  const category = first === undefined ? undefined : path.basename(path.dirname(first));
  const items = await until('the category feed', async () => {
    const response = await fetch(`${url}/category/${category}/feed.json`, { signal: AbortSignal.timeout(Math.ceil(remaining())) });
    return response.ok ? ((await response.json()) as { items: { url: string }[] }).items : undefined;
  });
  const newest = items[0]?.url.split('/').pop();
  articlePath = newest === undefined ? '' : ((await findFile(contentDir, (name) => name === `${newest}.md`)) ?? '');
  if (!articlePath) throw new Error(`probe: no article file for the newest item of category ${category}`);
  original = await readFile(articlePath, 'utf8');
  const feed = `/category/${category}/rss.xml`;
  let etag = await until(`an ETag for ${feed}`, () => etagOf(feed));
  const store = values.content ?? `${values.articles} articles in ${values.categories} categories`;
  console.log(`store: ${path.relative(work, articlePath)} of ${store}, ${values.declared ?? values.categories} declared; feed ${feed}`);
  console.log(`after start-up: VmRSS ${await rssMb()} MB, first build ${builds[0]?.durationMs} ms`);
  for (let edit = 1; edit <= edits; edit += 1) {
    const buildsBefore = builds.length;
    const stop = { done: false };
    // Settles whatever happens, so a timeout elsewhere is reported rather than left unhandled.
    const health = healthLatency(stop).catch(() => Number.NaN);
    const started = performance.now();
    await writeFile(articlePath, `${original.trimEnd()}\n\nProbe edit ${edit}.\n`);
    etag = await until(`edit ${edit} to be served`, async () => {
      const next = await etagOf(feed);
      return next !== undefined && next !== etag ? next : undefined;
    });
    const servedMs = performance.now() - started;
    await until(`edit ${edit}'s build log`, async () => (builds.length > buildsBefore ? true : undefined));
    stop.done = true;
    const slowestHealth = await health;
    const build = builds[builds.length - 1];
    console.log(
      `edit ${edit}: served after ${Math.round(servedMs)} ms; slowest /healthz ${Math.round(slowestHealth)} ms; ` +
        `VmRSS ${await rssMb()} MB; build ${build?.durationMs} ms, ${build?.changed} documents changed`,
    );
    if (values['heap-snapshots']) {
      child.kill('SIGUSR2');
      await sleep(5000);
    }
  }
} finally {
  child.kill('SIGTERM');
  await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(30_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
  if (!values.keep) await rm(work, { recursive: true, force: true });
}
