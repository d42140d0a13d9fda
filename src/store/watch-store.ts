import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { watch } from 'chokidar';
import { isIgnoredStorePath } from './is-article-file-name.ts';

export interface StoreWatcher {
  /** Stops watching; a batch still waiting for its debounce is dropped. */
  close(): Promise<void>;
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
}

const DEFAULT_DEBOUNCE_MS = 200;
/** A store that never falls quiet (a bulk import) still gets a batch at least this often, in debounce periods. */
const MAX_WAIT_PERIODS = 10;
/** How often a deleted store folder is looked for again. */
const ROOT_RETURN_POLL_MS = 500;

/** Tells a folder from one re-created at the same path: file systems reuse a freed inode number at once. */
function folderIdentity(stats: Stats): string {
  return `${stats.ino}/${stats.birthtimeMs}`;
}

/**
 * Watches the store and reports, in debounced batches, the store-relative paths ("world/x.md",
 * "world") that were created, changed, renamed or deleted. The paths are hints for
 * ArticleIndex.refresh, which re-lists the store anyway: an event lost to the operating system
 * costs a missed hint, not a stale article. Resolves once the initial scan is done; files that
 * already exist produce no events. An exception from `onBatch` goes to `onError`.
 */
export async function watchStore(
  contentDir: string,
  onBatch: (paths: readonly string[]) => void,
  options: WatchStoreOptions = {},
): Promise<StoreWatcher> {
  const root = path.resolve(contentDir);
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const toStorePath = (absolute: string): string => path.relative(root, absolute).split(path.sep).join('/');

  const chokidarOptions = {
    ignoreInitial: true,
    // Linked folders are not part of the store (see list-article-files.ts); do not watch outside it.
    followSymlinks: false,
    // Editors' save-by-rename (write temp, rename over) then arrives as one change.
    atomic: true,
    ignored: (absolute: string) => {
      const storePath = toStorePath(absolute);
      // The root itself may live in a hidden folder (/tmp/.x): only judge paths inside it.
      return storePath !== '' && !storePath.startsWith('..') && isIgnoredStorePath(storePath);
    },
  };

  const report = (error: unknown): void => {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (options.onError) options.onError(failure);
    else process.emitWarning(new Error(`store: watching ${root} failed`, { cause: failure }));
  };

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let firstPendingAt = 0;
  let closed = false;

  const flush = (): void => {
    timer = undefined;
    if (closed || pending.size === 0) return;
    const paths = [...pending].sort();
    pending.clear();
    lookForRoot();
    try {
      onBatch(paths);
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

  const onEvent = (event: string, absolute: string): void => {
    if (closed) return;
    if (event !== 'add' && event !== 'change' && event !== 'unlink' && event !== 'addDir' && event !== 'unlinkDir') return;
    queue(toStorePath(absolute) || '.');
  };

  let failBeforeReady: ((error: unknown) => void) | undefined;
  const onError = (error: unknown): void => {
    if (failBeforeReady) return failBeforeReady(error);
    report(error);
  };

  const startWatching = (): FSWatcher => {
    const started = watch(root, chokidarOptions);
    started.on('all', onEvent);
    // Registered before the scan starts: an 'error' event without a listener would throw.
    started.on('error', onError);
    return started;
  };

  // Before watching starts, so that no event can be missed while waiting for it.
  let watchedFolder = await stat(root).then(folderIdentity, () => undefined);
  let watcher = startWatching();

  // chokidar stops watching a root folder that is deleted, and never notices it coming back
  // (restored from a backup, re-cloned); nor does it always report the root's own deletion. So
  // after each batch the root is checked: gone, it is looked for until it is back; back, or
  // replaced by another folder before the check, it is watched afresh (chokidar's state for the
  // old subfolders would miss changes in the new ones) and the whole store is reported.
  let rootPoll: NodeJS.Timeout | undefined;
  const watchAfresh = (identity: string): void => {
    watchedFolder = identity;
    const stale = watcher;
    watcher = startWatching();
    watcher.once('ready', () => queue('.'));
    stale.close().catch(report);
  };
  const awaitRootReturn = (): void => {
    if (rootPoll !== undefined || closed) return;
    rootPoll = setInterval(() => {
      void stat(root).then(
        (stats) => {
          if (closed || rootPoll === undefined || !stats.isDirectory()) return;
          clearInterval(rootPoll);
          rootPoll = undefined;
          watchAfresh(folderIdentity(stats));
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
        if (!closed && stats.isDirectory() && folderIdentity(stats) !== watchedFolder) watchAfresh(folderIdentity(stats));
      },
      () => awaitRootReturn(),
    );
  }

  await new Promise<void>((resolve, reject) => {
    failBeforeReady = (error) => {
      void watcher.close();
      reject(new Error(`store: cannot watch ${root}`, { cause: error }));
    };
    watcher.once('ready', () => {
      failBeforeReady = undefined;
      resolve();
    });
  });

  return {
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      if (rootPoll !== undefined) clearInterval(rootPoll);
      pending.clear();
      await watcher.close();
    },
  };
}
