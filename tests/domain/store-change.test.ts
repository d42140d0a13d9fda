import { describe, expect, it } from 'vitest';
import { CLOCK_ONLY, WHOLE_STORE, mergeStoreChanges, pathsChanged } from '../../src/domain/store-change.ts';

describe('store changes', () => {
  it('merge: the whole store covers everything, the clock adds nothing, paths are joined once', () => {
    const world = { kind: 'paths', paths: ['world', 'world/x.md'] } as const;
    expect(mergeStoreChanges(world, WHOLE_STORE)).toEqual(WHOLE_STORE);
    expect(mergeStoreChanges(CLOCK_ONLY, world)).toEqual(world);
    expect(mergeStoreChanges(CLOCK_ONLY, CLOCK_ONLY)).toEqual(CLOCK_ONLY);
    expect(mergeStoreChanges(world, { kind: 'paths', paths: ['sport/y.md', 'world/z.md'] })).toEqual({ kind: 'paths', paths: ['world', 'sport/y.md'] });
  });

  it('names changed paths once each, a folder covering what lies inside it; no path is the clock alone', () => {
    expect(pathsChanged([])).toEqual(CLOCK_ONLY);
    expect(pathsChanged(['world/x.md', 'world', 'sport/y.md', 'world'])).toEqual({ kind: 'paths', paths: ['world', 'sport/y.md'] });
  });
});
