import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { imageMediaType, STORE_IMAGES_FOLDER } from '../domain/documents.ts';
import { isGoneError, isLinkLoopError, isNameTooLongError, isPermissionError } from './classify-fs-error.ts';
import { isIgnoredName, readAtMost } from './read-store.ts';

/*
 * The store's images: the one way into CONTENT_DIR/images/, for the article loader (which
 * measures lead images) and for the HTTP layer (which serves them). Only regular files with an
 * image extension under that folder, after every link is resolved, and never a hidden or
 * ignored name (the same names the store listing ignores): a link out of the store, `..` or
 * a dotfile cannot make the service hand out another file.
 */

/** One open store image. The handle stays open until `close()`, or until the stream has been read. */
export interface StoreImageFile {
  /** "images/samples/night-sky.jpg" */
  readonly storePath: string;
  /** From the extension: what the file is served as. */
  readonly mediaType: string;
  readonly size: number;
  readonly mtimeMs: number;
  /**
   * A strong validator from the file's inode, size and modification time in nanoseconds: a
   * replaced or rewritten file gets a new one without the bytes being hashed on every request.
   */
  readonly etag: string;
  /** The first `limit` bytes at most: enough of the header to measure, never the whole of a huge file. */
  head(limit: number): Promise<Buffer>;
  /** The whole file as a stream, which closes the handle when it ends or is destroyed. */
  stream(): Readable;
  close(): Promise<void>;
}

export type StoreImageOpening =
  | { readonly kind: 'file'; readonly file: StoreImageFile }
  /** Not there (or gone meanwhile). */
  | { readonly kind: 'missing'; readonly message: string }
  /** There, or named, but not something the store hands out; the message says what to fix. */
  | { readonly kind: 'refused'; readonly message: string };

const MISSING = 'does not exist in the store: add the file under content/images/ or fix the path';

/** Whether a store path names something under the images folder that may be an image (no hidden, ignored or empty segments). */
function imageSegments(storePath: string): readonly string[] | undefined {
  const segments = storePath.split('/');
  if (segments.length < 2 || segments[0] !== STORE_IMAGES_FOLDER) return undefined;
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('\\') || isIgnoredName(segment)) return undefined;
  }
  return segments;
}

/**
 * Opens the store image at `storePath` ("images/x/y.jpg", relative to `contentDir`), checking
 * that it is one: under the images folder once links are resolved, an image extension, a
 * regular file, no hidden or ignored name on the way.
 */
export async function openStoreImage(contentDir: string, storePath: string): Promise<StoreImageOpening> {
  const refused = (message: string): StoreImageOpening => ({ kind: 'refused', message });
  const segments = imageSegments(storePath);
  if (segments === undefined) return refused(`is not under ${STORE_IMAGES_FOLDER}/, or has a hidden or ignored name on its path: store images live in content/${STORE_IMAGES_FOLDER}/ under ordinary names`);
  const mediaType = imageMediaType(storePath);
  if (mediaType === undefined) return refused('does not have an image extension: use .jpg, .png, .gif, .webp, .avif or .svg');
  let realPath: string;
  let imagesRoot: string;
  try {
    imagesRoot = path.join(await fs.realpath(contentDir), STORE_IMAGES_FOLDER) + path.sep;
    realPath = await fs.realpath(path.join(contentDir, ...segments));
  } catch (error) {
    if (isGoneError(error) || isNameTooLongError(error)) return { kind: 'missing', message: MISSING };
    if (isLinkLoopError(error)) return refused('is part of a loop of symbolic links: replace the link with the file');
    if (isPermissionError(error)) return refused('cannot be read (permission denied): give the Wirefeed user read access');
    throw new Error(`store: cannot resolve ${storePath}`, { cause: error });
  }
  const inside = realPath.startsWith(imagesRoot) ? realPath.slice(imagesRoot.length).split(path.sep) : undefined;
  if (inside === undefined || inside.some((segment) => isIgnoredName(segment))) {
    // A link could make the service hand out any file it can read (/etc/passwd, another site's drafts).
    return refused(`is a symbolic link to a file outside content/${STORE_IMAGES_FOLDER}/ (or to a hidden one), which is refused: copy the image into the folder instead`);
  }
  let handle: FileHandle;
  try {
    // O_NOFOLLOW: the path is resolved already, so a link here was put there since; O_NONBLOCK so a pipe cannot hang the open.
    handle = await fs.open(realPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (isGoneError(error)) return { kind: 'missing', message: MISSING };
    if (isPermissionError(error)) return refused('cannot be read (permission denied): give the Wirefeed user read access');
    if (isLinkLoopError(error)) return refused('was replaced by a symbolic link while it was opened: try again');
    throw new Error(`store: cannot open ${storePath}`, { cause: error });
  }
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) {
      await handle.close();
      return refused('is not a regular file: replace it with the image file');
    }
    const size = Number(stats.size);
    const etag = `"${stats.ino.toString(36)}-${stats.size.toString(36)}-${stats.mtimeNs.toString(36)}"`;
    let closed = false;
    const file: StoreImageFile = {
      storePath,
      mediaType,
      size,
      mtimeMs: Number(stats.mtimeMs),
      etag,
      head: (limit) => readAtMost(handle, Math.min(size, limit), limit),
      stream() {
        closed = true;
        return handle.createReadStream({ autoClose: true });
      },
      async close() {
        if (closed) return;
        closed = true;
        await handle.close();
      },
    };
    return { kind: 'file', file };
  } catch (error) {
    await handle.close();
    throw new Error(`store: cannot inspect ${storePath}`, { cause: error });
  }
}
