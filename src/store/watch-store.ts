import type { Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AsyncSubscription, Event } from '@parcel/watcher';
import { subscribe } from '@parcel/watcher';
import type { StoreChange } from '../domain/store-change.ts';
import { WHOLE_STORE, outermostPaths } from '../domain/store-change.ts';
import type { Problem } from '../domain/problem.ts';
import { isGoneError, TOO_LONG_MESSAGE } from './classify-fs-error.ts';
import { displayPath, isArticleFileName, isIgnoredName, isIgnoredStorePath, mapWithLimit } from './read-store.ts';

export interface StoreWatcher {
  /** Stops watching; a batch still waiting for its debounce is dropped. */
  close(): Promise<void>;
  /** Folders that cannot be watched (a path past the system's length limit), each with its fix. */
  problems(): readonly Problem[];
}

export interface WatchStoreOptions {
  /** Quiet time after the last event before a batch goes out. Default 200 ms. */
  readonly debounceMs?: number;
  /**
   * Watcher failures (e.g. the system's limit on watched folders is reached) and exceptions
   * thrown by `onBatch`. Without it they become process warnings, so they are seen but never
   * crash the service.
   */
  readonly onError?: (error: Error) => void;
  /** Where problem paths are shown relative to; defaults to process.cwd(). */
  readonly cwd?: string;
}

const DEFAULT_DEBOUNCE_MS = 200;
/** A store that never falls quiet (a bulk import) still gets a batch at least this often, in debounce periods. */
const MAX_WAIT_PERIODS = 10;
/** How often a deleted store folder is looked for again. */
const ROOT_RETURN_POLL_MS = 500;

/** Past this many new paths in one batch, they are not inspected one by one: a fresh subscription is asked for. */
const MAX_CREATED_TO_INSPECT = 256;
/** Folders past the path limit left out of one subscription before it counts as failed. */
const MAX_UNWATCHABLE_FOLDERS = 32;
/** Folder trees with a subscription of their own before all are folded back into one on the root. */
const MAX_TREE_WATCHES = 64;

/** Tells a folder from one re-created at the same path: file systems reuse a freed inode number at once. */
function folderIdentity(stats: Stats): string {
  return `${stats.ino}/${stats.birthtimeMs}`;
}

/**
 * Watches the store and reports, in debounced batches, the store-relative paths ("world/x.md",
 * "world") that were created, changed, renamed or deleted. ArticleIndex.refresh lists and reads
 * only those, so a watcher failure (an event queue overflow, say) reports the whole store: it is
 * then listed, and files whose size, times or inode changed are read again; the cron
 * tick does the same as a safety net. Resolves once watching has started; files that already
 * exist produce no events. An exception from `onBatch` goes to `onError`.
 */
