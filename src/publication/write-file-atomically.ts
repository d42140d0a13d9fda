import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes to a temporary name beside the target, flushes it to disk, then renames it over the
 * target. rename(2) within one directory is atomic, so a reader (nginx, a CDN origin pull, or
 * this service after a crash) sees the old file or the new one, never a torn one.
 *
 * With `overwrite: false` the temporary file is linked to the target instead: link(2) refuses an
 * existing target atomically (EEXIST), so two writers racing for one name cannot both win.
 */
export async function writeFileAtomically(target: string, data: Buffer, { overwrite = true }: { readonly overwrite?: boolean } = {}): Promise<void> {
  const directory = path.dirname(target);
  await mkdir(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  // isTemporaryFileName (below) recognises this name, to clear what a crash leaves behind.
  try {
    const handle = await open(temporary, 'w', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (overwrite) {
      await rename(temporary, target);
    } else {
      await link(temporary, target);
      await rm(temporary, { force: true });
    }
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Names writeFileAtomically gives its temporary files, so that those a crash left behind can be found. */
export function isTemporaryFileName(name: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.tmp$/.test(name);
}
