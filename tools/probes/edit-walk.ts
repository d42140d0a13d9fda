/**
 * Probe: which src/ files one edit runs, from the watcher event to the bytes on disk (README,
 * "Following one edit").
 *
 *   npx tsx tools/probes/edit-walk.ts [--all]
 *
 * Starts Wirefeed in this process on a copy of the sample store (tests/fixtures/store/sample),
 * waits for the first build, then turns on V8's precise coverage (call counts per function),
 * saves a new wording of world/pakistan-diplomacy.md and waits until the category feed on disk
 * shows it. It prints every src/ file with a function that ran meanwhile; without --all it
 * leaves out domain/ (pure values and vocabulary), logger.ts and config.ts, the rule the README
 * counts by. Everything stays on loopback.
 */
import { Session } from 'node:inspector/promises';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { readConfig } from '../../src/config.ts';
import { startWirefeed } from '../../src/wirefeed.ts';

const { values } = parseArgs({ options: { all: { type: 'boolean', default: false } } });
const repoRoot = path.resolve(import.meta.dirname, '../..');
const srcDir = path.join(repoRoot, 'src');

const work = await mkdtemp(path.join(tmpdir(), 'wirefeed-edit-walk-'));
const contentDir = path.join(work, 'content');
const outputDir = path.join(work, 'out');
await cp(path.join(repoRoot, 'tests/fixtures/store/sample'), contentDir, { recursive: true });
const edited = path.join(contentDir, 'world/pakistan-diplomacy.md');
const feedOnDisk = path.join(outputDir, 'category/general-news/rss.xml');

// A cron that never fires during the probe: only the edit may run a build.
const config = readConfig({ CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir, PORT: '0', HOST: '127.0.0.1', FEED_CRON: '0 0 1 1 *' }, work);
const running = await startWirefeed(config, pino({ level: 'silent' }));

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
// Taking coverage resets the counts: what ran before the edit (start-up, the first build) is dropped.
await session.post('Profiler.takePreciseCoverage');

const marker = `Revised wording ${Date.now()}.`;
await writeFile(edited, `${await readFile(edited, 'utf8')}\n${marker}\n`);
const deadline = Date.now() + 30_000;
while (!(await readFile(feedOnDisk, 'utf8').catch(() => '')).includes(marker)) {
  if (Date.now() > deadline) throw new Error(`probe: the edit did not reach ${feedOnDisk} within 30 s`);
  await sleep(20);
}
// The build's tail (metrics, the log line) ends just after the last file is written.
await sleep(500);
const { result } = await session.post('Profiler.takePreciseCoverage');
await session.post('Profiler.stopPreciseCoverage');
session.disconnect();
await running.stop();
await rm(work, { recursive: true, force: true });

const counted = (file: string): boolean => values.all || !(file.startsWith('domain/') || file === 'logger.ts' || file === 'config.ts');
const ran = new Set<string>();
for (const script of result) {
  if (!script.url.startsWith('file:')) continue;
  const file = path.relative(srcDir, fileURLToPath(script.url)).split(path.sep).join('/');
  if (file.startsWith('..') || !file.endsWith('.ts')) continue;
  if (script.functions.some((fn) => (fn.ranges[0]?.count ?? 0) > 0)) ran.add(file);
}
const files = [...ran].filter(counted).sort();
for (const file of files) console.log(file);
console.log(`${files.length} files${values.all ? '' : ' (without domain/, logger.ts, config.ts)'}`);
