import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/publication/snapshot.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';
import { clockedStore, storyFile } from './clocked-builder.ts';
import { CLOCK_ONLY, pathsChanged, WHOLE_STORE } from '../../src/domain/store-change.ts';

const HOUR = 3_600_000;
const T = Date.parse('2026-11-24T12:00:00Z');

let root: string;
beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(() => removeTempDir(root));

const itemIds = (snapshot: Snapshot): string[] =>
  (JSON.parse(snapshot.documents.get('feed.json')?.body.toString() ?? '{"items":[]}') as { items: { id: string }[] }).items.map((item) => item.id);

describe('a build after the clock steps back an hour (an NTP correction)', () => {
  it('keeps every article it made public on the air, valid, while a new article dated in the stepped-over hour waits', async () => {
    let now = T;
    const { store, builder } = await clockedStore(
      root,
      ['World'],
      {
        'world/old.md': storyFile('old', 'World', T - 5 * HOUR),
        'world/recent.md': storyFile('recent', 'World', T - 20 * 60_000),
        'world/later.md': storyFile('later', 'World', T - 10 * 60_000),
      },
      () => now,
    );
    const first = (await builder.build(WHOLE_STORE)).snapshot;
    expect(itemIds(first)).toHaveLength(3);

    now = T - HOUR;
    await writeFiles(store, { 'world/new.md': storyFile('new', 'World', T - 30 * 60_000) });
    const stepped = (await builder.build(pathsChanged(['world/new.md']))).snapshot;
    expect(stepped.build.failedDocuments).toEqual([]);
    expect(itemIds(stepped)).toEqual(itemIds(first));
    expect(stepped.findArticle('recent')?.id).toBe('recent');
    expect(stepped.findArticle('new')).toBeUndefined();
    expect(stepped.build.publicArticleCount).toBe(3);

    // A full re-list (the cron tick) decides the same.
    const relisted = (await builder.build(WHOLE_STORE)).snapshot;
    expect(itemIds(relisted)).toEqual(itemIds(first));
    expect(relisted.findArticle('later')).toBeDefined();

    // An editor moving `published` of a public article into the future still embargoes it.
    await writeFiles(store, { 'world/later.md': storyFile('later', 'World', T + 2 * HOUR) });
    const moved = (await builder.build(pathsChanged(['world/later.md']))).snapshot;
    expect(moved.findArticle('later')).toBeUndefined();

    now = T - 29 * 60_000;
    const caughtUp = (await builder.build(CLOCK_ONLY)).snapshot;
    expect(caughtUp.findArticle('new')).toBeDefined();
  });
});
