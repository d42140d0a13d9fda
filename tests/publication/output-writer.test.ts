import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from '../../src/publication/output-manifest.ts';
import { createOutputWriter } from '../../src/publication/output-writer.ts';
import { publishDocument } from '../../src/publication/publish-document.ts';
import { readOutputDirectory } from '../../src/publication/read-output-directory.ts';
import type { PublishedDocument } from '../../src/publication/snapshot.ts';

const RSS = 'application/rss+xml; charset=utf-8';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirefeed-output-'));
});
afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function documents(...docs: PublishedDocument[]): Map<string, PublishedDocument> {
  return new Map(docs.map((doc) => [doc.path, doc]));
}

describe('createOutputWriter', () => {
  it('mirrors the URL layout with .gz and .br siblings and a manifest, and reads back what it wrote', async () => {
    const site = publishDocument('rss.xml', RSS, '<rss>site</rss>', 1000);
    const world = publishDocument('category/world/rss.xml', RSS, '<rss>world</rss>', 2000);
    expect(await createOutputWriter(dir).write(documents(site, world))).toEqual([]);

    expect(await readFile(path.join(dir, 'category/world/rss.xml'), 'utf8')).toBe('<rss>world</rss>');
    expect(gunzipSync(await readFile(path.join(dir, 'rss.xml.gz'))).toString()).toBe('<rss>site</rss>');
    const restored = await readOutputDirectory(dir);
    expect(restored.map((doc) => [doc.path, doc.etag, doc.lastModified, doc.mediaType])).toEqual([
      ['category/world/rss.xml', world.etag, 2000, RSS],
      ['rss.xml', site.etag, 1000, RSS],
    ]);
  });

  it('leaves no temporary files behind and removes documents that are gone, with their empty folder', async () => {
    const writer = createOutputWriter(dir);
    await writer.write(documents(publishDocument('rss.xml', RSS, 'a', 1), publishDocument('category/gone/rss.xml', RSS, 'b', 1)));
    await writer.write(documents(publishDocument('rss.xml', RSS, 'a2', 2)));
    expect((await readdir(dir)).sort()).toEqual([MANIFEST_FILE, 'rss.xml', 'rss.xml.br', 'rss.xml.gz']);
  });

  it('reports an unwritable directory as a problem instead of throwing, and catches up when it is writable again', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; simulate the fault with a file where the folder should be.
      await writeFile(path.join(dir, 'category'), 'not a folder');
    } else {
      await chmod(dir, 0o555);
    }
    const writer = createOutputWriter(dir);
    const doc = publishDocument('category/world/rss.xml', RSS, '<rss/>', 1);
    const problems = await writer.write(documents(doc));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/could not be written .*served from memory/);

    await rm(path.join(dir, 'category'), { force: true });
    await chmod(dir, 0o755);
    expect(await writer.write(documents(doc))).toEqual([]);
    expect(await readFile(path.join(dir, 'category/world/rss.xml'), 'utf8')).toBe('<rss/>');
  });
});

describe('readOutputDirectory', () => {
  it('skips a file whose bytes no longer match the manifest, and re-derives encodings that do not match', async () => {
    const good = publishDocument('rss.xml', RSS, '<rss>good</rss>', 5);
    const torn = publishDocument('atom.xml', 'application/atom+xml; charset=utf-8', '<feed>complete</feed>', 5);
    await createOutputWriter(dir).write(documents(good, torn));
    await writeFile(path.join(dir, 'atom.xml'), '<feed>compl');
    await writeFile(path.join(dir, 'rss.xml.gz'), 'garbage');

    const restored = await readOutputDirectory(dir);
    expect(restored.map((doc) => doc.path)).toEqual(['rss.xml']);
    expect(gunzipSync(restored[0]!.gzip).toString()).toBe('<rss>good</rss>');
  });

  it('returns nothing for an empty or missing directory', async () => {
    expect(await readOutputDirectory(path.join(dir, 'missing'))).toEqual([]);
  });
});

describe('createOutputWriter after a restart', () => {
  it('removes documents an earlier run wrote that are gone now, and keeps unchanged files untouched', async () => {
    const kept = publishDocument('rss.xml', RSS, '<rss>kept</rss>', 1);
    await createOutputWriter(dir).write(documents(kept, publishDocument('category/old/rss.xml', RSS, '<rss/>', 1)));
    const keptFile = path.join(dir, 'rss.xml');
    const before = await stat(keptFile);

    await createOutputWriter(dir).write(documents(kept));
    expect((await readdir(dir)).sort()).toEqual([MANIFEST_FILE, 'rss.xml', 'rss.xml.br', 'rss.xml.gz']);
    // Atomic writes replace the inode, so an unchanged inode means the file was not rewritten.
    expect((await stat(keptFile)).ino).toBe(before.ino);
  });
});
