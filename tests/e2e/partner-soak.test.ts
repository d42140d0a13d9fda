import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '../../tools/bench/service-process.ts';
import { startServiceProcess, waitFor } from '../../tools/bench/service-process.ts';
import { fixtureSiteYaml } from '../fixtures/site-yaml.ts';
import { makeTempDir, removeTempDir, writeFiles } from '../store/temp-dir.ts';

/**
 * Issue 12's done-when: a partner polls the site change stream with its cursor every second while an
 * editor publishes 500 articles, revises 100, corrects 10, retracts 10 and deletes 10, and the
 * service is SIGKILLed and restarted twice during it. At the end the partner holds every change
 * exactly once, in sequence order, with no gap, and the state it derives equals the store.
 */
interface Item {
  readonly title: string;
  readonly _wirefeed: { readonly seq: number; readonly change: string; readonly id: string };
}
interface Page {
  readonly next_url: string;
  readonly items: Item[];
}

const CATEGORIES = ['World', 'Egypt'] as const;
const idOf = (index: number): string => `soak-${String(index).padStart(3, '0')}`;
const uri = (index: number): string => `tag:news.example.com,2026:${idOf(index)}`;
const fileOf = (index: number): string => path.join(CATEGORIES[index % 2] === 'World' ? 'world' : 'egypt', `${idOf(index)}.md`);

interface Version {
  readonly title: string;
  /** Minute offsets from the publication time, so every revision moves `updated`. */
  readonly updatedMinute?: number;
  readonly correction?: string;
  readonly retracted?: boolean;
}

function render(index: number, version: Version): string {
  const lines = [
    '---',
    `id: ${idOf(index)}`,
    `title: ${version.title}`,
    `category: ${CATEGORIES[index % 2]}`,
    'published: 2026-01-01T09:00:00Z',
  ];
  if (version.updatedMinute !== undefined) lines.push(`updated: 2026-01-01T${String(10 + Math.floor(version.updatedMinute / 60)).padStart(2, '0')}:${String(version.updatedMinute % 60).padStart(2, '0')}:00Z`);
  if (version.correction !== undefined) lines.push(`correction: ${version.correction}`);
  if (version.retracted) lines.push('retracted: 2026-01-02T09:00:00Z', 'retractionNote: The story could not be verified.');
  lines.push('---', `Body of ${version.title}.`, '');
  return lines.join('\n');
}

let dir: string | undefined;
let service: ServiceProcess | undefined;
beforeAll(async () => {
  dir = await makeTempDir('wirefeed-soak-');
});
afterAll(async () => {
  await service?.stop();
  await removeTempDir(dir);
});

