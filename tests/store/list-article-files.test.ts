import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listArticleFiles } from '../../src/store/list-article-files.ts';
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
