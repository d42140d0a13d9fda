import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AsyncSubscription, Event } from '@parcel/watcher';
import { subscribe } from '@parcel/watcher';
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
 * "world") that were created, changed, renamed or deleted. ArticleIndex.refresh lists and reads
 * only those, so a watcher failure (an event queue overflow, say) reports "." as well: the whole
 * store is then listed, and files whose size, times or inode changed are read again; the cron
 * tick does the same as a safety net. Resolves once watching has started; files that already
 * exist produce no events. An exception from `onBatch` goes to `onError`.
 */
export async function watchStore(
  contentDir: string,
  onBatch: (paths: readonly string[]) => void,
  options: WatchStoreOptions = {},
): Promise<StoreWatcher> {
  const root = path.resolve(contentDir);
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const toStorePath = (absolute: string): string => path.relative(root, absolute).split(path.sep).join('/');

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
    }
  };

  // One watch per folder, kept by the operating system (inotify, FSEvents, ReadDirectoryChangesW)
  // with its own short batching, so an editor's save-by-rename arrives as one change. chokidar
  // kept a watcher and several objects per file: at 100,000 articles it took 11 s to start and
  // 268 MB of heap, and every garbage collection had all of it to walk. Linked folders are not
  // followed, as the store's listing does not follow them.
  const startWatching = (): Promise<AsyncSubscription> => subscribe(root, onEvents);

  // Before watching starts, so that no event can be missed while waiting for it.
  let watchedFolder = await stat(root).then(folderIdentity, () => undefined);
  let watcher: AsyncSubscription;
  try {
    watcher = await startWatching();
  } catch (error) {
    throw new Error(`store: cannot watch ${root}`, { cause: error });
  }

  // A watch on a root folder that is deleted ends with it, and does not notice it coming back
  // (restored from a backup, re-cloned). So after each batch the root is checked: gone, it is
  // looked for until it is back; back, or replaced by another folder before the check, it is
  // watched afresh and the whole store is reported.
  let rootPoll: NodeJS.Timeout | undefined;
  // One re-subscription at a time: two restores close together must not leave a second
  // subscription that is never ended. The folder counts as watched only once the watch is on,
  // and a failed subscription is tried again by polling.
  let resubscribing: Promise<void> = Promise.resolve();
  const watchAfresh = (identity: string): void => {
    resubscribing = resubscribing.then(async () => {
      if (closed || identity === watchedFolder) return;
      // The old subscription goes first: @parcel/watcher shares one watch per folder path, so
      // subscribing while the dead one is still there would join it and see nothing.
      await watcher.unsubscribe().catch(report);
      try {
        const fresh = await startWatching();
        if (closed) return void (await fresh.unsubscribe().catch(report));
        watcher = fresh;
        watchedFolder = identity;
        queue('.');
      } catch (error) {
        report(error);
        // No watch means no batch to look again after: poll for the folder, as when it is gone.
        awaitRootReturn();
      }
    });
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

  return {
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      if (rootPoll !== undefined) clearInterval(rootPoll);
      pending.clear();
      await resubscribing;
      // It may be the old one, already ended by a failed re-subscription.
      await watcher.unsubscribe().catch(() => undefined);
    },
  };
}
