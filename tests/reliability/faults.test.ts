import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import type { RunningWirefeed } from '../../src/wirefeed.ts';
import { pathsChanged } from '../../src/domain/store-change.ts';
import { StartupError, startWirefeed } from '../../src/wirefeed.ts';
import { inspectOutput } from './inspect-output.ts';

/**
 * The service in-process on a copy of the sample store, with its output folder or its store
 * taken away under it. The feeds must keep being served from memory, /healthz must say what is
 * wrong, and everything must come back once the fault clears.
 */
const NOW = Date.parse('2026-11-24T12:00:00Z');
/** Builds come only from start-up, the watcher and explicit rebuilds. */
const NEVER = '0 0 1 1 *';

interface HealthBody {
  readonly status: string;
  readonly outputProblems: readonly { readonly subject: string; readonly field?: string; readonly message: string }[];
  readonly lastBuildError: { readonly message: string } | null;
}

let root: string;
const started: RunningWirefeed[] = [];
let edition = 0;

async function start(contentDir: string, outputDir: string): Promise<RunningWirefeed> {
  // The change journal elsewhere: these faults are the output mirror's (a journal that cannot be written holds back publication: tests/http/change-streams.test.ts).
  const config = readConfig({ CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir, STATE_DIR: `${contentDir}-state`, PORT: '0', HOST: '127.0.0.1', FEED_CRON: NEVER }, root);
  const running = await startWirefeed(config, pino({ level: 'silent' }), () => NOW);
  started.push(running);
  return running;
}

async function freshStore(name: string): Promise<string> {
  const contentDir = path.join(root, name);
  await cp(path.resolve('content'), contentDir, { recursive: true });
  return contentDir;
}

async function health(running: RunningWirefeed): Promise<HealthBody> {
  return (await (await fetch(new URL('/healthz', running.url))).json()) as HealthBody;
}

async function served(running: RunningWirefeed, pathname: string): Promise<{ status: number; etag: string | null; text: string }> {
  const response = await fetch(new URL(pathname, running.url), { headers: { 'accept-encoding': 'identity' } });
  return { status: response.status, etag: response.headers.get('etag'), text: await response.text() };
}

/** Files a new article in General News and rebuilds; returns its title. */
async function fileArticle(running: RunningWirefeed, contentDir: string): Promise<string> {
  edition += 1;
  const title = `Fault edition ${edition}`;
  const file = path.join('general-news', `fault-edition-${edition}.md`);
  await writeFile(path.join(contentDir, file), `---\ntitle: ${title}\ncategory: General News\npublished: 2026-11-24T11:${String(edition).padStart(2, '0')}:00Z\n---\nFiled while something was broken.\n`);
  await running.rebuild(pathsChanged([file]));
  return title;
}

/** The output folder holds exactly what is served: every document, intact, under a final manifest. */
async function expectOutputCaughtUp(running: RunningWirefeed, outputDir: string): Promise<void> {
  const inspection = await inspectOutput(outputDir, NOW);
  expect(inspection.faults).toEqual([]);
  expect(inspection.interrupted).toBe(false);
  const snapshot = running.current();
  const expected = Object.fromEntries([...(snapshot?.documents.values() ?? [])].map((document) => [document.path, document.etag]));
  expect(Object.fromEntries(Object.entries(inspection.manifest?.documents ?? {}).map(([documentPath, entry]) => [documentPath, entry.etag]))).toEqual(expected);
  expect(await readFile(path.join(outputDir, 'rss.xml'), 'utf8')).toBe((await served(running, '/rss.xml')).text);
}

/** Asserts the fault is reported and the feeds are still served, updated, from memory. */
async function expectServedDespite(running: RunningWirefeed, contentDir: string, code: RegExp): Promise<void> {
  const title = await fileArticle(running, contentDir);
  const rss = await served(running, '/category/general-news/rss.xml');
  expect(rss.status).toBe(200);
  expect(rss.text).toContain(title);
  const report = await health(running);
  // Still served (HTTP 200), but never "ok" while something is wrong.
  expect(report.status).toBe('degraded');
  expect(report.outputProblems.length).toBeGreaterThan(0);
  for (const problem of report.outputProblems) {
    expect(problem.field).toBe('output');
    expect(problem.message).toMatch(code);
    expect(problem.message).toMatch(/could not be written .*served from memory/);
  }
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function tryMount(...args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wirefeed-faults-'));
});

