import { stat } from 'node:fs/promises';
import type { Partner } from '../domain/partner.ts';
import type { Problem } from '../domain/problem.ts';
import type { LoadPartnersOptions } from './load-partners.ts';
import { loadPartners } from './load-partners.ts';

/**
 * Polling, not fs.watch: the file is one small file that changes a few times a year, and a stat
 * every few seconds costs nothing, while a watch misses changes in the places such a file lives
 * (a Kubernetes Secret swaps a symlinked folder, bind mounts and network filesystems send no
 * events) and must be re-armed on the folder when an editor replaces the file by rename.
 */
export const DEFAULT_PARTNERS_POLL_MS = 2000;

export interface PartnersFileStatus {
  /** When the partners being used were read. */
  readonly loadedAt: string;
  readonly partners: number;
  /** Why the file on disk is not the one in use (the last good partners are kept); empty when it is. */
  readonly problems: readonly Problem[];
}

export interface PartnersSource {
  current(): readonly Partner[];
  status(): PartnersFileStatus;
  close(): void;
}

export type WatchPartnersResult = { readonly ok: true; readonly source: PartnersSource } | { readonly ok: false; readonly problems: readonly Problem[] };

export interface WatchPartnersOptions extends LoadPartnersOptions {
  readonly pollMs?: number;
  readonly now?: () => number;
  /** Told of each reload, good or bad, for the log. */
  readonly onReload?: (result: { readonly partners: number; readonly problems: readonly Problem[] }) => void;
}

/** The file's identity as stat sees it: a rename gives a new inode, an edit in place a new mtime or size. */
const signatureOf = (file: { readonly ino: number; readonly size: number; readonly mtimeMs: number; readonly ctimeMs: number }): string => `${file.ino}:${file.size}:${file.mtimeMs}:${file.ctimeMs}`;

/**
 * Reads the partners file and keeps reading it when it changes. A bad file at the start is the
 * caller's to refuse; a bad edit later keeps the last good partners and is reported by status().
 */
export async function watchPartners(file: string, options: WatchPartnersOptions): Promise<WatchPartnersResult> {
  const now = options.now ?? Date.now;
  const signature = async (): Promise<string> => stat(file).then(signatureOf, () => 'missing');
  let seen = await signature();
  const first = await loadPartners(file, options);
  if (!first.ok) return first;
  let partners = first.partners;
  let loadedAt = now();
  let problems: readonly Problem[] = [];
  let reading = false;
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    void (async () => {
      const next = await signature();
      if (next === seen) return;
      seen = next;
      const result = await loadPartners(file, options);
      if (result.ok) {
        partners = result.partners;
        loadedAt = now();
        problems = [];
      } else problems = result.problems;
      options.onReload?.({ partners: partners.length, problems });
    })()
      .catch((error: unknown) => {
        problems = [{ subject: `PARTNERS_FILE ${file}`, message: `could not be read again (${error instanceof Error ? error.message : String(error)}); the last good partners are kept` }];
      })
      .finally(() => {
        reading = false;
      });
  }, options.pollMs ?? DEFAULT_PARTNERS_POLL_MS);
  timer.unref();
  return {
    ok: true,
    source: {
      current: () => partners,
      status: () => ({ loadedAt: new Date(loadedAt).toISOString(), partners: partners.length, problems }),
      close: () => clearInterval(timer),
    },
  };
}

/** No PARTNERS_FILE: nobody may read a partner path. */
export const NO_PARTNERS: PartnersSource = Object.freeze({
  current: () => [],
  status: () => ({ loadedAt: new Date(0).toISOString(), partners: 0, problems: [] }),
  close: () => undefined,
});
