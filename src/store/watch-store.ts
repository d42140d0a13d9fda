import path from 'node:path';
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

  const watcher = watch(root, {
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
  });

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
    try {
      onBatch(paths);
    } catch (error) {
      // Thrown from a timer it would end the process; report it like a watcher failure instead.
      report(error);
    }
  };

  watcher.on('all', (event, absolute) => {
    if (closed) return;
    if (event !== 'add' && event !== 'change' && event !== 'unlink' && event !== 'addDir' && event !== 'unlinkDir') return;
    const now = Date.now();
    if (pending.size === 0) firstPendingAt = now;
    pending.add(toStorePath(absolute) || '.');
    if (timer !== undefined) clearTimeout(timer);
    const waited = now - firstPendingAt;
    timer = setTimeout(flush, Math.max(0, Math.min(debounceMs, debounceMs * MAX_WAIT_PERIODS - waited)));
  });

  let failBeforeReady: ((error: unknown) => void) | undefined;
  // Registered before the scan starts: an 'error' event without a listener would throw.
  watcher.on('error', (error) => {
    if (failBeforeReady) return failBeforeReady(error);
    report(error);
  });
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
      pending.clear();
      await watcher.close();
    },
  };
}