afterEach(async () => {
  while (started.length > 0) await started.pop()?.stop();
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the output folder cannot be written', () => {
  it('serves and reports while OUTPUT_DIR lies under a regular file, and writes everything once it does not', async () => {
    const contentDir = await freshStore('content-blocked');
    const blocker = path.join(root, 'blocker');
    await writeFile(blocker, 'a file where a folder should be');
    const outputDir = path.join(blocker, 'public');
    const running = await start(contentDir, outputDir);
    await expectServedDespite(running, contentDir, /ENOTDIR/);
    expect((await health(running)).outputProblems.every((problem) => problem.subject.startsWith(blocker))).toBe(true);

    await rm(blocker);
    await running.rebuild();
    expect((await health(running)).outputProblems).toEqual([]);
    await expectOutputCaughtUp(running, outputDir);
  });

  it('rewrites, once the fault clears, files that vanished with a folder replaced by a file', async () => {
    const contentDir = await freshStore('content-replaced');
    const outputDir = path.join(root, 'public-replaced');
    const running = await start(contentDir, outputDir);
    await expectOutputCaughtUp(running, outputDir);

    // Every category's files go, not only those of the category about to change.
    await rm(path.join(outputDir, 'category'), { recursive: true });
    await writeFile(path.join(outputDir, 'category'), 'not a folder');
    await expectServedDespite(running, contentDir, /ENOTDIR/);
    expect((await health(running)).outputProblems.map((problem) => problem.subject)).toContain(path.join(outputDir, 'category/general-news/rss.xml'));

    await rm(path.join(outputDir, 'category'));
    await running.rebuild();
    expect((await health(running)).outputProblems).toEqual([]);
    await expectOutputCaughtUp(running, outputDir);
  });

  describe('on a real small file system', () => {
    let mountPoint: string | undefined;

    beforeAll(async () => {
      const candidate = path.join(root, 'tmpfs');
      await mkdir(candidate);
      // Needs root (or CAP_SYS_ADMIN); where mounting is not allowed, the injected faults above stand in.
      if (tryMount('-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', candidate)) mountPoint = candidate;
    });

    afterAll(() => {
      if (mountPoint) execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
    });

    it('serves and reports while the disk is full (ENOSPC) or read-only (EROFS), and catches up after each', async (context) => {
      if (!mountPoint) return context.skip('mount is not permitted here');
      const contentDir = await freshStore('content-tmpfs');
      const outputDir = path.join(mountPoint, 'public');
      const running = await start(contentDir, outputDir);
      await expectOutputCaughtUp(running, outputDir);

      const filler = path.join(mountPoint, 'filler');
      await writeFile(filler, Buffer.alloc(8 * 1024 * 1024)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOSPC') throw error;
      });
      await expectServedDespite(running, contentDir, /ENOSPC/);
      await rm(filler);
      await running.rebuild();
      expect((await health(running)).outputProblems).toEqual([]);
      await expectOutputCaughtUp(running, outputDir);

      execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
      try {
        await expectServedDespite(running, contentDir, /EROFS/);
      } finally {
        execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
      }
      await running.rebuild();
      expect((await health(running)).outputProblems).toEqual([]);
      await expectOutputCaughtUp(running, outputDir);
    });
  });
});

describe('the content folder', () => {
  it('missing at start: start-up fails with an error naming it', async () => {
    const missing = path.join(root, 'no-such-store');
    const attempt = start(missing, path.join(root, 'public-missing'));
    await expect(attempt).rejects.toBeInstanceOf(StartupError);
    await expect(attempt).rejects.toThrow(missing);
  });

  it('deleted while running: the last good feeds stay served with the same ETags, health names the folder, and restoring it recovers', async () => {
    const contentDir = await freshStore('content-deleted');
    const running = await start(contentDir, path.join(root, 'public-deleted'));
    const feeds = ['/rss.xml', '/atom.xml', '/feed.json', '/category/general-news/rss.xml'];
    const before = await Promise.all(feeds.map((feed) => served(running, feed)));
    expect(before.map((response) => response.status)).toEqual(feeds.map(() => 200));

    await rm(contentDir, { recursive: true });
    await running.rebuild();
    const report = await health(running);
    expect(report.lastBuildError?.message).toContain(contentDir);
    expect(report.status).toBe('degraded');
    const during = await Promise.all(feeds.map((feed) => served(running, feed)));
    expect(during.map((response) => [response.status, response.etag])).toEqual(before.map((response) => [200, response.etag]));

    // Restored as from a backup, with one new article: the watcher notices, no rebuild is asked for.
    await cp(path.resolve('content'), contentDir, { recursive: true });
    await writeFile(path.join(contentDir, 'general-news', 'after-restore.md'), `---\ntitle: Filed after the restore\ncategory: General News\npublished: 2026-11-24T11:30:00Z\n---\nBack.\n`);
    await until(async () => (await served(running, '/rss.xml')).text.includes('Filed after the restore'), 'the watcher to rebuild from the restored folder');
    // The snapshot is swapped in before the output is written, and the error cleared after: a moment later.
    await until(async () => (await health(running)).lastBuildError === null, 'health to clear the build error');
    // And it keeps watching the restored folder.
    const title = `Fault edition ${(edition += 1)}`;
    await writeFile(path.join(contentDir, 'general-news', 'later.md'), `---\ntitle: ${title}\ncategory: General News\npublished: 2026-11-24T11:45:00Z\n---\nLater.\n`);
    await until(async () => (await served(running, '/rss.xml')).text.includes(title), 'the watcher to see an edit in the restored folder');
  });
});
