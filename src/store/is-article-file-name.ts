/**
 * Names that are never articles and never worth a watcher event: hidden files and folders,
 * `_`-prefixed ones (the newsroom's parking space for drafts-in-progress and partials), and the
 * temporary and backup files editors leave behind while saving.
 */
export function isIgnoredName(name: string): boolean {
  return (
    name.startsWith('.') || // also covers Emacs lock files ".#x.md" and Vim swap files ".x.md.swp"
    name.startsWith('_') ||
    name.endsWith('~') || // Emacs, gedit and nano backups
    name.endsWith('.swp') ||
    name.endsWith('.swx') ||
    name.endsWith('.tmp') ||
    (name.startsWith('#') && name.endsWith('#')) || // Emacs auto-save
    name === '4913' // Vim probes a directory's writability with this name
  );
}

const ARTICLE_EXTENSIONS = ['.md', '.markdown'];

/** A file name the store lists as an article (the name only, not the folders above it). */
export function isArticleFileName(name: string): boolean {
  if (isIgnoredName(name)) return false;
  const lower = name.toLowerCase();
  return ARTICLE_EXTENSIONS.some((extension) => lower.endsWith(extension) && lower.length > extension.length);
}

/** Whether any segment of a store-relative path ("world/_drafts/x.md") is ignored. */
export function isIgnoredStorePath(storePath: string): boolean {
  return storePath.split('/').some((segment) => segment !== '' && isIgnoredName(segment));
}
