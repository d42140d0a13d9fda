/**
 * The paths among `storePaths` ("world", "world/x.md") that no other one lies under: a folder
 * is listed with everything in it, so a path inside it adds nothing but a second visit.
 */
export function outermostPaths(storePaths: readonly string[]): string[] {
  const all = new Set(storePaths);
  return [...all].filter((storePath) => {
    for (let slash = storePath.indexOf('/'); slash !== -1; slash = storePath.indexOf('/', slash + 1)) {
      if (all.has(storePath.slice(0, slash))) return false;
    }
    return true;
  });
}

/**
 * What changed in the store since the last look, which decides what a refresh lists again:
 * some paths (store-relative files or folders, "world/x.md", "world"), possibly anything (the
 * whole store is listed; files whose size, times or inode changed are read again), or nothing
 * but the clock (nothing is listed).
 */
export type StoreChange =
  | { readonly kind: 'paths'; readonly paths: readonly string[] }
  | { readonly kind: 'whole-store' }
  | { readonly kind: 'clock' };

export const WHOLE_STORE: StoreChange = Object.freeze({ kind: 'whole-store' });
export const CLOCK_ONLY: StoreChange = Object.freeze({ kind: 'clock' });

/** One change that covers both: for changes that wait while a refresh runs. */
export function mergeStoreChanges(a: StoreChange, b: StoreChange): StoreChange {
  if (a.kind === 'whole-store' || b.kind === 'whole-store') return WHOLE_STORE;
  if (a.kind === 'clock') return b;
  if (b.kind === 'clock') return a;
  return pathsChanged([...a.paths, ...b.paths]);
}

/** These store paths changed; none at all means only the clock did. */
export function pathsChanged(paths: readonly string[]): StoreChange {
  return paths.length === 0 ? CLOCK_ONLY : Object.freeze({ kind: 'paths', paths: Object.freeze(outermostPaths(paths)) });
}