export async function watchStore(
  contentDir: string,
  onBatch: (change: StoreChange) => void,
  options: WatchStoreOptions = {},
): Promise<StoreWatcher> {
  // The real folder: a linked store (current -> releases/42) cannot be watched through its link,
  // as linked folders are not followed. Store paths are the same from either side of the link.
  const root = await realpath(path.resolve(contentDir)).catch(() => path.resolve(contentDir));
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const toStorePath = (absolute: string): string => path.relative(root, absolute).split(path.sep).join('/');

  const report = (error: unknown): void => {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (options.onError) options.onError(failure);
    else process.emitWarning(new Error(`store: watching ${root} failed`, { cause: failure }));
  };

  const pending = new Set<string>();
  /** Store paths created (or perhaps re-created) since the last batch: a folder among them may hold unwatched folders. */
  const created = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let firstPendingAt = 0;
  let closed = false;

  const flush = (): void => {
    timer = undefined;
    if (closed || pending.size === 0) return;
    const paths = [...pending].sort();
    const change: StoreChange = pending.has('.') ? WHOLE_STORE : { kind: 'paths', paths };
    pending.clear();
    lookForRoot();
    void afterBatch(paths, [...created]).catch(report);
    created.clear();
    try {
      onBatch(change);
    } catch (error) {
      // Thrown from a timer it would end the process; report it like a watcher failure instead.
      report(error);
    }
  };

  const queue = (storePath: string): void => {
    const now = Date.now();
    if (pending.size === 0) firstPendingAt = now;
    pending.add(storePath);
    if (timer !== undefined) clearTimeout(timer);
    const waited = now - firstPendingAt;
    timer = setTimeout(flush, Math.max(0, Math.min(debounceMs, debounceMs * MAX_WAIT_PERIODS - waited)));
  };

  const onEvents = (error: Error | null, events: readonly Event[]): void => {
    if (closed) return;
    if (error) {
      report(error);
      // Events may have been lost: have the whole store looked at.
      return queue('.');
    }
    for (const event of events) {
      const storePath = toStorePath(event.path);
      // Editor temp and backup files and dot-folders (.git) are never articles, so never hints.
      // The root itself may live in a hidden folder (/tmp/.x): only paths inside it are judged.
      if (storePath.startsWith('..') || (storePath !== '' && isIgnoredStorePath(storePath))) continue;
      queue(storePath || '.');
      // A folder removed and made again within the system watcher's own batching arrives as an
      // update, so an update of something not named like an article may be a new folder too.
      if (storePath !== '' && (event.type === 'create' || (event.type === 'update' && !isArticleFileName(path.basename(storePath))))) created.add(storePath);
    }
  };

  // One watch per folder, kept by the operating system (inotify, FSEvents, ReadDirectoryChangesW)
  // with its own short batching, so an editor's save-by-rename arrives as one change. chokidar
  // kept a watcher and several objects per file: at 100,000 articles it took 11 s to start and
  // 268 MB of heap, and every garbage collection had all of it to walk. Linked folders are not
  // followed, as the store's listing does not follow them.
  //
  // A folder whose path is past the system's length limit makes the whole subscription fail:
  // it is left out (with everything under it, as deeper paths are longer still) and reported as
  // a problem, and the subscription is tried again. Bounded, as each try scans the tree again.
  const unwatchable = new Map<string, Problem>();
  const subscribeTo = async (folder: string): Promise<AsyncSubscription> => {
    for (;;) {
      try {
        return await subscribe(folder, onEvents, unwatchable.size > 0 ? { ignore: [...unwatchable.keys()] } : {});
      } catch (error) {
        const failed = /inotify_add_watch on '(.*)' failed: File name too long/s.exec(error instanceof Error ? error.message : String(error))?.[1];
        const tooLong = failed === undefined ? undefined : shallowestTooLong(failed);
        if (tooLong === undefined || unwatchable.has(tooLong) || unwatchable.size >= MAX_UNWATCHABLE_FOLDERS) throw error;
        unwatchable.set(tooLong, { subject: displayPath(tooLong, options.cwd), message: TOO_LONG_MESSAGE });
      }
    }
  };

  // Before watching starts, so that no event can be missed while waiting for it.
  let watchedFolder = await stat(root).then(folderIdentity, () => undefined);
  let rootWatch: AsyncSubscription;
  try {
    rootWatch = await subscribeTo(root);
  } catch (error) {
    throw new Error(`store: cannot watch ${root}`, { cause: error });
  }

  // Folder trees created at once (mkdir -p, cp -r, git checkout, rsync). On Linux the watcher
  // adds a watch to a new folder when told of its creation, without looking inside it, so
  // folders made inside it before that watch existed are never watched, and later edits there
  // produce no event. Subscribing to the root again does not help: @parcel/watcher keeps one
  // folder tree per watched path while any subscription holds it, so a second subscription joins
  // the first and scans nothing. A subscription to the new folder itself is a different path: it
  // scans that tree and watches each of its folders, and the root's watch stays on meanwhile
  // (the native side keeps an operating-system watch while any subscription holds it), so there
  // is no moment without a watch. Files written into the tree before its watch was on produced
  // no event, so the folder is reported again once it is on, and the refresh lists it. A folder
  // made inside the tree while its subscription was scanning may have been missed by the scan:
  // the tree's folders are listed before and after, and anything new asks for one more round.
  //
  // Such subscriptions end when their folder goes. They are bounded: past MAX_TREE_WATCHES, or
  // when the root folder is replaced, every subscription ends and the root is watched afresh
  // (break before make, as the old tree would otherwise be joined), and the whole store is
  // reported, so a change made in the gap is found by the listing that follows.
  const treeWatches = new Map<string, AsyncSubscription>();
  /** Created folders that want a subscription of their own. */
  const newTrees = new Set<string>();
  /** Folders with a subscription of their own that a batch named: gone, it ends. */
  const toCheck = new Set<string>();
  let rootWanted = false;
  // One renewal at a time; requests meanwhile are merged into one more round after it, so a
  // storm of new folders costs one scan after another, never many at once.
  let renewal: Promise<void> | undefined;
  let rootPoll: NodeJS.Timeout | undefined;

  // A subscription that fails after it began watching folders (one of them removed meanwhile),
  // or an unsubscription that fails half-way, leaves watches behind in @parcel/watcher, and they
  // hold on to its listing of that tree: a later subscription to the same folder takes that
  // stale listing instead of scanning, so folders made there since are never watched. Only
  // letting go of every subscription clears it, so the root is then watched afresh (which
  // reports the whole store).
  const endTreeWatch = async (storePath: string): Promise<void> => {
    const watch = treeWatches.get(storePath);
    treeWatches.delete(storePath);
    await watch?.unsubscribe().catch(() => {
      rootWanted = true;
    });
  };

  const watchRootAfresh = async (): Promise<void> => {
    const identity = await stat(root).then(folderIdentity, () => undefined);
    if (identity === undefined) return awaitRootReturn();
    newTrees.clear();
    await rootWatch.unsubscribe().catch(report);
    for (const storePath of [...treeWatches.keys()]) await endTreeWatch(storePath);
    // Every subscription is let go of by now, whatever failed on the way.
    rootWanted = false;
    try {
      rootWatch = await subscribeTo(root);
      watchedFolder = identity;
      queue('.');
    } catch (error) {
      report(error);
      // No watch means no batch to look again after: poll for the folder, as when it is gone,
      // and watch it again even if it is the same folder.
      watchedFolder = undefined;
      awaitRootReturn();
    }
  };

  const watchNewTrees = async (): Promise<void> => {
    const trees = outermostPaths([...newTrees]);
    newTrees.clear();
    if (treeWatches.size + trees.length > MAX_TREE_WATCHES) {
      rootWanted = true;
      return;
    }
    const before = await listFolders(root, trees);
    for (const storePath of trees) {
      // One at the same path is of a folder deleted since: joining it would scan nothing.
      await endTreeWatch(storePath);
      if (closed || rootWanted) return;
      const watch = await subscribeTo(path.join(root, storePath)).catch((error: unknown) => {
        if (/inotify_add_watch on .* failed: (No such file or directory|Not a directory)/s.test(String(error))) rootWanted = true;
        // Removed or replaced during the scan: the batch that names that lists it anyway.
        if (isGoneError(error) || /No such file or directory|Not a directory|Bad file descriptor/.test(String(error))) return;
        report(error);
        // Edits in the tree may go unseen: have the whole store looked at.
        queue('.');
      });
      if (watch) treeWatches.set(storePath, watch);
      queue(storePath);
    }
    const after = await listFolders(root, trees);
    if ([...after].some((folder) => !before.has(folder))) for (const storePath of trees) newTrees.add(storePath);
  };

  const endGoneTreeWatches = async (): Promise<void> => {
    const named = [...toCheck];
    toCheck.clear();
    for (const storePath of named) {
      const stats = await lstat(path.join(root, storePath)).catch(() => undefined);
      if (!stats?.isDirectory()) await endTreeWatch(storePath);
    }
  };

  const renew = (): void => {
    renewal ??= (async () => {
      try {
        while (!closed && (rootWanted || newTrees.size > 0 || toCheck.size > 0)) {
          if (rootWanted) {
            rootWanted = false;
            await watchRootAfresh();
          } else if (toCheck.size > 0) await endGoneTreeWatches();
          else await watchNewTrees();
        }
      } catch (error) {
        report(error);
      } finally {
        renewal = undefined;
      }
    })();
  };

  /** After a batch: created folders want a subscription; named folders with one may be gone. */
  const afterBatch = async (paths: readonly string[], createdPaths: readonly string[]): Promise<void> => {
    for (const storePath of treeWatches.keys()) if (paths.some((named) => named === storePath || storePath.startsWith(`${named}/`))) toCheck.add(storePath);
    // A path under another created one is covered by its tree; beyond a few hundred, asking
    // each costs more than subscribing to them all.
    const tops = outermostPaths(createdPaths);
    const folders =
      tops.length > MAX_CREATED_TO_INSPECT
        ? tops
        : (await mapWithLimit(tops, 16, async (storePath) => ((await lstat(path.join(root, storePath)).catch(() => undefined))?.isDirectory() ? storePath : undefined))).filter(
            (storePath): storePath is string => storePath !== undefined,
          );
    for (const folder of folders) newTrees.add(folder);
    if (!closed && (folders.length > 0 || toCheck.size > 0)) renew();
  };

  // A watch on a root folder that is deleted ends with it, and does not notice it coming back
  // (restored from a backup, re-cloned). So after each batch the root is checked: gone, it is
  // looked for until it is back; back, or replaced by another folder before the check, it is
  // watched afresh and the whole store is reported.
  const askForRoot = (): void => {
    rootWanted = true;
    renew();
  };
  const awaitRootReturn = (): void => {
    if (rootPoll !== undefined || closed) return;
    rootPoll = setInterval(() => {
      void stat(root).then(
        (stats) => {
          if (closed || rootPoll === undefined || !stats.isDirectory()) return;
          clearInterval(rootPoll);
          rootPoll = undefined;
          if (folderIdentity(stats) !== watchedFolder) askForRoot();
        },
        () => undefined,
      );
    }, ROOT_RETURN_POLL_MS);
    rootPoll.unref();
  };
  function lookForRoot(): void {
    if (rootPoll !== undefined) return;
    void stat(root).then(
      (stats) => {
        if (!closed && stats.isDirectory() && folderIdentity(stats) !== watchedFolder) askForRoot();
      },
      () => awaitRootReturn(),
    );
  }

  return {
    problems: () => [...unwatchable.values()],
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      if (rootPoll !== undefined) clearInterval(rootPoll);
      pending.clear();
      created.clear();
      await renewal;
      // It may be the old one, already ended by a failed re-subscription.
      await rootWatch.unsubscribe().catch(() => undefined);
      for (const watch of treeWatches.values()) await watch.unsubscribe().catch(() => undefined);
      treeWatches.clear();
    },
  };
}

/**
 * Every folder under the given store paths ("." for the whole store), absolute, ignored names
 * skipped. A folder that cannot be read is only missing from the answer.
 */
async function listFolders(root: string, storePaths: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    const inner = entries.filter((entry) => entry.isDirectory() && !isIgnoredName(entry.name)).map((entry) => path.join(folder, entry.name));
    for (const child of inner) found.add(child);
    await Promise.all(inner.map(walk));
  };
  const tops = storePaths.includes('.') ? [''] : outermostPaths(storePaths);
  await Promise.all(tops.map((storePath) => walk(path.join(root, storePath))));
  return found;
}

/** Bytes in the longest path the system accepts, with its terminating zero (Linux's PATH_MAX). */
const PATH_MAX_BYTES = 4096;

/**
 * The folder, among `folder` and those above it, nearest the root whose path is already too long:
 * leaving it out leaves out the whole chain below, whichever of them the system named first.
 */
function shallowestTooLong(folder: string): string {
  let shallowest = folder;
  for (let parent = path.dirname(shallowest); parent !== shallowest && Buffer.byteLength(parent) + 1 > PATH_MAX_BYTES; parent = path.dirname(parent)) shallowest = parent;
  return shallowest;
}
