import { rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SoakStore {
  /** The store the service reads and the editor changes. */
  readonly contentDir: string;
  readonly outputDir: string;
  remove(): Promise<void>;
  /** The same, for a process 'exit' handler, where nothing asynchronous runs. */
  removeSync(): void;
}

/** A private copy of the corpus, since the editor changes it: the cached corpus must stay as generated. */
export async function copyStore(corpusDir: string): Promise<SoakStore> {
  const root = await mkdtemp(path.join(tmpdir(), 'wirefeed-soak-'));
  const contentDir = path.join(root, 'content');
  const outputDir = path.join(root, 'public');
  // Dereferenced: a corpus folder that is a link must be copied, not linked, or the edits reach it.
  await cp(corpusDir, contentDir, { recursive: true, dereference: true });
  await mkdir(outputDir);
  return {
    contentDir,
    outputDir,
    remove: () => rm(root, { recursive: true, force: true }),
    removeSync: () => rmSync(root, { recursive: true, force: true }),
  };
}
