import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '../../tools/bench/service-process.ts';
import { startServiceProcess, waitFor } from '../../tools/bench/service-process.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

/**
 * A partner that follows /changes.json by its cursor while an editor adds, revises and deletes
 * articles, and the service is SIGKILLed and restarted once in the middle: at the end the partner
 * holds every change exactly once, in seq order with no gap, and the state it derives is the store's.
 */
interface Item {
  readonly title: string;
  readonly _wirefeed: { readonly seq: number; readonly change: string; readonly id: string };
}

let dir: string | undefined;
let service: ServiceProcess | undefined;
beforeAll(async () => {
  dir = await makeTempDir('wirefeed-partner-');
});
afterAll(async () => {
  await service?.stop();
  await removeTempDir(dir);
});

const idOf = (index: number): string => `story-${String(index).padStart(3, '0')}`;
const story = (index: number, title: string): string =>
  `---\nid: ${idOf(index)}\ntitle: ${title}\ncategory: World\npublished: 2026-01-01T09:00:00Z\n---\nBody ${title}.\n`;
const uri = (index: number): string => `tag:news.example.com,2026:${idOf(index)}`;

describe('a partner following the change stream across a SIGKILL', () => {
  it('ends with every change exactly once, in order, with no gap', { timeout: 120_000 }, async () => {
    const root = dir ?? '';
    const content = path.join(root, 'content');
    const env = { CONTENT_DIR: content, OUTPUT_DIR: path.join(root, 'public'), BASE_URL: 'https://news.example.com', FEED_CRON: '*/2 * * * * *' };
    /** The store as the editor left it: id -> title, deleted ones removed. */
    const expected = new Map<string, string>();
    const files: Record<string, string> = { 'site.yaml': fixtureSiteYaml(['World']) };
    for (let index = 0; index < 5; index += 1) {
      files[`world/${idOf(index)}.md`] = story(index, `First ${index}`);
      expected.set(uri(index), `First ${index}`);
    }
    await writeFiles(content, files);
    service = await startServiceProcess(env);
    // The first build has journaled the five stories.
    await waitFor(async () => ((await (await fetch(`${service?.url}/changes.json`)).json()) as { items: unknown[] }).items.length === 5, 60_000, 'the first change page', 50);

    const held: Item[] = [];
    let cursor = '/changes.json?after=0';
    let polling = true;
    const partner = (async () => {
      while (polling) {
        // A refused connection while the service is down is only a missed poll: the cursor stays.
        const page = await fetch(`${service?.url}${cursor}`).then((response) => (response.ok ? (response.json() as Promise<{ next_url: string; items: Item[] }>) : undefined)).catch(() => undefined);
        if (page) {
          held.push(...page.items);
          const next = new URL(page.next_url);
          cursor = `${next.pathname}${next.search}`;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const derived = (): Map<string, string> => {
      const state = new Map<string, string>();
      for (const item of held) {
        if (item._wirefeed.change === 'retracted') state.delete(item._wirefeed.id);
        else state.set(item._wirefeed.id, item.title);
      }
      return state;
    };
    const edit = async (index: number, title: string): Promise<void> => {
      await writeFile(path.join(content, 'world', `${idOf(index)}.md`), story(index, title));
      expected.set(uri(index), title);
    };
    const remove = async (index: number): Promise<void> => {
      await rm(path.join(content, 'world', `${idOf(index)}.md`));
      expected.delete(uri(index));
    };
    for (let index = 5; index < 15; index += 1) await edit(index, `First ${index}`);
    // The first process journals these before the kill, so the restart has a journal to continue.
    await waitFor(async () => derived().has(uri(14)), 60_000, 'the first edits to reach the partner', 100);
    await edit(1, 'Revised 1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await edit(2, 'Revised 2');
    await edit(15, 'First 15');

    // SIGKILL right after more edits, with builds in flight; then edits while it is down.
    await edit(3, 'Revised 3');
    await edit(16, 'First 16');
    const killed = new Promise<void>((resolve) => service?.child.once('exit', () => resolve()));
    service.child.kill('SIGKILL');
    await killed;
    await edit(4, 'Revised while down');
    await remove(0);
    await edit(17, 'Added while down');
    service = await startServiceProcess(env);

    await edit(1, 'Revised 1 again');
    await remove(5);
    for (let index = 18; index < 22; index += 1) await edit(index, `First ${index}`);

    // Every article's latest state has arrived when the partner's derived state equals the store.
    const sorted = (map: Map<string, string>): [string, string][] => [...map].sort(([a], [b]) => (a < b ? -1 : 1));
    await waitFor(async () => JSON.stringify(sorted(derived())) === JSON.stringify(sorted(expected)), 60_000, 'the partner to hold the store', 100);
    polling = false;
    await partner;

    const seqs = held.map((item) => item._wirefeed.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));
    const head = await (await fetch(`${service.url}/changes.json?after=${seqs.length}`)).json() as { items: Item[] };
    expect(head.items).toEqual([]);
    // One `published` per article that ever went public, and it comes first: a partner never hears
    // of a revision or a retraction of something it was not given. Which articles went public at
    // all depends on when builds ran: story 5 may be written and deleted between two of them.
    const published = held.filter((item) => item._wirefeed.change === 'published').map((item) => item._wirefeed.id);
    expect(new Set(published).size).toBe(published.length);
    const first = new Map<string, string>();
    for (const item of held) if (!first.has(item._wirefeed.id)) first.set(item._wirefeed.id, item._wirefeed.change);
    expect([...first.values()].every((change) => change === 'published')).toBe(true);
    for (const id of expected.keys()) expect(first.get(id)).toBe('published');
    // Story 0 went public in the first build and its file was deleted while the service was down.
    const retracted = held.filter((item) => item._wirefeed.change === 'retracted').map((item) => item._wirefeed.id);
    expect(retracted).toContain(uri(0));
    expect(retracted.every((id) => id === uri(0) || id === uri(5))).toBe(true);
    expect(new Set(retracted).size).toBe(retracted.length);
  });
});
