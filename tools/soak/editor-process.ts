import { forkChild } from './fork-child.ts';
import type { EditorCounts, EditorOptions } from './store-editor.ts';

export interface EditorProcess {
  /** Starts editing now, for `durationMs`; resolves with what was done. Call once. */
  run(options: Omit<EditorOptions, 'deadline' | 'random'>, durationMs: number): Promise<EditorCounts>;
  /** Ends the process if it is still there (after a failure elsewhere). */
  close(): Promise<void>;
}

type EditorAnswer = { readonly counts: EditorCounts } | { readonly error: string };

/**
 * The editor runs in its own process: in the one driving 1,000 sockets its timers fired late and
 * its file writes queued behind the decompression jobs on libuv's thread pool, so a run of 15 s at
 * three changes a second made two. Forked ahead of the load so that its start-up is not in it.
 */
export function startEditorProcess(): EditorProcess {
  const forked = forkChild(new URL('./editor-child.ts', import.meta.url), 'editor');
  return {
    async run(options, durationMs) {
      const answer = await forked.runOnce<EditorAnswer>({ ...options, durationMs });
      if ('error' in answer) throw new Error(`soak: the editor failed: ${answer.error}`);
      return answer.counts;
    },
    close: () => forked.close(),
  };
}
