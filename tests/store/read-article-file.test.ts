import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadOutcome } from '../../src/store/read-article-file.ts';
import { readArticleFile } from '../../src/store/read-article-file.ts';
import { makeTempDir, removeTempDir, writeFiles } from './temp-dir.ts';

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
