import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** A fresh folder under the OS temp dir; remove it with `removeTempDir` in afterEach. */
export async function makeTempDir(prefix = 'wirefeed-test-'): Promise<string> {
  // realpath: on macOS /tmp is a link, and the store compares real paths.
  return fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
}

export async function removeTempDir(dir: string | undefined): Promise<void> {
  if (dir === undefined) return;
  // fs.rm gives up on a path past the length limit (see makeTooDeepFolder); rm -rf does not.
  await fs.rm(dir, { recursive: true, force: true }).catch(() => promisify(execFile)('rm', ['-rf', dir]));
}

/** Writes files given as { "world/x.md": "text" }, creating folders as needed. */
export async function writeFiles(root: string, files: Readonly<Record<string, string | Buffer>>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, relative);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, content);
  }
}

export const SAMPLE_STORE = fileURLToPath(new URL('../fixtures/store/sample', import.meta.url));

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Makes a chain of `levels` folders of ten-character names under `parent` with relative mkdir
 * calls (an absolute path past 4,096 bytes cannot be made in one call), and returns its top.
 */
export async function makeTooDeepFolder(parent: string, levels = 400): Promise<string> {
  await fs.mkdir(parent, { recursive: true });
  const script = `const fs = require('node:fs'); for (let i = 0; i < ${levels}; i++) { fs.mkdirSync('aaaaaaaaaa'); process.chdir('aaaaaaaaaa'); }`;
  await promisify(execFile)(process.execPath, ['-e', script], { cwd: parent });
  return path.join(parent, 'aaaaaaaaaa');
}
