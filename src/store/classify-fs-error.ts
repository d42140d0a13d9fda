function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** "It was there a moment ago": the newsroom deleted or moved it while we were looking. */
export function isGoneError(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A problem with one entry that the newsroom can fix, not a failure of the store as a whole. */
export function isPermissionError(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'EACCES' || code === 'EPERM';
}

/**
 * Too many levels of symbolic links: a link cycle, or (with O_NOFOLLOW) simply a link.
 * FreeBSD reports the O_NOFOLLOW case as EMLINK.
 */
export function isLinkLoopError(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'ELOOP' || code === 'EMLINK';
}

/** A path longer than the system accepts (4,096 bytes on Linux): only moving or renaming shortens it. */
export function isNameTooLongError(error: unknown): boolean {
  return codeOf(error) === 'ENAMETOOLONG';
}

export const TOO_LONG_MESSAGE =
  'path is longer than the system accepts (4,096 bytes), so it can be neither read nor watched: move its articles to a folder nearer the store root or shorten the folder names';
