import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { pathsChanged } from '../../src/domain/store-change.ts';
import { startWirefeed } from '../../src/wirefeed.ts';
import { writeFiles } from '../store/temp-dir.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const SITE_YAML = fixtureSiteYaml(['World']);

const story = (body: string): string => `---\nid: ferry\ntitle: Ferry strike ends\ncategory: World\npublished: 2026-11-02T18:00:00Z\n---\n${body}\n`;

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run build` as a user runs it: a process of its own, configured by the environment. */
function runBuild(env: Record<string, string>): Promise<CliRun> {
  // Vitest sets BASE_URL for Vite; the store's own baseUrl is what this build must use.
  const inherited = { ...process.env };
  delete inherited.BASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/build.ts'], { cwd: REPO, env: { ...inherited, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

let root: string;
let contentDir: string;
let outputDir: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wirefeed-cli-build-'));
  contentDir = path.join(root, 'content');
  outputDir = path.join(root, 'public');
  await writeFiles(contentDir, { 'site.yaml': SITE_YAML, 'world/ferry.md': story('The strike ended at dawn.') });
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function dateModified(): Promise<string | undefined> {
  const feed = JSON.parse(await readFile(path.join(outputDir, 'feed.json'), 'utf8')) as { items: { id: string; date_modified?: string }[] };
  return feed.items.find((item) => item.id.endsWith(':ferry'))?.date_modified;
}

describe('npm run build', () => {
  it('keeps the revision time the service announced instead of moving it back', async () => {
    let now = Date.parse('2026-11-20T12:00:00Z');
    const config = readConfig({ CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir, PORT: '0', HOST: '127.0.0.1' }, root);
    const running = await startWirefeed(config, pino({ level: 'silent' }), () => now);
    try {
      // A correction saved without touching `updated`: the service dates it when it first sees it.
      now = Date.parse('2026-11-24T08:00:00Z');
      await writeFile(path.join(contentDir, 'world/ferry.md'), story('The strike ended at dawn, the union said.'));
      await running.rebuild(pathsChanged(['world/ferry.md']));
    } finally {
      await running.stop();
    }
    expect(await dateModified()).toBe('2026-11-24T08:00:00Z');

    const run = await runBuild({ CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await dateModified()).toBe('2026-11-24T08:00:00Z');
  });

  it('dates a correction it sees itself, and a later build keeps that date', async () => {
    expect((await runBuild({ CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir })).code).toBe(0);
    expect(await dateModified()).toBe('2026-11-02T18:00:00Z');
    await writeFile(path.join(contentDir, 'world/ferry.md'), story('The strike ended at dawn; ferries run again.'));
    expect((await runBuild({ CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir })).code).toBe(0);
    const revised = await dateModified();
    expect(Date.parse(revised ?? '')).toBeGreaterThan(Date.parse('2026-11-02T18:00:00Z'));
    expect((await runBuild({ CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir })).code).toBe(0);
    expect(await dateModified()).toBe(revised);
  });

  it('exits 2 naming the setting when the configuration is wrong', async () => {
    const run = await runBuild({ CONTENT_DIR: contentDir, OUTPUT_DIR: outputDir, FEED_ITEM_LIMIT: 'many' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('FEED_ITEM_LIMIT');
  });
});
