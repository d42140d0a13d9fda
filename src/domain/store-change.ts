/**
 * What a rebuild is told about the store, so that it reads only what may have changed:
 * - `paths`: these store-relative files or folders changed (from the watcher);
 * - `whole-store`: anything may have changed (start-up, the cron tick, a watcher that lost events):
 *   list everything and re-read what looks different;
 * - `clock`: nothing in the store changed, only the time did (an embargo lifting).
 */
export type StoreChange =
  | { readonly kind: 'paths'; readonly paths: readonly string[] }
  | { readonly kind: 'whole-store' }
  | { readonly kind: 'clock' };

export const WHOLE_STORE: StoreChange = Object.freeze({ kind: 'whole-store' });
export const CLOCK_ONLY: StoreChange = Object.freeze({ kind: 'clock' });

export function pathsChanged(paths: readonly string[]): StoreChange {
  return paths.length === 0 ? CLOCK_ONLY : Object.freeze({ kind: 'paths', paths: Object.freeze([...paths]) });
}

/** One change that covers both: what a build run for several triggers at once must look at. */
export function mergeStoreChanges(a: StoreChange, b: StoreChange): StoreChange {
  if (a.kind === 'whole-store' || b.kind === 'whole-store') return WHOLE_STORE;
  if (a.kind === 'clock') return b;
  if (b.kind === 'clock') return a;
  return pathsChanged([...new Set([...a.paths, ...b.paths])]);
}
