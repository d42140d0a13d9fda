import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createArticleIndex } from '../../src/articles/article-index.ts';
import { createSiteBuilder } from '../../src/jobs/build-site.ts';
import type * as PublishDocument from '../../src/publication/publish-document.ts';
import { WHOLE_STORE } from '../../src/domain/store-change.ts';
import { validateFeedDocument } from '../../src/validation/validate-feed-document.ts';
import { loadSite } from '../../src/store/load-site.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

/** Compressions started and not yet finished, as the builder sees them through publishDocumentAsync. */
const compression = vi.hoisted(() => ({ inFlight: 0, mostInFlight: 0, started: 0 }));
vi.mock('../../src/publication/publish-document.ts', async (importOriginal) => {
  const original = await importOriginal<typeof PublishDocument>();
  return {
    ...original,
    publishDocumentAsync: async (...args: Parameters<typeof original.publishDocumentAsync>) => {
      compression.started += 1;
      compression.inFlight += 1;
      compression.mostInFlight = Math.max(compression.mostInFlight, compression.inFlight);
      try {
        return await original.publishDocumentAsync(...args);
      } finally {
        compression.inFlight -= 1;
      }
    },
  };
});

const CATEGORIES = 60;
let root: string;
let store: string;

beforeEach(async () => {
  root = await makeTempDir();
  store = path.join(root, 'content');
  const names = Array.from({ length: CATEGORIES }, (_, index) => `Section ${index + 1}`);
  const files: Record<string, string> = {
    'site.yaml': [
      'title: Test News',
      'description: Fixture store.',
      'language: en',
      'baseUrl: https://news.example.com',
      'tagAuthority: news.example.com,2026',
      'defaultAuthor: Desk',
      'categories:',
      ...names.map((name) => `  - { name: ${name}, description: ${name} news. }`),
      '',
    ].join('\n'),
  };
  names.forEach((name, index) => {
    files[`s${index}/story.md`] = `---\nid: story-${index}\ntitle: Story ${index}\ncategory: ${name}\npublished: 2026-11-20T09:00:00Z\n---\nBody ${index}.\n`;
  });
  await writeFiles(store, files);
  Object.assign(compression, { inFlight: 0, mostInFlight: 0, started: 0 });
});
afterEach(() => removeTempDir(root));

describe('createSiteBuilder with many documents to publish', () => {
  it('compresses a bounded number of documents at a time and lets the event loop run between scopes', async () => {
    const loaded = await loadSite(store);
    if (!loaded.ok) throw new Error('fixture site.yaml rejected');
    let validated = 0;
    let validatedWhenTheLoopRan: number | undefined;
    const builder = createSiteBuilder({
      site: loaded.site,
      index: createArticleIndex({ contentDir: store, site: loaded.site, maxArticleBytes: 65536, cwd: root }),
      clock: () => Date.parse('2026-11-24T12:00:00Z'),
      feedItemLimit: 50,
      ttlMinutes: 5,
      validate: (document, context) => {
        // Scheduled at the first document: it runs at the event loop's next turn.
        if (validated === 0) setImmediate(() => (validatedWhenTheLoopRan = validated));
        validated += 1;
        return validateFeedDocument(document, context);
      },
    });
    const { snapshot } = await builder.build(WHOLE_STORE);

    // Every scope's three feeds and page, the index and the OPML were compressed...
    expect(compression.started).toBe(snapshot.documents.size);
    expect(snapshot.documents.size).toBe((CATEGORIES + 1) * 4 + 1);
    // ...but never all at once: each compression holds its encoder's memory while it runs.
    expect(compression.mostInFlight).toBeLessThan(snapshot.documents.size / 4);
    // Requests are answered during a long build, not only after it.
    expect(validatedWhenTheLoopRan).toBeDefined();
    expect(validatedWhenTheLoopRan).toBeLessThan(validated);
  });
});
