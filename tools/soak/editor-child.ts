import type { EditorOptions } from './store-editor.ts';
import { runEditor } from './store-editor.ts';

/**
 * The editor in a process of its own (see editor-process.ts): waits for its orders, edits until
 * their duration has passed, reports its counts and leaves.
 */
type EditorOrders = Omit<EditorOptions, 'deadline' | 'random'> & { readonly durationMs: number };

process.once('message', (orders: EditorOrders) => {
  const { durationMs, ...options } = orders;
  void runEditor({ ...options, deadline: performance.now() + durationMs }).then(
    (counts) => process.send?.({ counts }, () => process.disconnect()),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }, () => process.disconnect()),
  );
});
process.on('disconnect', () => process.exit(0));