describe('a partner following the change stream through a busy day with two SIGKILLs', () => {
  it('holds every change exactly once, in order, with no gap, and derives the store', { timeout: 300_000 }, async () => {
    const root = dir ?? '';
    const content = path.join(root, 'content');
    const env = { CONTENT_DIR: content, OUTPUT_DIR: path.join(root, 'public'), BASE_URL: 'https://news.example.com', FEED_CRON: '*/5 * * * * *' };
    await writeFiles(content, { 'site.yaml': fixtureSiteYaml([...CATEGORIES]) });
    for (const folder of ['world', 'egypt']) await mkdir(path.join(content, folder));
    service = await startServiceProcess(env);
    await waitFor(async () => (await fetch(`${service?.url}/changes.json`)).status === 200, 60_000, 'the first change page', 50);

    const held: Item[] = [];
    let cursor = '/changes.json?after=0';
    let polling = true;
    const partner = (async () => {
      while (polling) {
        // Drain every page the stream has, then wait a second: a partner polling on a schedule.
        for (;;) {
          // A refused connection while the service is down is only a missed poll: the cursor stays.
          const page = await fetch(`${service?.url}${cursor}`)
            .then((response) => (response.ok ? (response.json() as Promise<Page>) : undefined))
            .catch(() => undefined);
          if (!page) break;
          held.push(...page.items);
          const next = new URL(page.next_url);
          cursor = `${next.pathname}${next.search}`;
          if (page.items.length === 0) break;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();

    /** The store as the editor left it: the public articles, id -> title. */
    const expected = new Map<string, string>();
    const versions = new Map<number, Version>();
    const write = async (index: number, version: Version): Promise<void> => {
      await writeFile(path.join(content, fileOf(index)), render(index, version));
      versions.set(index, version);
      if (version.retracted) expected.delete(uri(index));
      else expected.set(uri(index), version.title);
    };
    const publish = async (from: number, to: number): Promise<void> => {
      for (let index = from; index < to; index += 1) {
        await write(index, { title: `Story ${index}` });
        // An editor saves now and then, not all at once: builds interleave with the writes.
        if (index % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    let minute = 0;
    const revise = async (index: number, correction?: string): Promise<void> => {
      const before = versions.get(index) ?? { title: `Story ${index}` };
      minute += 1;
      await write(index, { ...before, title: `${correction ? 'Corrected' : 'Revised'} ${index}`, updatedMinute: minute, ...(correction ? { correction } : {}) });
    };
    const retract = async (index: number): Promise<void> => {
      const before = versions.get(index) ?? { title: `Story ${index}` };
      await write(index, { ...before, retracted: true });
    };
    const remove = async (index: number): Promise<void> => {
      await rm(path.join(content, fileOf(index)));
      versions.delete(index);
      expected.delete(uri(index));
    };
    /** Waits until the partner holds the store as it is: a revision made next is then a change of its own, never folded into a publication. */
    const settled = async (): Promise<void> => {
      await waitFor(async () => sameState(derive(held), expected), 120_000, 'the partner to catch up', 200);
    };
    const kill = async (): Promise<void> => {
      const current = service;
      if (!current) return;
      const exited = new Promise<void>((resolve) => current.child.once('exit', () => resolve()));
      current.child.kill('SIGKILL');
      await exited;
    };

    const revised: number[] = [];
    const corrected: number[] = [];
    const retracted: number[] = [];
    const deleted: number[] = [];

    // Morning: 200 stories, then revisions, corrections, retractions and deletions among them.
    await publish(0, 200);
    await settled();
    for (let index = 0; index < 40; index += 1) revised.push(index);
    for (const index of revised) await revise(index);
    for (const index of [40, 41, 42, 43]) {
      corrected.push(index);
      await revise(index, `An earlier version misnamed the minister (${index}).`);
    }
    for (const index of [50, 51, 52, 53]) {
      retracted.push(index);
      await retract(index);
    }
    for (const index of [60, 61, 62, 63]) {
      deleted.push(index);
      await remove(index);
    }
    // First SIGKILL with builds in flight, and editing while the service is down.
    await publish(200, 230);
    await kill();
    await publish(230, 260);
    service = await startServiceProcess(env);

    // Afternoon: more stories and changes, then the second SIGKILL in the middle of them.
    await publish(260, 400);
    await settled();
    for (let index = 100; index < 140; index += 1) {
      revised.push(index);
      await revise(index);
    }
    for (const index of [140, 141, 142]) {
      corrected.push(index);
      await revise(index, `The casualty figure was wrong (${index}).`);
    }
    for (const index of [150, 151, 152]) {
      retracted.push(index);
      await retract(index);
    }
    await kill();
    for (const index of [160, 161, 162]) {
      deleted.push(index);
      await remove(index);
    }
    await publish(400, 450);
    service = await startServiceProcess(env);

    // Evening.
    await publish(450, 500);
    await settled();
    for (let index = 200; index < 220; index += 1) {
      revised.push(index);
      await revise(index);
    }
    for (const index of [240, 241, 242]) {
      corrected.push(index);
      await revise(index, `A quotation was attributed to the wrong speaker (${index}).`);
    }
    for (const index of [250, 251, 252]) {
      retracted.push(index);
      await retract(index);
    }
    for (const index of [260, 261, 262]) {
      deleted.push(index);
      await remove(index);
    }

    await settled();
    polling = false;
    await partner;

    expect([revised.length, corrected.length, retracted.length, deleted.length]).toEqual([100, 10, 10, 10]);
    const seqs = held.map((item) => item._wirefeed.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));
    const tail = (await (await fetch(`${service.url}/changes.json?after=${seqs.length}`)).json()) as Page;
    expect(tail.items).toEqual([]);
    const idsOf = (change: string): string[] => held.filter((item) => item._wirefeed.change === change).map((item) => item._wirefeed.id).sort();
    const uris = (indexes: readonly number[]): string[] => indexes.map(uri).sort();
    expect(idsOf('published')).toEqual(Array.from({ length: 500 }, (_, index) => uri(index)).sort());
    expect(idsOf('revised')).toEqual(uris(revised));
    expect(idsOf('corrected')).toEqual(uris(corrected));
    expect(idsOf('retracted')).toEqual(uris([...retracted, ...deleted]));
    expect(idsOf('recategorised')).toEqual([]);
  });
});

/** The partner's view: the newest title of every article not retracted since. */
function derive(items: readonly Item[]): Map<string, string> {
  const state = new Map<string, string>();
  for (const item of items) {
    if (item._wirefeed.change === 'retracted') state.delete(item._wirefeed.id);
    else state.set(item._wirefeed.id, item.title);
  }
  return state;
}

function sameState(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, title] of a) if (b.get(id) !== title) return false;
  return true;
}
