import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CATEGORY_NAME_LENGTH } from '../../src/domain/to-slug.ts';
import { MAX_CATEGORIES, MAX_SITE_FILE_BYTES, loadSite } from '../../src/store/load-site.ts';
import { SAMPLE_STORE, makeTempDir, removeTempDir, writeFiles } from './temp-dir.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

const VALID = `title: Wirefeed Sample News
description: Sample stories
language: en-GB
tagAuthority: News.Example.com,2026-01-15
defaultAuthor: Wirefeed Newsroom
categories:
  - name: General News
    description: Politics, diplomacy and world affairs.
  - name: Sport
    description: Results.
`;

async function siteProblems(yaml: string): Promise<string[]> {
  await writeFiles(dir, { 'site.yaml': yaml });
  const result = await loadSite(dir, { cwd: dir });
  if (result.ok) throw new Error('expected problems');
  for (const problem of result.problems) expect(problem.subject).toBe('site.yaml');
  return result.problems.map((p) => `${p.field ?? '-'}: ${p.message}`);
}

describe('loadSite', () => {
  it('loads the sample store', async () => {
    const result = await loadSite(SAMPLE_STORE);
    expect(result).toEqual({
      ok: true,
      site: {
        title: 'Wirefeed Sample News',
        description: 'Sample stories for testing Wirefeed.',
        language: 'en',
        baseUrl: 'https://news.example.com',
        tagAuthority: 'news.example.com,2026',
        defaultAuthor: { name: 'Wirefeed Newsroom', email: 'newsroom@news.example.com' },
        logo: 'https://news.example.com/logo.png',
        categories: [
          { name: 'General News', slug: 'general-news', description: 'Politics, diplomacy and world affairs.' },
          { name: 'Sport', slug: 'sport', description: 'Results and reports.' },
        ],
      },
    });
    if (result.ok) expect(Object.isFrozen(result.site)).toBe(true);
  });

  it('defaults the base URL, lets the override win, and normalises the tag authority', async () => {
    await writeFiles(dir, { 'site.yaml': VALID });
    const plain = await loadSite(dir);
    expect(plain.ok && plain.site.baseUrl).toBe('http://localhost:3000');
    expect(plain.ok && plain.site.tagAuthority).toBe('news.example.com,2026-01-15');
    expect(plain.ok && plain.site.defaultAuthor).toStrictEqual({ name: 'Wirefeed Newsroom' });
    await writeFiles(dir, { 'site.yaml': `${VALID}baseUrl: https://site.example.com/news/\n` });
    const fromFile = await loadSite(dir);
    expect(fromFile.ok && fromFile.site.baseUrl).toBe('https://site.example.com/news');
    const overridden = await loadSite(dir, { baseUrlOverride: 'https://override.example.com/' });
    expect(overridden.ok && overridden.site.baseUrl).toBe('https://override.example.com');
  });

  it('reports a missing site.yaml by path, saying to create it', async () => {
    const result = await loadSite(path.join(dir, 'content'), { cwd: dir });
    expect(result).toEqual({
      ok: false,
      problems: [{ subject: 'content/site.yaml', message: expect.stringMatching(/^not found: create it with title, description/) }],
    });
  });

  it('reports every missing required field, each with a fix', async () => {
    expect(await siteProblems('baseUrl: https://x.example.com\n')).toEqual([
      expect.stringMatching(/^title: title is required: add "title: /),
      expect.stringMatching(/^description: description is required: add /),
      expect.stringMatching(/^language: language is required: add /),
      expect.stringMatching(/^tagAuthority: tagAuthority is required: add a domain you own/),
      expect.stringMatching(/^defaultAuthor: defaultAuthor is required: add /),
      expect.stringMatching(/^categories: categories is required: list the sections/),
    ]);
  });

  it('reports malformed fields', async () => {
    const yaml = `title: ""
description: [a]
language: English
baseUrl: ftp://x.example.com
tagAuthority: example.com
defaultAuthor: { name: Desk, email: nope }
logo: /logo.png
categories: []
`;
    expect(await siteProblems(yaml)).toEqual([
      expect.stringMatching(/^title: title is empty/),
      expect.stringMatching(/^description: description must be text/),
      expect.stringMatching(/^language: language is not a language tag/),
      expect.stringMatching(/^baseUrl: baseUrl "ftp:\/\/x.example.com" must start with http:\/\/ or https:\/\/: write it like https:\/\/news.example.com/),
      expect.stringMatching(/^tagAuthority: tagAuthority "example.com" is not "domain,YYYY" or "domain,YYYY-MM-DD"/),
      expect.stringMatching(/^defaultAuthor.email: defaultAuthor email is not an e-mail address/),
      expect.stringMatching(/^logo: logo "\/logo.png" is not an absolute http\(s\) URL/),
      expect.stringMatching(/^categories: categories is empty/),
    ]);
    expect(await siteProblems(VALID.replace('News.Example.com,2026-01-15', 'news.example.com,2026-02-30'))).toEqual([
      expect.stringMatching(/^tagAuthority: /),
    ]);
  });

  it('reports category items by position', async () => {
    expect(await siteProblems(VALID.replace('    description: Results.\n', ''))).toEqual([
      expect.stringMatching(/^categories\[1\]\.description: categories item 2 description is required/),
    ]);
  });

  it('reports two categories whose names give the same slug, without merging them', async () => {
    const yaml = VALID.replace('- name: Sport', '- name: general news');
    expect(await siteProblems(yaml)).toEqual([
      'categories[1].name: categories item 2 name "general news" has the same URL slug "general-news" as item 1 "General News": rename one of them or remove the duplicate',
    ]);
  });

  it('reports a category name with nothing to slug', async () => {
    expect(await siteProblems(VALID.replace('- name: Sport', '- name: "中文"'))).toEqual([expect.stringMatching(/gives an empty URL slug/)]);
  });

  it('refuses a category name over MAX_CATEGORY_NAME_LENGTH, which could not be a folder of OUTPUT_DIR', async () => {
    expect(await siteProblems(VALID.replace('- name: Sport', `- name: ${'Sport '.repeat(100)}`))).toEqual([
      expect.stringMatching(new RegExp(`^categories\\[1\\]\\.name: categories item 2 name is 599 characters .*over the limit of ${MAX_CATEGORY_NAME_LENGTH}.*: use a short section name`)),
    ]);
    const longest = 'S'.repeat(MAX_CATEGORY_NAME_LENGTH);
    await writeFiles(dir, { 'site.yaml': VALID.replace('- name: Sport', `- name: ${longest}`) });
    const result = await loadSite(dir);
    expect(result.ok && result.site.categories[1]?.slug).toBe(longest.toLowerCase());
  });

  it('refuses more than MAX_CATEGORIES categories, naming the limit', async () => {
    const declare = (count: number): string =>
      `${VALID.slice(0, VALID.indexOf('categories:'))}categories:\n${Array.from({ length: count }, (_, i) => `  - { name: Section ${i}, description: D. }\n`).join('')}`;
    expect(await siteProblems(declare(MAX_CATEGORIES + 1))).toEqual([
      `categories: categories declares more than ${MAX_CATEGORIES} sections, the limit: merge small sections, or use tags for fine-grained topics`,
    ]);
    await writeFiles(dir, { 'site.yaml': declare(MAX_CATEGORIES) });
    const result = await loadSite(dir);
    expect(result.ok && result.site.categories).toHaveLength(MAX_CATEGORIES);
  });

  it('reports invalid YAML, tags and alias bombs', async () => {
    expect(await siteProblems('title: [unclosed\n')).toEqual([expect.stringMatching(/^-: is not valid YAML \(line \d+, column \d+\)/)]);
    expect(await siteProblems(`${VALID}logo: !!js/function "function(){}"\n`)).toEqual([expect.stringContaining('Unresolved tag')]);
    expect(await siteProblems(`${VALID}title: again\n`)).toEqual([expect.stringContaining('Map keys must be unique')]);
    expect(await siteProblems('- just\n- a list\n')).toEqual([expect.stringMatching(/^-: site.yaml must be a mapping/)]);
  });

  it('reports a file that is not UTF-8', async () => {
    await fs.writeFile(path.join(dir, 'site.yaml'), Buffer.from([0x74, 0x69, 0x74, 0x6c, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    const result = await loadSite(dir, { cwd: dir });
    expect(result.ok === false && result.problems[0]?.message).toMatch(/not valid UTF-8/);
  });

  it('refuses a named pipe instead of waiting for a writer', async () => {
    execFileSync('mkfifo', [path.join(dir, 'site.yaml')]);
    const result = await loadSite(dir, { cwd: dir });
    expect(result.ok === false && result.problems).toEqual([expect.objectContaining({ subject: 'site.yaml', message: expect.stringMatching(/not a regular file.*replace it/) })]);
  }, 10_000);

  it('refuses a link to a device that never ends instead of reading it', async () => {
    await fs.symlink('/dev/zero', path.join(dir, 'site.yaml'));
    const result = await loadSite(dir, { cwd: dir });
    expect(result.ok === false && result.problems[0]?.message).toMatch(/not a regular file/);
  }, 10_000);

  it('refuses a file over the size limit, naming the limit', async () => {
    await writeFiles(dir, { 'site.yaml': `${VALID}# ${'x'.repeat(MAX_SITE_FILE_BYTES)}\n` });
    const result = await loadSite(dir, { cwd: dir });
    expect(result.ok === false && result.problems[0]?.message).toContain(`over the limit of ${MAX_SITE_FILE_BYTES} bytes`);
  });

  it.each(['https://news.example.com/?', 'https://news.example.com/feeds#', 'https://news.example.com/feeds?edition=uk', 'https://desk:secret@news.example.com'])(
    'refuses %s as a base URL in site.yaml or BASE_URL, naming the setting and the fix',
    async (base) => {
      expect(await siteProblems(`${VALID}baseUrl: "${base}"\n`)).toEqual([expect.stringMatching(/^baseUrl: baseUrl ".*" (has a query or fragment|carries a user name).*: write it like https:\/\/news.example.com/)]);
      await writeFiles(dir, { 'site.yaml': VALID });
      const overridden = await loadSite(dir, { baseUrlOverride: base });
      expect(overridden.ok === false && overridden.problems.map((p) => p.subject)).toContain('BASE_URL');
    },
  );

  it('reads a category\'s language, and names site.yaml, the category and the fix for a bad one', async () => {
    await writeFiles(dir, { 'site.yaml': VALID.replace('  - name: Sport\n', '  - name: Sport\n    language: ar-EG\n') });
    const result = await loadSite(dir, { cwd: dir });
    expect(result.ok && result.site.categories.map((category) => category.language)).toEqual([undefined, 'ar-EG']);
    expect(await siteProblems(VALID.replace('  - name: Sport\n', '  - name: Sport\n    language: arabic\n'))).toEqual([
      'categories[1].language: categories item 2 "Sport" language "arabic" is not a BCP 47 language tag: write it like ar, ar-EG or en-GB, or remove it to use the site\'s language',
    ]);
  });
});
