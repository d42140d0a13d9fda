import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SEED = path.join(REPO, 'tests/fixtures/scraped/000_0373102ac7e4819d.txt');
const HARBOUR = path.join(REPO, 'tests/fixtures/scraped/made-up-harbour-ferries.txt');
const SEED_TARGET = 'general-news/pakistans-high-stakes-diplomacy-can-iran-return-to-us-talks.md';
const HARBOUR_TARGET = 'business/harbour-ferry-operator-doubles-its-fleet-after-a-record-summer.md';

const SITE_YAML = `# The sample store describes itself here.
title: Test Store
baseUrl: http://localhost:3000
categories:
  # Hard news first.
  - name: Business # keep this one first
    description: Money.
`;

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI as a user would, from the repository root, so `--import tsx` resolves. */
function runImport(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/import.ts', ...args],
      { cwd: REPO, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function frontMatterOf(file: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(file);
  if (!match) throw new Error(`no front matter in:\n${file}`);
  return parseYaml(match[1] ?? '') as Record<string, unknown>;
}

let store: string;

beforeEach(async () => {
  store = await mkdtemp(path.join(tmpdir(), 'wirefeed-import-'));
  await writeFile(path.join(store, 'site.yaml'), SITE_YAML);
});

afterEach(async () => {
  await rm(store, { recursive: true, force: true });
});

describe('npm run import', () => {
  it('writes the article under its category and title slugs and says what it removed', async () => {
    const run = await runImport([SEED, '--out', store, '--published', '2026-11-23T09:00:00Z', '--author', 'Misryoum Staff']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const written = await readFile(path.join(store, SEED_TARGET), 'utf8');
    const fields = frontMatterOf(written);
    expect(fields).toMatchObject({
      title: 'Pakistan’s High-Stakes Diplomacy: Can Iran Return to US Talks?',
      category: 'General News',
      published: '2026-11-23T09:00:00Z',
      author: 'Misryoum Staff',
    });
    expect(fields.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(written).toContain('\n## Escalating Sea Tensions\n');
    expect(run.stdout).toContain(`wrote ${path.join(store, SEED_TARGET)}`);
    expect(run.stdout).toContain('"Leave a Reply"');
    expect(run.stdout).toContain('"Secret Link"');
    expect(run.stdout).toContain('repaired 14 doubled period(s)');
  });

  it('adds an undeclared category to site.yaml, keeping its comments, and says so', async () => {
    const run = await runImport([SEED, HARBOUR, '--out', store, '--published', '2026-11-23T09:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`added category "General News" to ${path.join(store, 'site.yaml')}`);
    expect(run.stdout).not.toContain('added category "Business"');
    const siteText = await readFile(path.join(store, 'site.yaml'), 'utf8');
    for (const comment of ['# The sample store describes itself here.', '# Hard news first.', '# keep this one first']) {
      expect(siteText).toContain(comment);
    }
    const site = parseYaml(siteText) as { title: string; categories: { name: string; description: string }[] };
    expect(site.title).toBe('Test Store');
    expect(site.categories.map((category) => category.name)).toEqual(['Business', 'General News']);
    expect(site.categories[1]?.description).not.toBe('');
  });

  it('refuses to overwrite an existing article without --force, and keeps its id with --force', async () => {
    await runImport([SEED, '--out', store, '--published', '2026-11-23T09:00:00Z']);
    const target = path.join(store, SEED_TARGET);
    const original = await readFile(target, 'utf8');
    await writeFile(target, original.replace('## The Burden of Mediation', '## Edited by hand'));

    const refused = await runImport([SEED, '--out', store]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(SEED_TARGET);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stderr).toContain('--force');
    expect(await readFile(target, 'utf8')).toContain('## Edited by hand');

    const forced = await runImport([SEED, '--out', store, '--force']);
    expect(forced.code).toBe(0);
    const replaced = await readFile(target, 'utf8');
    expect(replaced).toContain('## The Burden of Mediation');
    expect(frontMatterOf(replaced).id).toBe(frontMatterOf(original).id);
    expect(frontMatterOf(replaced).published).toBe('2026-11-23T09:00:00Z');
    expect(forced.stdout).toContain('keeping its id');
    // Nothing but the article itself is left in the category folder: no temporary files.
    expect(await readdir(path.dirname(target))).toEqual([path.basename(target)]);
  });

  it('keeps the id of a replaced file as the service reads it, a number included', async () => {
    await runImport([SEED, '--out', store, '--published', '2026-11-23T09:00:00Z']);
    const target = path.join(store, SEED_TARGET);
    const original = await readFile(target, 'utf8');
    // The service reads `id: 4711` as the text "4711"; a fresh id would make it a new feed item.
    await writeFile(target, original.replace(/^id: .*$/m, 'id: 4711'));

    const forced = await runImport([SEED, '--out', store, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('keeping its id 4711');
    expect(String(frontMatterOf(await readFile(target, 'utf8')).id)).toBe('4711');
  });

  it('rejects an invalid --published without writing anything', async () => {
    for (const published of ['yesterday', '2026-11-23T09:00:00', '2026-02-30T09:00:00Z']) {
      const run = await runImport([SEED, '--out', store, '--published', published]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--published "${published}" is not a valid publication time`);
    }
    expect(await readdir(store)).toEqual(['site.yaml']);
  });

  it('defaults --published to now, to the second, in UTC', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const run = await runImport([SEED, '--out', store]);
    const after = Date.now();
    expect(run.code).toBe(0);
    const published = String(frontMatterOf(await readFile(path.join(store, SEED_TARGET), 'utf8')).published);
    expect(published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(published)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(published)).toBeLessThanOrEqual(after);
  });

  it('reports a missing input file and still imports the others', async () => {
    const missing = path.join(store, 'no-such-article.txt');
    const run = await runImport([missing, HARBOUR, '--out', store, '--published', '2026-11-23T09:00:00Z']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no-such-article.txt: no such file');
    expect(run.stderr).toContain('1 of 2 file(s) not imported');
    expect(frontMatterOf(await readFile(path.join(store, HARBOUR_TARGET), 'utf8')).title).toBe(
      'Harbour Ferry Operator Doubles Its Fleet After a Record Summer',
    );
  });

  it('reports a file that is not a scraped article and still imports the others', async () => {
    const junk = path.join(store, 'junk.txt');
    await writeFile(junk, 'just one line\n');
    const run = await runImport([junk, HARBOUR, '--out', store]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('junk.txt: expected a category line');
    expect(run.stdout).toContain(`wrote ${path.join(store, HARBOUR_TARGET)}`);
  });

  it('writes into CONTENT_DIR when --out is not given, whatever else the environment holds', async () => {
    const run = await runImport([HARBOUR], { CONTENT_DIR: store, PORT: 'not a port', BASE_URL: '/' });
    expect(run.code).toBe(0);
    expect(await readFile(path.join(store, HARBOUR_TARGET), 'utf8')).toContain('## Money and Timing');
  });

  it('explains a store without site.yaml', async () => {
    await rm(path.join(store, 'site.yaml'));
    const run = await runImport([HARBOUR, '--out', store]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('site.yaml');
    expect(await readdir(store)).toEqual([]);
  });
});
