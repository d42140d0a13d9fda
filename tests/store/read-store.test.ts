import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadOutcome } from '../../src/store/read-store.ts';
import { listArticleFiles, readArticleFile } from '../../src/store/read-store.ts';
import { makeTempDir, makeTooDeepFolder, removeTempDir, writeFiles } from './temp-dir.ts';

let root: string;
let store: string;
beforeEach(async () => {
  root = await makeTempDir();
  store = path.join(root, 'content');
  await fs.mkdir(store);
});
afterEach(async () => {
  await removeTempDir(root);
});

async function read(relative: string, maxArticleBytes = 1024): Promise<ReadOutcome> {
  return readArticleFile(path.join(store, relative), { storeRealPath: store, maxArticleBytes, cwd: root });
}

function problemOf(outcome: ReadOutcome): string {
  if (outcome.kind !== 'problem') throw new Error(`expected a problem, got ${outcome.kind}`);
  expect(outcome.problem.subject).toMatch(/^content\//);
  return outcome.problem.message;
}

describe('listArticleFiles', () => {
  it('reports an article whose file name is not valid UTF-8, naming it and the fix', async () => {
    await writeFiles(store, { 'world/a.md': 'x' });
    await fs.writeFile(Buffer.concat([Buffer.from(`${store}/world/bad`), Buffer.from([0xff, 0xfe]), Buffer.from('name.md')]), 'x');
    const listing = await listArticleFiles(store, root);
    expect(listing.files.map((file) => file.storePath)).toEqual(['world/a.md']);
    expect(listing.problems).toEqual([{ subject: 'content/world/bad\uFFFD\uFFFDname.md', message: expect.stringMatching(/not valid UTF-8.*rename/) }]);
  });

  it('reports a folder past the path length limit as a problem and lists the rest', async () => {
    await writeFiles(store, { 'world/a.md': 'x' });
    await makeTooDeepFolder(path.join(store, 'deep'));
    const listing = await listArticleFiles(store, root);
    expect(listing.files.map((file) => file.storePath)).toEqual(['world/a.md']);
    expect(listing.problems).toEqual([expect.objectContaining({ subject: expect.stringMatching(/^content\/deep\/(aaaaaaaaaa\/)+aaaaaaaaaa$/), message: expect.stringMatching(/longer than the system accepts.*shorten/) })]);
    expect((await listArticleFiles(store, root, ['deep'])).problems).toEqual(listing.problems);
  });

  it('lists a file once when the paths asked for name it and a folder holding it', async () => {
    await writeFiles(store, { 'burst/n0.md': 'x', 'burst/sub/n1.md': 'x', 'other/n2.md': 'x' });
    const listing = await listArticleFiles(store, root, ['burst', 'burst/n0.md', 'burst/sub', 'burst/sub/n1.md', 'other/n2.md', 'other/n2.md']);
    expect(listing.files.map((file) => file.storePath)).toEqual(['burst/n0.md', 'burst/sub/n1.md', 'other/n2.md']);
  });

  it('lists Markdown files recursively, sorted, and skips everything else', async () => {
    await writeFiles(store, {
      'site.yaml': 'x',
      'b.md': 'x',
      'a.markdown': 'x',
      'World/Z.MD': 'x',
      'world/deep/er/x.md': 'x',
      'notes.txt': 'x',
      '.hidden.md': 'x',
      '_partial.md': 'x',
      '_drafts/x.md': 'x',
      '.git/x.md': 'x',
      'b.md~': 'x',
      '.b.md.swp': 'x',
      'b.md.swp': 'x',
      '.#b.md': 'x',
      '#b.md#': 'x',
      '4913': 'x',
      'x.md.tmp': 'x',
      '.md': 'x',
    });
    const listing = await listArticleFiles(store, root);
    expect(listing.files.map((f) => f.storePath)).toEqual(['World/Z.MD', 'a.markdown', 'b.md', 'world/deep/er/x.md']);
    expect(listing.problems).toEqual([]);
    const first = listing.files[0]!;
    expect(first.absolutePath).toBe(path.join(store, 'World', 'Z.MD'));
    expect(first.size).toBe(1);
  });

  it('lists linked files and reports linked folders instead of following them', async () => {
    await writeFiles(root, { 'elsewhere/a.md': 'x', 'content/real/b.md': 'x' });
    await fs.symlink(path.join(root, 'elsewhere'), path.join(store, 'linked-folder'));
    await fs.symlink('real/b.md', path.join(store, 'linked.md'));
    const listing = await listArticleFiles(store, root);
    expect(listing.files.map((f) => f.storePath)).toEqual(['linked.md', 'real/b.md']);
    expect(listing.problems).toEqual([
      { subject: 'content/linked-folder', message: expect.stringMatching(/^is a symbolic link to a folder, and linked folders are not followed/) },
    ]);
  });

  it('throws, with the stage prefix, when the store itself cannot be listed', async () => {
    await expect(listArticleFiles(path.join(root, 'nope'), root)).rejects.toThrow(/^store: cannot list the content folder nope/);
  });
});

describe('readArticleFile', () => {
  it('returns the text', async () => {
    await writeFiles(store, { 'a.md': '---\ntitle: A\n---\nBody\n' });
    expect(await read('a.md')).toEqual({ kind: 'text', text: '---\ntitle: A\n---\nBody\n' });
  });

  it('strips a UTF-8 BOM and turns CRLF and CR into LF', async () => {
    await writeFiles(store, { 'a.md': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('---\r\ntitle: A\r\n---\rBody\r\n')]) });
    expect(await read('a.md')).toEqual({ kind: 'text', text: '---\ntitle: A\n---\nBody\n' });
  });

  it('refuses files over the size limit', async () => {
    await writeFiles(store, { 'big.md': 'x'.repeat(1025), 'edge.md': 'x'.repeat(1024) });
    expect(problemOf(await read('big.md'))).toMatch(/^is 1025 bytes, over the limit of 1024 bytes \(MAX_ARTICLE_BYTES\)/);
    expect((await read('edge.md')).kind).toBe('text');
  });

  it('refuses text that is not UTF-8, UTF-16 and binary files', async () => {
    await writeFiles(store, {
      'latin1.md': Buffer.from('---\ntitle: Caf\xe9\n---\n', 'latin1'),
      'utf16.md': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('---\n', 'utf16le')]),
      'binary.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]),
    });
    expect(problemOf(await read('latin1.md'))).toMatch(/^is not valid UTF-8 text/);
    expect(problemOf(await read('utf16.md'))).toMatch(/^is encoded as UTF-16/);
    expect(problemOf(await read('binary.md'))).toMatch(/^contains NUL bytes/);
  });

  it('reports empty files', async () => {
    await writeFiles(store, { 'empty.md': '', 'blank.md': '\n  \n', 'bom-only.md': Buffer.from([0xef, 0xbb, 0xbf]) });
    for (const name of ['empty.md', 'blank.md', 'bom-only.md']) expect(problemOf(await read(name))).toMatch(/^is empty/);
  });

  it('treats a file deleted before reading as gone', async () => {
    expect(await read('never-there.md')).toEqual({ kind: 'gone' });
  });

  it('follows links inside the store and refuses links leading outside it', async () => {
    await writeFiles(root, { 'secret.md': '---\ntitle: Secret\n---\n', 'content/real/a.md': '---\ntitle: A\n---\n' });
    await fs.symlink(path.join(root, 'secret.md'), path.join(store, 'outside.md'));
    await fs.symlink('real/a.md', path.join(store, 'inside.md'));
    await fs.symlink(path.join(store, 'missing.md'), path.join(store, 'dangling.md'));
    expect(problemOf(await read('outside.md'))).toMatch(/^is a symbolic link to a file outside the content folder, which is refused/);
    expect(await read('inside.md')).toEqual({ kind: 'text', text: '---\ntitle: A\n---\n' });
    expect(problemOf(await read('dangling.md'))).toMatch(/^is a symbolic link to a file that does not exist/);
  });

  it('refuses a named pipe without hanging', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [path.join(store, 'pipe.md')]);
    expect(problemOf(await read('pipe.md'))).toMatch(/^is not a regular file/);
  });
});
