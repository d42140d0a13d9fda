import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutputWriter } from '../../src/publication/output-writer.ts';
import { restoreSnapshot } from '../../src/publication/restore-snapshot.ts';
import { clockedStore, storyFile } from '../jobs/clocked-builder.ts';
import { makeTempDir, removeTempDir } from '../store/temp-dir.ts';
import { WHOLE_STORE } from '../../src/domain/store-change.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-24T12:00:00Z');

let root: string;
beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(() => removeTempDir(root));

describe('restoreSnapshot after a run whose clock was a day fast', () => {
  it('serves no document that shows an article still under embargo by now, and keeps the others', async () => {
    const output = path.join(root, 'public');
    const { site, builder: fast } = await clockedStore(
      root,
      ['World', 'Sport'],
      {
        'world/embargoed.md': storyFile('embargoed-story', 'World', NOW + 12 * HOUR),
        'sport/public.md': storyFile('public-story', 'Sport', NOW - 2 * HOUR),
      },
      () => NOW + 24 * HOUR,
    );
    const written = (await fast.build(WHOLE_STORE)).snapshot;
    expect(written.documents.get('rss.xml')?.body.toString()).toContain('embargoed-story');
    expect(await createOutputWriter(output).write(written.documents)).toEqual([]);

    const restored = await restoreSnapshot(output, site, () => NOW);
    expect(restored).toBeDefined();
    for (const document of restored?.documents.values() ?? []) expect(document.body.toString()).not.toContain('embargoed-story');
    expect(restored?.documents.get('category/sport/rss.xml')?.body.toString()).toContain('public-story');
  });
});
